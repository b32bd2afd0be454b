import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createNodeEngine, localToday, productVersion } from '../node/create-engine.js';
import { startServer } from './server.js';

/**
 * Entry point of the bundled server (dist/server.cjs). The transport comes from the command
 * line as VS Code passes it: `--stdio`, `--node-ipc` or `--socket=<port>`.
 */
// Logged (stderr reaches the client's output channel), never fatal: a bug must not end the session.
process.on('uncaughtException', (error) => {
  process.stderr.write(`zorgtoets: onverwachte fout: ${error.stack ?? error.message}\n`);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`zorgtoets: onverwachte fout: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});

const connection = createConnection(ProposedFeatures.all);
startServer(connection, {
  createEngine: ({ extraFolders }) => createNodeEngine({ extraFolders }),
  today: () => localToday(),
  name: 'zorgtoets',
  version: productVersion(),
});
