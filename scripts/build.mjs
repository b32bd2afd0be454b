// Bundles the CLI, the language server and the VS Code client with esbuild (CommonJS, Node).
// Usage: node scripts/build.mjs [--watch] [--minify]
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import Ajv2020 from 'ajv/dist/2020.js';
import { latin1Comments } from './latin1-comments.mjs';
import { parse as parseYaml } from 'yaml';

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
  // An organisation's rules run in a worker thread with a time limit (server/src/node/rule-sandbox.ts).
  { in: 'server/src/node/rule-worker.ts', out: 'rule-worker' },
  // Worker threads of `zorgtoets check` on many files (server/src/cli/parallel-check.ts).
  { in: 'server/src/cli/check-worker.ts', out: 'check-worker' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
].filter((entry) => existsSync(join(root, entry.in)));

mkdirSync(join(root, 'dist'), { recursive: true });
// re2-wasm loads its WebAssembly file from the bundle's folder.
copyFileSync(join(dirname(require.resolve('re2-wasm')), '..', 'wasm', 're2.wasm'), join(root, 'dist', 're2.wasm'));

writeDataCache();

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
      // Comments in Latin-1, so V8 keeps each bundle's source one byte per character (see there).
      metafile: true,
      plugins: [latin1Comments(root)],
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

/**
 * dist/data-cache.json: every YAML/JSON file under schemas/, parsed, with the hash of its text.
 * The engine uses an entry only when the file's text still has that hash (see NodeDataFiles).
 * A file that does not parse is left out, so the engine reports it with its usual message.
 * A JSON Schema (*.schema.json) that passes the 2020-12 meta-schema is marked `vetted`: the engine
 * then skips compiling the meta-schema at start-up; one that fails is not, and the engine reports it.
 */
function writeDataCache() {
  const base = join(root, 'schemas');
  const files = {};
  const meta = new Ajv2020({ strict: false });
  const walk = (dir) => {
    for (const name of readdirSync(join(base, dir)).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (statSync(join(base, rel)).isDirectory()) walk(rel);
      else if (/\.(ya?ml|json)$/.test(name)) {
        const text = readFileSync(join(base, rel), 'utf8');
        try {
          const data = rel.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
          files[rel] = { sha1: createHash('sha1').update(text).digest('hex'), data };
          if (rel.endsWith('.schema.json') && isValidSchema(meta, data)) files[rel].vetted = true;
        } catch {
          // Left to the engine, which names the file and the problem.
        }
      }
    }
  };
  walk('');
  writeFileSync(join(root, 'dist', 'data-cache.json'), JSON.stringify({ files }));
}

function isValidSchema(ajv, data) {
  try {
    return ajv.validateSchema(data) === true;
  } catch {
    // An unknown $schema, say: not vetted, so the engine checks it (and names the problem).
    return false;
  }
}
