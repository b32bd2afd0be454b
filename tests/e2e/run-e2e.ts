// npm run test:e2e — the packaged extension in a real VS Code in the browser:
//   1. code-server into the cache folder (tests/e2e/install-code-server.sh; reused when there),
//   2. the VSIX (npm run package),
//   3. the scenarios (tests/e2e/browser/vscode-web.e2e.ts, node's test runner) in their own
//      process group, under an overall time limit,
//   4. whatever the scenarios started and left running is ended (code-server, Chromium).
// Output (screenshots, browser console, code-server's and the extension host's logs) goes to
// test-output/e2e/. Environment: ZORGTOETS_E2E_CACHE (cache folder, default ~/.cache/zorgtoets),
// ZORGTOETS_E2E_VSIX (use this VSIX instead of building one), ZORGTOETS_E2E_CHROMIUM
// (default /usr/bin/chromium), ZORGTOETS_E2E_TIMEOUT_S (overall limit of step 3, default 1500).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { endGroup, killGroupNow, ProcessGroups } from './browser/processes.js';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'test-output', 'e2e');
const cache = process.env.ZORGTOETS_E2E_CACHE || join(homedir(), '.cache', 'zorgtoets');
const chromium = process.env.ZORGTOETS_E2E_CHROMIUM || '/usr/bin/chromium';
const limitSeconds = Number(process.env.ZORGTOETS_E2E_TIMEOUT_S || 1500);
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function fail(message: string): never {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const groups = new ProcessGroups(join(out, 'process-groups.txt'));

// 1. code-server (the install script prints its entry point last).
let step = Date.now();
const install = spawnSync('bash', [join(import.meta.dirname, 'install-code-server.sh'), cache], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const entry = install.stdout.trim().split('\n').at(-1) ?? '';
if (install.status !== 0 || !existsSync(entry)) fail(`code-server could not be installed (exit ${install.status}); see the log in ${cache}`);
console.log(`e2e: code-server ready (${entry}) in ${seconds(step)}`);
if (!existsSync(chromium)) fail(`no Chromium at ${chromium} (apt-get install chromium, or set ZORGTOETS_E2E_CHROMIUM)`);

// 2. The VSIX, as a user gets it.
step = Date.now();
let vsix = process.env.ZORGTOETS_E2E_VSIX ?? '';
if (!vsix) {
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8' });
  if (pkg.status !== 0) fail(`npm run package failed:\n${pkg.stdout}${pkg.stderr}`);
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  vsix = join(root, `zorgtoets-${version}.vsix`);
  for (const line of pkg.stdout.split('\n').filter((l) => l.startsWith('package:'))) console.log(`e2e: ${line}`);
  console.log(`e2e: packaged ${vsix} in ${seconds(step)}`);
}
if (!existsSync(vsix)) fail(`no VSIX at ${vsix}`);

// 3. The scenarios, in their own process group so a time-out ends all of it.
step = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', join('tests', 'e2e', 'browser', 'vscode-web.e2e.ts')], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
  env: { ...process.env, ZORGTOETS_E2E_CODE_SERVER: entry, ZORGTOETS_E2E_VSIX: vsix, ZORGTOETS_E2E_OUT: out, ZORGTOETS_E2E_CHROMIUM: chromium, TZ: 'Europe/Amsterdam' },
});
if (child.pid === undefined) fail('the test runner did not start');
const runner = child.pid;

/** The scenarios' temporary folder (user data, extensions, workspace), when they could not remove it. */
function removeRunDir(): void {
  const runDirFile = join(out, 'run-dir.txt');
  const runDir = existsSync(runDirFile) ? readFileSync(runDirFile, 'utf8').trim() : '';
  if (runDir.includes('zorgtoets-e2e-')) rmSync(runDir, { recursive: true, force: true });
}

async function endEverything(): Promise<string[]> {
  await endGroup(runner, 5000);
  const ended = await groups.endAll();
  removeRunDir();
  return ended;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killGroupNow(runner);
    groups.killAllNow();
    removeRunDir();
    process.exit(130);
  });
}
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(`e2e: the scenarios took longer than ${limitSeconds} s; ending them`);
  void endGroup(runner, 5000);
}, limitSeconds * 1000);

const code = await new Promise<number>((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
clearTimeout(timer);
const leftovers = await endEverything();
if (leftovers.length > 0) console.log(`e2e: ended what the scenarios left running: ${leftovers.join(', ')}`);
console.log(`e2e: scenarios ${code === 0 && !timedOut ? 'passed' : 'FAILED'} in ${seconds(step)}; total ${seconds(started)}; screenshots and logs in ${out}`);
process.exit(timedOut ? 1 : code);
