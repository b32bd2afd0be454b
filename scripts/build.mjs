// Bundles the CLI, the language server and the VS Code client with esbuild (CommonJS, Node).
// Usage: node scripts/build.mjs [--watch] [--minify]
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const require = createRequire(import.meta.url);

// The export writers stay in node_modules (dependencies): pdfkit reads its font metrics from its own
// folder at run time, and keeping them out of the bundle keeps `check` and the server's start fast
// (the writers load on the first export).
const exportWriters = ['exceljs', 'docx', 'pdfkit', 'jszip'];

const entries = [
  { in: 'server/src/cli/cli.ts', out: 'cli' },
  { in: 'server/src/lsp/server-main.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
].filter((entry) => existsSync(join(root, entry.in)));

mkdirSync(join(root, 'dist'), { recursive: true });
// re2-wasm loads its WebAssembly file from the bundle's folder.
copyFileSync(join(dirname(require.resolve('re2-wasm')), '..', 'wasm', 're2.wasm'), join(root, 'dist', 're2.wasm'));

const contexts = await Promise.all(
  entries.map((entry) =>
    esbuild.context({
      absWorkingDir: root,
      entryPoints: { [entry.out]: entry.in },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      minify,
      external: [...(entry.external ?? []), ...exportWriters],
      logLevel: 'warning',
      // Sources are ES modules; the bundles are CommonJS and find their folder via __dirname.
      logOverride: { 'empty-import-meta': 'silent' },
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching…');
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
