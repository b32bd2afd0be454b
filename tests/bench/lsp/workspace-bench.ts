import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../helpers/engine.js';
import { LspClient } from '../../helpers/lsp-client.js';
import { generateRegioplan } from '../generate-regioplan.js';

/**
 * The language server on a workspace (checks across documents): how long the scan of the
 * workspace takes, what an edit of a 10k-line regioplan costs with and without a second large
 * regioplan in the workspace that shares all its practices (so every edit recomputes hundreds of
 * VGZ-RHO-05 findings), and the server's RSS after the scan. Prints numbers; asserts only that the
 * findings across documents were there.
 */

const EDITS = Number(process.env['LSP_BENCH_EDITS'] ?? 30);
const LINES = Number(process.env['LSP_BENCH_LINES'] ?? 10000);
const COPIES = Number(process.env['LSP_BENCH_COPIES'] ?? 5);

const r1 = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return r1(kb / 1024);
}

async function measure(withPartner: boolean): Promise<{ scanMs: number; editP50: number; rss: number; crossFindings: number; files: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'zt-ws-bench-'));
  try {
    const big = generateRegioplan(ROOT, LINES);
    writeFileSync(join(dir, 'groot.yaml'), big);
    // The samples, several times over: a workspace of a consultant with a few clients.
    for (let i = 0; i < COPIES; i++) cpSync(join(ROOT, 'samples'), join(dir, `klant-${i + 1}`), { recursive: true });
    if (withPartner) writeFileSync(join(dir, 'ander.yaml'), big.replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond').replace('"71845203"', '"62930174"'));

    const client = new LspClient();
    const t0 = performance.now();
    await client.initialize({ debounceMs: 0 }, null, [pathToFileURL(dir).href]);
    const scanned = await waitForLog(client, /^werkruimte: (\d+) YAML-bestand\(en\) bekeken/);
    const scanMs = performance.now() - t0;
    const files = Number(/^werkruimte: (\d+)/.exec(scanned)?.[1] ?? Number.NaN);

    const uri = pathToFileURL(join(dir, 'groot.yaml')).href;
    await client.open(uri, big);
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 1 && (!withPartner || p.diagnostics.length > 0), { timeoutMs: 120000 });
    const crossFindings = first.diagnostics.filter((d) => d.code === 'VGZ-RHO-05').length;

    const lines = big.split('\n');
    const target = lines.findIndex((l, i) => i > lines.length / 2 && /^\s+aantal_ingeschreven_patienten: \d+\s*$/.test(l));
    const column = (lines[target] ?? '').indexOf(':') + 2;
    let current = (lines[target] ?? '').slice(column).trim();
    const latencies: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const next = String(Number(current) + 1);
      const version = i + 2;
      const start = performance.now();
      await client.change(uri, version, [{ range: { start: { line: target, character: column }, end: { line: target, character: column + current.length } }, text: next }]);
      const publish = await client.waitForVersion(uri, version, 120000);
      latencies.push(publish.at - start);
      current = next;
    }
    const rss = rssMb(client.child.pid);
    await client.shutdown();
    return { scanMs, editP50: median(latencies), rss, crossFindings, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForLog(client: LspClient, pattern: RegExp, timeoutMs = 300000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const line = client.log.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > end) throw new Error(`no log line ${pattern}\n${client.log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const alone = await measure(false);
  // LSP_BENCH_SHARED=0: only the first case (the second, at 50,000 lines, takes minutes).
  const shared = process.env['LSP_BENCH_SHARED'] === '0' ? undefined : await measure(true);
  if (shared && shared.crossFindings === 0) throw new Error('the shared practices were not reported across documents');
  console.log(`workspace of ${alone.files} YAML files (samples × ${COPIES} and a ${LINES}-line regioplan), debounce 0, ${EDITS} edits`);
  console.log('| case | scan (ms) | edit → diagnostics p50 (ms) | RSS after (MB) | VGZ-RHO-05 across documents |');
  console.log('|---|---|---|---|---|');
  console.log(`| no other plan shares practices | ${r1(alone.scanMs)} | ${r1(alone.editP50)} | ${alone.rss} | ${alone.crossFindings} |`);
  if (shared) console.log(`| a second ${LINES}-line plan shares every practice | ${r1(shared.scanMs)} | ${r1(shared.editP50)} | ${shared.rss} | ${shared.crossFindings} |`);
}

await main();
