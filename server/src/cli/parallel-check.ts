import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CrossInput, Range } from '../engine/index.js';
import type { CrossEntry } from '../engine/cross-rules.js';
import type { MessageParams } from '../engine/raw-finding.js';
import type { DataPath } from '../engine/types.js';
import { productRoot } from '../node/node-data-files.js';
import { checkFileOnDisk, type Preferences, type Workspace } from '../node/workspace.js';
import { addCrossDocumentFindings, type CrossParty } from './check-command.js';
import { crossesIntact, type Answer, type FromWorker, type PlainEntry, type Question, type ToWorker } from './check-protocol.js';
import type { FileReport } from './file-report.js';
import type { Target } from './file-walk.js';

/**
 * `zorgtoets check` on all cores: the files are checked by worker threads (each with its own
 * engines, the same configuration per file), and the findings across files are computed on the
 * main thread exactly as in the single-threaded run (check-command.ts), so the output is the same.
 *
 * Cross-document entries hold closures (CEL programs over a file's data), which cannot cross
 * threads. Workers send each entry's data and keep the entry; the main thread runs the cross-
 * document check twice over stand-ins: first recording what it asks of them (message values,
 * asserts against another file's fields, ranges) — every lookup pretending to fail, so every
 * range a finding could need is asked for too — then, with the workers' answers, for real. A file
 * whose worker failed, or whose entries hold values a thread boundary would change, is checked
 * again on the main thread, and then every file of the cross-document step is.
 */

/** Below this many files per worker, starting threads costs more than it saves. */
const MIN_FILES_PER_WORKER = 8;

export function workerScript(): string | undefined {
  try {
    const script = join(productRoot(), 'dist', 'check-worker.cjs');
    return existsSync(script) ? script : undefined;
  } catch {
    return undefined;
  }
}

/** How many workers a run of `files` files gets with `jobs` allowed (0 or 1: the single-threaded run). */
export function workerCount(files: number, jobs: number): number {
  if (jobs <= 1) return 0;
  const useful = Math.floor(files / MIN_FILES_PER_WORKER);
  return useful >= 2 ? Math.min(jobs, useful) : 0;
}

interface Checked {
  report: FileReport;
  entries?: PlainEntry[];
  /** The worker that holds the file's entries. */
  worker?: PooledWorker;
  local?: boolean;
}

class PooledWorker {
  readonly thread: Worker;
  alive = true;
  private readonly pending = new Map<number, (answers: Answer[]) => void>();
  private nextAsk = 0;
  /** The file being checked, if any. */
  busyWith: number | undefined;

  constructor(script: string, preferences: Preferences, today: string, onMessage: (worker: PooledWorker, message: FromWorker) => void, onGone: (worker: PooledWorker) => void) {
    this.thread = new Worker(script, { workerData: { preferences, today } });
    this.thread.on('message', (message: FromWorker) => {
      if (message.type === 'answers') {
        this.pending.get(message.id)?.(message.answers);
        this.pending.delete(message.id);
      } else onMessage(this, message);
    });
    const gone = () => {
      if (!this.alive) return;
      this.alive = false;
      for (const resolve of this.pending.values()) resolve([]);
      this.pending.clear();
      onGone(this);
    };
    this.thread.on('error', gone);
    this.thread.on('exit', gone);
  }

  post(message: ToWorker): void {
    this.thread.postMessage(message);
  }

  ask(questions: Question[]): Promise<Answer[]> {
    if (!this.alive) return Promise.resolve([]);
    const id = this.nextAsk++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'ask', id, questions });
    });
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    this.post({ type: 'close' });
    await this.thread.terminate();
  }
}

/** Checks the files on worker threads; resolves with what each gave, in target order. */
function checkOnWorkers(targets: readonly Target[], count: number, script: string, preferences: Preferences, today: string): Promise<{ checked: (Checked | undefined)[]; workers: PooledWorker[] }> {
  const checked: (Checked | undefined)[] = new Array(targets.length);
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const workers: PooledWorker[] = [];
    const finish = () => {
      if (done === targets.length) resolve({ checked, workers });
    };
    const feed = (worker: PooledWorker) => {
      if (!worker.alive || next >= targets.length) {
        worker.busyWith = undefined;
        return;
      }
      const file = next++;
      const target = targets[file] as Target;
      worker.busyWith = file;
      worker.post({ type: 'check', file, path: target.path, explicit: target.explicit });
    };
    const settle = (file: number, value: Checked | undefined) => {
      checked[file] = value;
      done++;
    };
    const onMessage = (worker: PooledWorker, message: FromWorker) => {
      if (message.type === 'ready') {
        feed(worker);
        return;
      }
      if (message.type === 'checked') {
        settle(message.file, {
          report: message.report,
          ...(message.entries ? { entries: message.entries, worker } : {}),
          ...(message.local ? { local: true } : {}),
        });
      } else if (message.type === 'failed' && message.file !== undefined) {
        // The main thread checks this one itself (undefined = not checked yet).
        settle(message.file, undefined);
      }
      feed(worker);
      finish();
    };
    const onGone = (worker: PooledWorker) => {
      // A worker that died mid-file leaves that file to the main thread; the others go on.
      if (worker.busyWith !== undefined && checked[worker.busyWith] === undefined) settle(worker.busyWith, undefined);
      worker.busyWith = undefined;
      if (!workers.some((w) => w.alive)) {
        // No worker left: whatever was not handed out is the main thread's too.
        while (next < targets.length) settle(next++, undefined);
      }
      finish();
    };
    for (let i = 0; i < count; i++) workers.push(new PooledWorker(script, preferences, today, onMessage, onGone));
  });
}

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function runCheckParallel(workspace: Workspace, targets: readonly Target[], today: string, preferences: Preferences, count: number, script: string): Promise<FileReport[]> {
  // Configuration problems stop the run before any file is checked, as in the single-threaded run.
  for (const target of targets) workspace.setupFor(target.path);
  const { checked, workers } = await checkOnWorkers(targets, count, script, preferences, today);
  try {
    const reports: FileReport[] = [];
    // Files the main thread checks itself, with their real entries.
    const localParty = (file: number): CrossParty | undefined => {
      const target = targets[file] as Target;
      const setup = workspace.setupFor(target.path);
      const report = checkFileOnDisk(setup, target.path, { today, explicit: target.explicit, keep: true });
      const { result, text } = report;
      delete report.result;
      delete report.text;
      reports[file] = report;
      const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
      if (!result || text === undefined || entries.length === 0) return undefined;
      return {
        report,
        engine: setup.engine,
        lang: setup.lang,
        input: { uri: report.path, name: report.path, ...(result.form ? { form: result.form } : {}), ...(result.year ? { year: result.year } : {}), entries, rangeOf: setup.engine.rangeResolver(text) },
      };
    };

    const remote: number[] = [];
    const local = new Set<number>();
    checked.forEach((item, file) => {
      if (!item || item.local || (item.entries && !item.worker?.alive)) local.add(file);
      else {
        reports[file] = item.report;
        if (item.entries) remote.push(file);
      }
    });
    // A file the main thread must check itself takes the others with it when its entries hold
    // values that would not cross to a worker intact.
    const parties = new Map<number, CrossParty>();
    for (const file of [...local].sort((a, b) => a - b)) {
      const party = localParty(file);
      if (party) parties.set(file, party);
    }
    const intact = [...parties.values()].every((party) => party.input.entries.every((entry) => entry.kind !== 'published' || crossesIntact(entry.fields)));
    if (!intact) {
      for (const file of remote) {
        const party = localParty(file);
        if (party) parties.set(file, party);
      }
    } else if (remote.length > 0) {
      const answered = await remoteParties(workspace, targets, checked, remote, parties);
      for (const file of remote) {
        const party = answered ? answered.get(file) : localParty(file);
        if (party) parties.set(file, party);
      }
    }
    addCrossDocumentFindings([...parties.entries()].sort((a, b) => a[0] - b[0]).map(([, party]) => party));
    return reports;
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

/**
 * Stand-ins for the entries the workers hold, answered in two passes (see the file comment).
 * `others` are the parties the main thread holds itself; they take part in the recording pass.
 */
async function remoteParties(workspace: Workspace, targets: readonly Target[], checked: readonly (Checked | undefined)[], remote: readonly number[], others: ReadonlyMap<number, CrossParty>): Promise<Map<number, CrossParty> | undefined> {
  let recording = true;
  const asked = new Map<PooledWorker, Question[]>();
  const seen = new Set<string>();
  const answers = new Map<string, Answer>();
  /** Check answers per lookup entry, by the other file's fields object (the same object in both passes). */
  const checks = new Map<string, Map<Record<string, unknown>, Answer>>();
  const ask = (worker: PooledWorker, key: string, question: Question) => {
    if (seen.has(key)) return;
    seen.add(key);
    const list = asked.get(worker) ?? [];
    list.push(question);
    asked.set(worker, list);
  };
  const answerFor = (key: string): Answer => {
    const found = answers.get(key);
    if (!found) throw new Error(`zorgtoets: antwoord van een werkthread ontbreekt (${key})`);
    return found;
  };

  const parties = new Map<number, CrossParty>();
  for (const file of remote) {
    const item = checked[file] as Checked;
    const worker = item.worker as PooledWorker;
    const report = item.report;
    const setup = workspace.setupFor((targets[file] as Target).path);
    const entries: CrossEntry[] = (item.entries ?? []).map((plain, k): CrossEntry => {
      const key = `${file}:${k}`;
      if (plain.kind === 'published') return plain;
      if (plain.kind === 'unique') {
        return {
          ...plain,
          params: () => {
            if (recording) {
              ask(worker, `p:${key}`, { file, kind: 'params', entry: k });
              return {};
            }
            const answer = answerFor(`p:${key}`);
            return answer.kind === 'params' ? (answer.params as MessageParams) : {};
          },
        };
      }
      return {
        ...plain,
        check: (other) => {
          if (recording) {
            const list = checks.get(key) ?? new Map<Record<string, unknown>, Answer>();
            checks.set(key, list);
            if (!list.has(other)) {
              list.set(other, { kind: 'check', ok: true, params: {} });
              const questions = asked.get(worker) ?? [];
              questions.push({ file, kind: 'check', entry: k, other });
              asked.set(worker, questions);
            }
            // Pretend it fails: then the ranges a finding needs are asked for as well.
            return { ok: false, params: {} };
          }
          const answer = checks.get(key)?.get(other);
          if (!answer || answer.kind !== 'check') throw new Error(`zorgtoets: antwoord van een werkthread ontbreekt (c:${key})`);
          return { ok: answer.ok, params: answer.params as MessageParams };
        },
      };
    });
    const rangeOf = (path: DataPath): Range => {
      const key = `r:${file}:${JSON.stringify(path)}`;
      if (recording) {
        ask(worker, key, { file, kind: 'range', path });
        return ZERO_RANGE;
      }
      const answer = answerFor(key);
      return answer.kind === 'range' ? answer.range : ZERO_RANGE;
    };
    const input: CrossInput = { uri: report.path, name: report.path, ...(report.form ? { form: report.form } : {}), ...(report.year ? { year: report.year } : {}), entries, rangeOf };
    parties.set(file, { report, engine: setup.engine, lang: setup.lang, input });
  }

  // Pass 1: what the cross-document check asks, over all parties in target order.
  const all = [...others.entries(), ...parties.entries()].sort((a, b) => a[0] - b[0]).map(([, party]) => party);
  const first = all[0];
  if (first) first.engine.crossCheck(all.map((party) => party.input), first.lang);
  recording = false;

  // The workers answer, in the order asked; a worker that is gone makes the caller check its files itself.
  let complete = true;
  await Promise.all(
    [...asked.entries()].map(async ([worker, questions]) => {
      const replies = await worker.ask(questions);
      if (replies.length !== questions.length) {
        complete = false;
        return;
      }
      questions.forEach((question, i) => {
        const reply = replies[i] as Answer;
        if (question.kind === 'check') checks.get(`${question.file}:${question.entry}`)?.set(question.other, reply);
        else if (question.kind === 'params') answers.set(`p:${question.file}:${question.entry}`, reply);
        else answers.set(`r:${question.file}:${JSON.stringify(question.path)}`, reply);
      });
    }),
  );
  return complete ? parties : undefined;
}
