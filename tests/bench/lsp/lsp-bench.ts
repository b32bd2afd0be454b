import { readFileSync } from 'node:fs';
import { ROOT } from '../../helpers/engine.js';
import { LspClient } from '../../helpers/lsp-client.js';
import { median } from '../compare/lsp-runs.js';
import { generateRegioplan } from '../generate-regioplan.js';

/**
 * Language-server benchmark over stdio against the bundled server (dist/server.cjs), in the
 * manner of ../shared/tools/lsp-bench: startup to initialized, open → first diagnostics and
 * edit → diagnostics (p50/p95) on a 10k-line regioplan with the debounce at 0, and the server's
 * RSS with 1 and with 50 such documents open. Prints numbers; asserts only that the server
 * answered correctly (an invalid edit must produce a diagnostic on the edited line).
 * Targets (issue 4): edit p50 < 30 ms, RSS (50 docs) < 150 MB, startup < 300 ms.
 */

const EDITS = Number(process.env['LSP_BENCH_EDITS'] ?? 100);
const STARTS = 7;
const DOCS = Number(process.env['LSP_BENCH_DOCS'] ?? 50);
const LINES = Number(process.env['LSP_BENCH_LINES'] ?? 10000);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}
const r1 = (n: number) => Math.round(n * 10) / 10;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return r1(kb / 1024);
}

async function startup(): Promise<{ initializeMs: number; initializedMs: number }> {
  const t0 = performance.now();
  const client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  const initializeMs = performance.now() - t0;
  // "initialized" is a notification; the first answered request after it marks the server ready.
  await client.request('zorgtoets/forms', {});
  const initializedMs = performance.now() - t0;
  await client.shutdown();
  return { initializeMs, initializedMs };
}

async function main(): Promise<void> {
  const text = generateRegioplan(ROOT, LINES);
  const lines = text.split('\n');
  const target = lines.findIndex((l, i) => i > lines.length / 2 && /^\s+aantal_ingeschreven_patienten: \d+\s*$/.test(l));
  if (target < 0) throw new Error('no integer line to edit in the generated document');
  const column = (lines[target] ?? '').indexOf(':') + 2;
  const original = (lines[target] ?? '').slice(column).trim();

  const starts = [];
  // Seven starts: on a shared VM one start in three or four is slowed by other work.
  for (let i = 0; i < STARTS; i++) starts.push(await startup());
  const initializeMedian = median(starts.map((s) => s.initializeMs));
  const readyMedian = median(starts.map((s) => s.initializedMs));

  const client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  await client.request('zorgtoets/forms', {});
  const uri = 'file:///bench/regioplan-10k.yaml';
  const tOpen = performance.now();
  await client.open(uri, text);
  const opened = await client.waitForVersion(uri, 1, 120000);
  const openMs = opened.at - tOpen;

  const latencies: number[] = [];
  let hits = 0;
  let mismatches = 0;
  let current = original;
  for (let i = 0; i < EDITS; i++) {
    const invalid = i % 2 === 0;
    const next = invalid ? 'ongeldig' : String(Number(original) + i);
    const version = i + 2;
    const t0 = performance.now();
    await client.change(uri, version, [{ range: { start: { line: target, character: column }, end: { line: target, character: column + current.length } }, text: next }]);
    const publish = await client.waitForVersion(uri, version, 120000);
    latencies.push(publish.at - t0);
    current = next;
    const onLine = publish.diagnostics.some((d) => d.range.start.line <= target && d.range.end.line >= target);
    if (invalid && onLine) hits++;
    else if (invalid !== onLine) mismatches++;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rss1 = rssMb(client.child.pid);

  const tMany = performance.now();
  const uris = Array.from({ length: DOCS - 1 }, (_, k) => `file:///bench/copy-${k + 1}/regioplan-10k.yaml`);
  const waits = uris.map((u) => client.waitForVersion(u, 1, 600000));
  for (const u of uris) await client.open(u, text);
  await Promise.all(waits);
  const manyMs = performance.now() - tMany;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssMany = rssMb(client.child.pid);
  await client.shutdown();

  const summary = {
    server: 'zorgtoets (dist/server.cjs)',
    doc_lines: lines.length,
    doc_bytes: text.length,
    startup_initialize_ms: r1(initializeMedian),
    startup_ready_ms: r1(readyMedian),
    open_ms: r1(openMs),
    initial_diagnostics: opened.diagnostics.length,
    edits: latencies.length,
    edit_min_ms: r1(sorted[0] ?? Number.NaN),
    edit_p50_ms: r1(percentile(sorted, 0.5)),
    edit_p95_ms: r1(percentile(sorted, 0.95)),
    edit_max_ms: r1(sorted[sorted.length - 1] ?? Number.NaN),
    invalid_edits_with_diagnostic_on_line: `${hits}/${Math.ceil(EDITS / 2)}`,
    mismatches,
    rss_1doc_mb: rss1,
    rss_docs: DOCS,
    rss_ndocs_mb: rssMany,
    ndocs_open_ms: r1(manyMs),
    node: process.version,
  };
  console.log(`\nzorgtoets LSP benchmark — node ${process.version}, ${new Date().toISOString()}`);
  console.log('| metric | value | target |');
  console.log('|---|---|---|');
  // "Startup to initialized" (issue 4) is the handshake, as the shared harness and bench:compare
  // measure startup; the first answer after it also includes loading the engine's data.
  console.log(`| startup to initialized: spawn → initialize result (median of ${STARTS}) | ${summary.startup_initialize_ms} ms | < 300 ms |`);
  console.log(`| spawn → first request answered after initialized, engine loaded (median of ${STARTS}) | ${summary.startup_ready_ms} ms | |`);
  console.log(`| open → first diagnostics (${summary.doc_lines} lines) | ${summary.open_ms} ms | |`);
  console.log(`| edit → diagnostics p50 / p95 (${EDITS} edits, debounce 0) | ${summary.edit_p50_ms} / ${summary.edit_p95_ms} ms | p50 < 30 ms |`);
  console.log(`| RSS with 1 document | ${rss1} MB | |`);
  console.log(`| RSS with ${DOCS} documents (all diagnosed after ${summary.ndocs_open_ms} ms) | ${rssMany} MB | < 150 MB |`);
  console.log(JSON.stringify(summary));
  if (hits === 0 || mismatches > 0) {
    console.error('lsp-bench: the server did not report the invalid edits as expected');
    process.exit(3);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
