import { main } from './main.js';

// Entry point of the `zorgtoets` command (bundled to dist/cli.cjs).
const outcome = main(process.argv.slice(2));
if (typeof outcome === 'number') process.exitCode = outcome;
else
  outcome.then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`zorgtoets: interne fout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
