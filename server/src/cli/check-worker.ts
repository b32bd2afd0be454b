import { parentPort, workerData } from 'node:worker_threads';
import { checkFileOnDisk, checkOptionsFor, Workspace } from '../node/workspace.js';
import type { FromWorker, ToWorker, WorkerSetup } from './check-protocol.js';
import { plainEntry } from './cross-step.js';

/**
 * A worker thread of `zorgtoets check` (bundled to dist/check-worker.cjs): checks the files it is
 * given exactly as the single-threaded run does (the same Workspace logic, configuration per
 * file) and sends back each report, with the text and plain cross-document entries of a file that
 * takes part in cross-document checks (the main thread does those, see cross-step.ts).
 */

const port = parentPort;
if (!port) throw new Error('check-worker runs as a worker thread');
const setup = workerData as WorkerSetup;
const workspace = new Workspace(setup.preferences);

function send(message: FromWorker): void {
  port?.postMessage(message);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    port.close();
    return;
  }
  try {
    const fileSetup = workspace.setupFor(message.path);
    const report = checkFileOnDisk(fileSetup, message.path, { today: setup.today, explicit: message.explicit, keep: true });
    const { result, text } = report;
    delete report.result;
    delete report.text;
    const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
    if (!result || text === undefined || entries.length === 0) {
      send({ type: 'checked', file: message.file, report });
      return;
    }
    const options = checkOptionsFor(fileSetup, { today: setup.today, explicit: message.explicit });
    send({ type: 'checked', file: message.file, report, cross: { text, options, entries: entries.map(plainEntry) } });
  } catch (error) {
    // The main thread checks this file itself, and meets the same error if there is one.
    send({ type: 'failed', file: message.file, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

send({ type: 'ready' });
