import { parentPort, workerData } from 'node:worker_threads';
import type { CrossEntry } from '../engine/cross-rules.js';
import type { DataPath, Range } from '../engine/types.js';
import { checkFileOnDisk, Workspace } from '../node/workspace.js';
import { crossesIntact, plainEntry, type Answer, type FromWorker, type ToWorker, type WorkerSetup } from './check-protocol.js';

/**
 * A worker thread of `zorgtoets check` (bundled to dist/check-worker.cjs): checks the files it is
 * given exactly as the single-threaded run does (the same Workspace logic, configuration per
 * file) and keeps, for files that take part in cross-document checks, their entries and a range
 * resolver, to answer the main thread's questions about them afterwards.
 */

const port = parentPort;
if (!port) throw new Error('check-worker runs as a worker thread');
const setup = workerData as WorkerSetup;
const workspace = new Workspace(setup.preferences);
const kept = new Map<number, { entries: CrossEntry[]; rangeOf: (path: DataPath) => Range }>();

function send(message: FromWorker): void {
  port?.postMessage(message);
}

function answer(questions: (ToWorker & { type: 'ask' })['questions']): Answer[] {
  return questions.map((q) => {
    const held = kept.get(q.file);
    if (!held) throw new Error(`no cross-document entries kept for file ${q.file}`);
    if (q.kind === 'range') return { kind: 'range', range: held.rangeOf(q.path) };
    const entry = held.entries[q.entry];
    if (q.kind === 'params') {
      if (entry?.kind !== 'unique') throw new Error(`entry ${q.entry} of file ${q.file} is not a unique entry`);
      return { kind: 'params', params: entry.params() };
    }
    if (entry?.kind !== 'lookup') throw new Error(`entry ${q.entry} of file ${q.file} is not a lookup entry`);
    const outcome = entry.check(q.other);
    return { kind: 'check', ok: outcome.ok, params: outcome.params };
  });
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'close') {
      port.close();
      return;
    }
    if (message.type === 'ask') {
      send({ type: 'answers', id: message.id, answers: answer(message.questions) });
      return;
    }
    const target = { path: message.path, explicit: message.explicit };
    const fileSetup = workspace.setupFor(target.path);
    const report = checkFileOnDisk(fileSetup, target.path, { today: setup.today, explicit: target.explicit, keep: true });
    const { result, text } = report;
    delete report.result;
    delete report.text;
    const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
    if (!result || text === undefined || entries.length === 0) {
      send({ type: 'checked', file: message.file, report });
      return;
    }
    const plain = entries.map(plainEntry);
    if (!plain.every((entry) => entry.kind !== 'published' || crossesIntact(entry.fields))) {
      send({ type: 'checked', file: message.file, report, local: true });
      return;
    }
    kept.set(message.file, { entries, rangeOf: fileSetup.engine.rangeResolver(text) });
    send({ type: 'checked', file: message.file, report, entries: plain });
  } catch (error) {
    send({ type: 'failed', ...(message.type === 'check' ? { file: message.file } : {}), message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

send({ type: 'ready' });
