// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [folder-or-file …]   (default: every tests/**/*.test.ts except e2e)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const starts = args.length > 0 ? args : ['tests'];

function collect(path, out) {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (args.length === 0 && (name === 'e2e' || name === 'bench' || name === 'fixtures')) continue;
    collect(join(path, name), out);
  }
}

const files = [];
for (const start of starts) collect(join(root, start), files);
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => relative(root, f))], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TZ: 'Europe/Amsterdam' },
});
process.exit(result.status ?? 1);
