// The language server as the VSIX ships it: the bundle plus the export writers' libraries,
// bundled beside it (see bundleServerWithWriters). Used by package-vsix.mjs and its test.
import { cpSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

/**
 * The language server for the VSIX. The npm build leaves the export writers' libraries (exceljs,
 * docx, pdfkit, jszip) in node_modules, which the VSIX does not ship (with their dependencies they
 * are over 80 MB). Here each is bundled into a file of its own under dist/writers/, loaded on the
 * first export as before, and the server requires them from there. pdfkit finds its standard
 * fonts through its package's `imports` (#standard-fonts/…) and reads its colour profile beside
 * itself: both are given to it in dist/writers/.
 */
export async function bundleServerWithWriters(root, dist) {
  const require = createRequire(join(root, 'package.json'));
  const writers = ['exceljs', 'docx', 'pdfkit', 'jszip'];
  const common = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' } };
  for (const name of writers) {
    await esbuild.build({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: 'js' }, outfile: join(dist, 'writers', `${name}.cjs`) });
  }
  // pdfkit's main is js/pdfkit.js (its package.json is not among its exports).
  const pdfkit = dirname(require.resolve('pdfkit'));
  cpSync(join(pdfkit, 'standard-fonts'), join(dist, 'writers', 'standard-fonts'), { recursive: true });
  cpSync(join(pdfkit, 'data'), join(dist, 'writers', 'data'), { recursive: true });
  writeFileSync(join(dist, 'writers', 'package.json'), `${JSON.stringify({ private: true, imports: { '#standard-fonts/*': './standard-fonts/*.cjs' } }, null, 2)}\n`);
  await esbuild.build({
    ...common,
    entryPoints: { server: 'server/src/lsp/server-main.ts' },
    outdir: dist,
    outExtension: { '.js': '.cjs' },
    plugins: [
      {
        name: 'writers-beside-the-server',
        setup(build) {
          build.onResolve({ filter: new RegExp(`^(${writers.join('|')})$`) }, (args) => ({ path: `./writers/${args.path}.cjs`, external: true }));
        },
      },
    ],
  });
}

