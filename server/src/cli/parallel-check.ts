import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { productRoot } from '../node/node-data-files.js';
import { checkFileOnDisk, checkOptionsFor, type Preferences, type Workspace } from '../node/workspace.js';
import type { FromWorker, ToWorker } from './check-protocol.js';
import { CrossStep, plainEntry, type PlainParty } from './cross-step.js';
import type { FileReport } from './file-report.js';
import type { Target } from './file-walk.js';

/**
 * `zorgtoets check` on all cores: worker threads and the main thread take the files from one
 * queue, each thread with its own engines and the same configuration per file, and the findings
 * across files are computed on the main thread afterwards, as in the single-threaded run (the
 * workers send each file's report, and for a file that takes part in cross-document checks its
 * text and plain entries: cross-step.ts). The output is the single-threaded run's.
 *
 * A file a worker could not check (the worker failed or died) is checked on the main thread.
 */

/** Below this many files per thread, starting a thread costs more than it saves. */
const MIN_FILES_PER_THREAD = 8;

/** Files handed to a worker ahead, so it need not wait for the main thread between files. */
const IN_FLIGHT = 3;

export function workerScript(): string | undefined {
  try {
    const script = join(productRoot(), 'dist', 'check-worker.cjs');
    return existsSync(script) ? script : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many worker threads a run of `files` files gets with `jobs` threads allowed; the main thread
 * checks files too, so it is one less. 0: the single-threaded run.
 */
export function workerCount(files: number, jobs: number): number {
  const useful = Math.floor(files / MIN_FILES_PER_THREAD);
  return Math.max(0, Math.min(jobs, useful) - 1);
}

interface Checked {
  report: FileReport;
  party?: PlainParty;
}

class PooledWorker {
  readonly thread: Worker;
  alive = true;
  /** The files handed to it and not yet answered. */
  readonly inFlight = new Set<number>();

  constructor(script: string, preferences: Preferences, today: string, onMessage: (worker: PooledWorker, message: FromWorker) => void, onGone: (worker: PooledWorker) => void) {
    this.thread = new Worker(script, { workerData: { preferences, today } });
    this.thread.on('message', (message: FromWorker) => onMessage(this, message));
    const gone = () => {
      if (!this.alive) return;
      this.alive = false;
      onGone(this);
    };
    this.thread.on('error', gone);
    this.thread.on('exit', gone);
  }

  post(message: ToWorker): void {
    this.thread.postMessage(message);
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    this.post({ type: 'close' });
    await this.thread.terminate();
  }
}

export async function runCheckParallel(workspace: Workspace, targets: readonly Target[], today: string, preferences: Preferences, count: number, script: string): Promise<FileReport[]> {
  // Configuration problems stop the run before any file is checked, as in the single-threaded run.
  for (const target of targets) workspace.setupFor(target.path);
  const cross = new CrossStep();
  const checkHere = (file: number): Checked => {
    const target = targets[file] as Target;
    const setup = workspace.setupFor(target.path);
    const report = checkFileOnDisk(setup, target.path, { today, explicit: target.explicit, keep: true });
    const { result, text } = report;
    delete report.result;
    delete report.text;
    const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
    if (!result || text === undefined || entries.length === 0) return { report };
    const options = checkOptionsFor(setup, { today, explicit: target.explicit });
    return { report, party: cross.party({ report, engine: setup.engine, lang: setup.lang, text, options }, entries.map(plainEntry)) };
  };
  // A worker's file takes part with this thread's engine for it (the same configuration).
  const fromWorker = (report: FileReport, sent: NonNullable<Extract<FromWorker, { type: 'checked' }>['cross']>): PlainParty => {
    const setup = workspace.setupFor(report.path);
    const { entries, ...file } = sent;
    return cross.party({ report, engine: setup.engine, lang: setup.lang, ...file }, entries);
  };
  const { checked, workers } = await checkAll(targets, count, script, preferences, today, checkHere, fromWorker);
  try {
    const reports: FileReport[] = [];
    const parties: PlainParty[] = [];
    checked.forEach((item, file) => {
      // Not checked by a worker: the main thread checks it now (and meets any error it had).
      const done = item ?? checkHere(file);
      reports.push(done.report);
      if (done.party) parties.push(done.party);
    });
    cross.run(parties);
    return reports;
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

/**
 * Checks the files on the worker threads and on the main thread, which takes the next file
 * whenever it is free (and starts at once, while the workers load); resolves with what each gave,
 * in target order. A file no thread could check is left undefined.
 */
function checkAll(
  targets: readonly Target[],
  count: number,
  script: string,
  preferences: Preferences,
  today: string,
  checkHere: (file: number) => Checked,
  fromWorker: (report: FileReport, cross: NonNullable<Extract<FromWorker, { type: 'checked' }>['cross']>) => PlainParty,
): Promise<{ checked: (Checked | undefined)[]; workers: PooledWorker[] }> {
  const checked: (Checked | undefined)[] = new Array(targets.length);
  const settled = new Array<boolean>(targets.length).fill(false);
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const workers: PooledWorker[] = [];
    const finish = () => {
      if (done === targets.length) resolve({ checked, workers });
    };
    const settle = (file: number, value: Checked | undefined) => {
      if (settled[file]) return;
      settled[file] = true;
      checked[file] = value;
      done++;
    };
    const feed = (worker: PooledWorker) => {
      while (worker.alive && worker.inFlight.size < IN_FLIGHT && next < targets.length) {
        const file = next++;
        const target = targets[file] as Target;
        worker.inFlight.add(file);
        worker.post({ type: 'check', file, path: target.path, explicit: target.explicit });
      }
    };
    const onMessage = (worker: PooledWorker, message: FromWorker) => {
      if (message.type === 'checked' || message.type === 'failed') {
        if (message.file !== undefined) worker.inFlight.delete(message.file);
        if (message.type === 'checked') settle(message.file, { report: message.report, ...(message.cross ? { party: fromWorker(message.report, message.cross) } : {}) });
        else if (message.file !== undefined) settle(message.file, undefined);
      }
      feed(worker);
      finish();
    };
    const onGone = (worker: PooledWorker) => {
      // A worker that died leaves its files to the main thread; the others go on.
      for (const file of worker.inFlight) settle(file, undefined);
      worker.inFlight.clear();
      finish();
    };
    for (let i = 0; i < count; i++) workers.push(new PooledWorker(script, preferences, today, onMessage, onGone));
    const work = () => {
      if (next < targets.length) {
        const file = next++;
        let value: Checked | undefined;
        try {
          value = checkHere(file);
        } catch {
          // Left undefined: checked again at the end, where its error ends the run as it would alone.
        }
        settle(file, value);
        finish();
      }
      // Between its own files the main thread hands files out and takes results in.
      if (next < targets.length) setImmediate(work);
    };
    setImmediate(work);
  });
}
