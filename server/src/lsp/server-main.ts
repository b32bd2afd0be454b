import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createNodeEngine, localToday, productVersion } from '../node/create-engine.js';
import { startServer } from './server.js';

/**
 * Entry point of the bundled server (dist/server.cjs). The transport comes from the command
 * line as VS Code passes it: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
// A language server lives all day with many documents open: a small young generation and a heap
// tuned for size keep its memory near what it really holds (parsing a large file makes short-lived
// garbage only). Set before anything sizeable is allocated.
setFlagsFromString('--max-semi-space-size=2');
setFlagsFromString('--optimize-for-size');

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
