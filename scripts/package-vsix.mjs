// Builds the VS Code extension package (VSIX) with @vscode/vsce from a staging folder that holds
// only what runs: the bundles, the form data, the manifest and its texts, the README.
// No sources, tests, source maps or node_modules (everything the extension needs is bundled).
// Usage: node scripts/package-vsix.mjs  → zorgtoets-<version>.vsix in the repository root.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { bundleServerWithWriters } from './server-for-vsix.mjs';

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
for (const file of ['extension.cjs', 're2.wasm', 'data-cache.json']) cpSync(join(root, 'dist', file), join(stage, 'dist', file));
await bundleServerWithWriters(root, join(stage, 'dist'));
for (const path of ['schemas', 'l10n', 'package.nls.json', 'package.nls.nl.json', 'README.md']) cpSync(join(root, path), join(stage, path), { recursive: true });

// The manifest as the extension needs it: no scripts, dependencies or npm `files` list.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const key of ['scripts', 'dependencies', 'devDependencies', 'files', 'bin', 'private', 'type']) delete pkg[key];
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(join(stage, '.vscodeignore'), '');

const vsix = join(root, `zorgtoets-${pkg.version}.vsix`);
const vsce = join(require.resolve('@vscode/vsce/package.json'), '..', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], stage);

// List what went in, and refuse anything that is not part of the running extension.
const entries = zipEntries(readFileSync(vsix));
const allowed = [/^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/, /^extension\/(package\.json|package\.nls(\.nl)?\.json|readme\.md|README\.md)$/, /^extension\/dist\/(extension|server)\.cjs$/, /^extension\/dist\/(re2\.wasm|data-cache\.json)$/, /^extension\/dist\/writers\//, /^extension\/schemas\//, /^extension\/l10n\/bundle\.l10n\.[a-z-]+\.json$/];
const stray = entries.filter((name) => !allowed.some((pattern) => pattern.test(name)));
console.log(`\n${vsix}: ${entries.length} files`);
for (const name of entries) console.log(`  ${name}`);
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
