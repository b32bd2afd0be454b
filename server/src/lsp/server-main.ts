import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createNodeEngine, localToday, productVersion } from '../node/create-engine.js';
import { startIdleCollector } from './idle-gc.js';
import { startServer } from './server.js';

/**
 * Entry point of the bundled server (dist/server.cjs). The transport comes from the command
 * line as VS Code passes it: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
// A language server lives all day with many documents open: a small young generation keeps short-
// lived garbage (a check of a large file makes mostly that) from growing the heap, and a full
// collection when idle gives back what a burst of work left behind (idle-gc.ts). Set before
// anything sizeable is allocated. (V8's --optimize-for-size would keep the heap smaller still,
// but makes each check of a large document several times slower.)
setFlagsFromString('--max-semi-space-size=8');
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
