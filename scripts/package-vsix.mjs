// Builds the VS Code extension package (VSIX) with @vscode/vsce from a staging folder that holds
// only what runs: the bundles, the form data, the manifest and its texts, the README.
// No sources, tests, source maps or node_modules: everything the extension needs is bundled, and
// the export writers (external to the bundles, see build.mjs) are bundled one by one into
// dist/node_modules/<writer>/, where `require('<writer>')` from dist/server.cjs finds them.
// Usage: node scripts/package-vsix.mjs  → zorgtoets-<version>.vsix in the repository root.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { exportWriters, writerRuntimeFiles } from './export-writers.mjs';

const root = join(import.meta.dirname, '..');
const stage = join(root, '.tmp', 'vsix');
const require = createRequire(import.meta.url);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed (${result.status})`);
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--minify'], root);

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist'), { recursive: true });
for (const file of ['extension.cjs', 'server.cjs', 're2.wasm', 'data-cache.json']) cpSync(join(root, 'dist', file), join(stage, 'dist', file));
for (const path of ['schemas', 'l10n', 'package.nls.json', 'package.nls.nl.json', 'README.md']) cpSync(join(root, path), join(stage, path), { recursive: true });
for (const writer of exportWriters) await vendorWriter(writer, join(stage, 'dist', 'node_modules', writer));

// The manifest as the extension needs it: no scripts, dependencies or npm `files` list.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const key of ['scripts', 'dependencies', 'devDependencies', 'files', 'bin', 'private', 'type']) delete pkg[key];
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(join(stage, '.vscodeignore'), '');
checkVendoredWriters();

const vsix = join(root, `zorgtoets-${pkg.version}.vsix`);
const vsce = join(require.resolve('@vscode/vsce/package.json'), '..', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], stage);

// List what went in, and refuse anything that is not part of the running extension.
const entries = zipEntries(readFileSync(vsix));
const vendored = new RegExp(`^extension/dist/node_modules/(${exportWriters.join('|')})/`);
const allowed = [/^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/, /^extension\/(package\.json|package\.nls(\.nl)?\.json|readme\.md|README\.md)$/, /^extension\/dist\/(extension|server)\.cjs$/, /^extension\/dist\/(re2\.wasm|data-cache\.json)$/, vendored, /^extension\/schemas\//, /^extension\/l10n\/bundle\.l10n\.[a-z-]+\.json$/];
const stray = entries.filter((name) => !allowed.some((pattern) => pattern.test(name)));
console.log(`\n${vsix}: ${entries.length} files`);
for (const name of entries) console.log(`  ${name}`);
const missingWriters = exportWriters.filter((writer) => !entries.includes(`extension/dist/node_modules/${writer}/package.json`));
if (missingWriters.length > 0) {
  console.error(`package: export writers missing from the VSIX: ${missingWriters.join(', ')}`);
  process.exit(1);
}
if (stray.length > 0 || !entries.includes('extension/dist/server.cjs') || !entries.includes('extension/dist/extension.cjs')) {
  console.error(`package: unexpected content in the VSIX: ${stray.join(', ') || '(bundles missing)'}`);
  process.exit(1);
}
// The manifest inside must be the staged one (main points at the bundle).
const manifest = JSON.parse(zipRead(readFileSync(vsix), 'extension/package.json'));
if (manifest.main !== './dist/extension.cjs') {
  console.error('package: extension/package.json has the wrong main');
  process.exit(1);
}

/**
 * One export writer as a single minified file at its package's main path (so relative paths in its
 * code still hold), with its package.json (whose `imports` map pdfkit uses) and the files it reads
 * at run time. Its own dependencies are inside the bundle.
 */
async function vendorWriter(name, target) {
  const entry = require.resolve(name);
  // The package folder: `<name>/package.json` is not always exported, so walk up from the entry.
  let packageDir = dirname(entry);
  while (!existsSync(join(packageDir, 'package.json')) || JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name !== name) {
    if (dirname(packageDir) === packageDir) throw new Error(`package: no package folder for ${name}`);
    packageDir = dirname(packageDir);
  }
  const main = relative(packageDir, entry);
  mkdirSync(target, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  // Only what resolution needs: scripts and dependency lists would only mislead.
  const kept = Object.fromEntries(['name', 'version', 'license', 'main', 'exports', 'imports'].filter((k) => k in manifest).map((k) => [k, manifest[k]]));
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(kept, null, 2)}\n`);
  for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.markdown', 'LICENSE.txt', 'LICENCE']) if (existsSync(join(packageDir, file))) cpSync(join(packageDir, file), join(target, file));
  for (const folder of writerRuntimeFiles[name] ?? []) cpSync(join(packageDir, folder), join(target, folder), { recursive: true, filter: (src) => !src.endsWith('.mjs') });
  await esbuild.build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: 'js' },
    outfile: join(target, main),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/**
 * The vendored writers must write what the installed ones write: the CLI bundle, run from the
 * staging folder (where it finds dist/node_modules first), exports the valid regioplan in every
 * writer's format, and the bytes are compared with the CLI run from the repository. Exports are
 * deterministic, so any difference is the vendoring's.
 */
function checkVendoredWriters() {
  const sample = join(root, 'samples', 'vgz', 'rho-regioplan', 'valid.yaml');
  const out = join(root, '.tmp', 'vsix-check');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const stagedCli = join(stage, 'dist', 'cli.cjs');
  cpSync(join(root, 'dist', 'cli.cjs'), stagedCli);
  try {
    for (const format of ['xlsx', 'docx', 'pdf']) {
      const outputs = [];
      for (const [label, cli] of [['repository', join(root, 'dist', 'cli.cjs')], ['vsix', stagedCli]]) {
        const file = join(out, `${label}.${format}`);
        const result = spawnSync(process.execPath, [cli, 'export', sample, '--naar', format, '-o', file], { encoding: 'utf8' });
        if (result.status !== 0) {
          console.error(`package: export to ${format} with the ${label}'s writers failed (${result.status}):\n${result.stderr}`);
          process.exit(1);
        }
        outputs.push(readFileSync(file));
      }
      if (!outputs[0].equals(outputs[1])) {
        console.error(`package: the vendored writers export ${format} differently from the installed ones`);
        process.exit(1);
      }
      console.log(`package: vendored writers export ${format} byte for byte (${outputs[0].length} bytes)`);
    }
  } finally {
    rmSync(stagedCli);
  }
}

/** Names in a zip's central directory. */
function zipEntries(buffer) {
  return centralDirectory(buffer).map((e) => e.name);
}

function zipRead(buffer, name) {
  const entry = centralDirectory(buffer).find((e) => e.name === name);
  if (!entry) throw new Error(`${name} not in the VSIX`);
  const local = entry.offset;
  const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
  const data = buffer.subarray(dataStart, dataStart + entry.compressedSize);
  return (entry.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

function centralDirectory(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buffer.readUInt16LE(at + 28);
    out.push({
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      compressedSize: buffer.readUInt32LE(at + 20),
      offset: buffer.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return out;
}
