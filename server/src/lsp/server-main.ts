import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createNodeEngine, localToday, productVersion } from '../node/create-engine.js';
import { startIdleCollector } from './idle-gc.js';
import { startServer } from './server.js';

/**
 * Entry point of the bundled server (dist/server.cjs). The transport comes from the command
 * line as VS Code passes it: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
// A language server lives all day with many documents open. V8 lets the heap grow to up to four
// times what is live before collecting fully; a server that is never idle for long (typing in one
// plan after another) then keeps that much resident. 30% above what is live keeps it close to its
// working set; the full collections this adds are mostly concurrent marking (no measurable
// effect on edit latency at 10k lines). A full collection when idle gives back what a burst of
// work left behind (idle-gc.ts). The young generation's size is a start-up flag (launch.ts).
// (V8's --optimize-for-size would keep the heap smaller still, but makes each check of a large
// document several times slower.)
setFlagsFromString('--heap-growing-percent=30');
startIdleCollector();

// Logged (stderr reaches the client's output channel), never fatal: a bug must not end the session.
process.on('uncaughtException', (error) => {
  process.stderr.write(`zorgtoets: onverwachte fout: ${error.stack ?? error.message}\n`);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`zorgtoets: onverwachte fout: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});

const connection = createConnection(ProposedFeatures.all);
startServer(connection, {
  createEngine: (options) => createNodeEngine(options),
  today: () => localToday(),
  name: 'zorgtoets',
  version: productVersion(),
});
