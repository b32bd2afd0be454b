import { main } from './main.js';

// Entry point of the `zorgtoets` command (bundled to dist/cli.cjs).
process.exitCode = main(process.argv.slice(2));
