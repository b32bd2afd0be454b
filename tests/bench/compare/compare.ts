import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { engine, ROOT, TODAY } from '../../helpers/engine.js';
import { generateRegioplan } from '../generate-regioplan.js';
import { spectralCli, spectralRuleset, timed, type TimedRun } from './batch-runs.js';
import { bundleFormSchema, inlineDefinitions } from './bundle-schema.js';
import { median, runHarness, type HarnessSummary } from './lsp-runs.js';
import { SERVER_NODE_FLAGS } from '../../../server/src/lsp/launch.js';

/**
 * `npm run bench:compare`: zorgtoets next to yaml-language-server 2.0.0 and Spectral, in one run,
 * on the same generated regioplans and the same JSON Schema (the form's own, bundled into one
 * self-contained file for the other tools), with the same editing script (lsp-bench.mjs, the
 * project's copy of ../shared/tools/lsp-bench).
 *
 * - Language servers, per size (1k / 10k / 50k lines): zorgtoets's bundled server with its debounce
 *   at 0; yaml-language-server as shipped (its validation waits a fixed 200 ms) and with that wait
 *   removed (yls-delay-shim.mjs), so work is compared with work. Startup, open → diagnostics, edit →
 *   diagnostics (p50/p95), RSS with 1 and with 50 documents open; medians of repeated runs.
 * - Command line: `zorgtoets check` on a folder of generated submissions (all cores, and --jobs 1,
 *   whose outputs must be identical) against Spectral's CLI validating the same files with the
 *   same schema (its `schema` function), as throughput.
 *
 * Prints numbers and the targets next to them; asserts nothing but that each tool really checked
 * (the harness fails when an invalid edit gets no diagnostic). Environment knobs:
 *   COMPARE_SIZES=1000,10000,50000   COMPARE_REPEATS=3 (1k and 10k)   COMPARE_REPEATS_50K=1
 *   COMPARE_EDITS=100   COMPARE_EDITS_50K=40   COMPARE_DOCS=50
 *   COMPARE_BATCH_FILES=1000   COMPARE_BATCH_LINES=500 (a regioplan of ~14 practices)   COMPARE_SKIP=lsp,batch,yls,spectral
 *   COMPARE_KEEP=1 (keep the generated files; their folder is printed)
 */

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SIZES = env('COMPARE_SIZES', '1000,10000,50000').split(',').map(Number).filter((n) => n > 0);
const REPEATS = Number(env('COMPARE_REPEATS', '3'));
const REPEATS_LARGE = Number(env('COMPARE_REPEATS_50K', '1'));
const EDITS = Number(env('COMPARE_EDITS', '100'));
const EDITS_LARGE = Number(env('COMPARE_EDITS_50K', '40'));
const DOCS = Number(env('COMPARE_DOCS', '50'));
const BATCH_FILES = Number(env('COMPARE_BATCH_FILES', '1000'));
const BATCH_LINES = Number(env('COMPARE_BATCH_LINES', '500'));
const SKIP = new Set(env('COMPARE_SKIP', '').split(',').filter(Boolean));
const FORM = 'vgz/rho-regioplan';
const YEAR = 2026;

const SERVER = join(ROOT, 'dist', 'server.cjs');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const YLS_PACKAGE = join(ROOT, 'node_modules', 'yaml-language-server');
const YLS = join(YLS_PACKAGE, 'bin', 'yaml-language-server');
const SHIM = join(ROOT, 'tests', 'bench', 'compare', 'yls-delay-shim.mjs');

type Server = 'zorgtoets' | 'yls' | 'yls-nodelay';
const SERVERS: Server[] = SKIP.has('yls') ? ['zorgtoets'] : ['zorgtoets', 'yls', 'yls-nodelay'];

const r1 = (n: number) => (Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '–');
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** The documents and the schema every tool gets; checks that both zorgtoets and the bundled schema accept them. */
function prepare(work: string): { docs: Map<number, string>; schemaPath: string; schema: Record<string, unknown> } {
  const schema = bundleFormSchema(engine(), FORM, YEAR);
  const schemaPath = join(work, 'rho-regioplan.bundled.schema.json');
  writeFileSync(schemaPath, JSON.stringify(schema, null, 1));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const docs = new Map<number, string>();
  for (const lines of SIZES) {
    const text = generateRegioplan(ROOT, lines);
    if (!validate(parseYaml(text))) throw new Error(`the bundled schema rejects the generated ${lines}-line regioplan: ${ajv.errorsText(validate.errors)}`);
    const errors = engine().check(text, { today: TODAY }).findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new Error(`zorgtoets reports errors in the generated ${lines}-line regioplan: ${errors[0]?.message ?? ''}`);
    const path = join(work, `regioplan-${lines}.yaml`);
    writeFileSync(path, text);
    docs.set(lines, path);
  }
  return { docs, schemaPath, schema };
}

function settingsFiles(work: string, schemaPath: string): Record<Server, string> {
  const zorgtoets = join(work, 'zorgtoets-settings.json');
  writeFileSync(zorgtoets, JSON.stringify({ initializationOptions: { debounceMs: 0 } }));
  const yls = join(work, 'yls-settings.json');
  writeFileSync(
    yls,
    JSON.stringify({
      yaml: {
        validate: true,
        schemas: { [pathToFileURL(schemaPath).href]: '*.yaml' },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        format: { enable: false },
      },
      http: { proxy: '', proxyStrictSSL: false },
      '[yaml]': {},
      editor: { tabSize: 2 },
    }),
  );
  return { zorgtoets, yls, 'yls-nodelay': yls };
}

function serverCommand(server: Server): string[] {
  if (server === 'zorgtoets') return [process.execPath, ...SERVER_NODE_FLAGS, SERVER, '--stdio'];
  if (server === 'yls') return [process.execPath, YLS, '--stdio'];
  return [process.execPath, SHIM, YLS_PACKAGE, '--stdio'];
}

interface SizeResult {
  lines: number;
  runs: Record<Server, HarnessSummary[]>;
}

async function languageServers(docs: Map<number, string>, settings: Record<Server, string>): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const [lines, doc] of docs) {
    const large = lines > 10000;
    const repeats = large ? REPEATS_LARGE : REPEATS;
    const runs: Record<Server, HarnessSummary[]> = { zorgtoets: [], yls: [], 'yls-nodelay': [] };
    for (let repeat = 1; repeat <= repeats; repeat++) {
      // Interleaved, so the machine's load falls on every server alike.
      for (const server of SERVERS) {
        const label = `${server}-${lines}-r${repeat}`;
        const docsOpen = large || server === 'yls-nodelay' ? 1 : DOCS;
        process.stderr.write(`  ${label} (${docsOpen} document${docsOpen === 1 ? '' : 's'}, load ${load()})…\n`);
        runs[server].push(await runHarness({ label, server: serverCommand(server), settings: settings[server], doc, edits: large ? EDITS_LARGE : EDITS, docs: docsOpen }));
      }
    }
    results.push({ lines, runs });
  }
  return results;
}

function printServers(results: SizeResult[]): Record<string, unknown>[] {
  const summary: Record<string, unknown>[] = [];
  for (const { lines, runs } of results) {
    const m = (server: Server, pick: (s: HarnessSummary) => number | null) => median(runs[server].map((s) => pick(s) ?? Number.NaN));
    const first = runs.zorgtoets[0];
    log();
    log(`### ${first?.doc_lines ?? lines} lines (${Math.round((first?.doc_bytes ?? 0) / 1024)} kB), medians of ${runs.zorgtoets.length} run(s)`);
    log();
    log('| metric | zorgtoets | yaml-language-server | YLS without its 200 ms wait | YLS ÷ zorgtoets |');
    log('|---|---|---|---|---|');
    const row = (name: string, pick: (s: HarnessSummary) => number | null, against: Server = 'yls') => {
      const z = m('zorgtoets', pick);
      const y = m('yls', pick);
      const yn = m('yls-nodelay', pick);
      log(`| ${name} | ${r1(z)} | ${r1(y)} | ${r1(yn)} | ${ratio(m(against, pick), z)} |`);
      return { zorgtoets: z, yls: y, ylsNoDelay: yn };
    };
    const startup = row('startup: spawn → initialize result (ms)', (s) => s.startup_ms);
    const open = row('open → first diagnostics (ms)', (s) => s.open_ms);
    const p50 = row('edit → diagnostics p50 (ms; ratio against YLS without its wait)', (s) => s.edit_p50_ms, 'yls-nodelay');
    const p95 = row('edit → diagnostics p95 (ms; ratio against YLS without its wait)', (s) => s.edit_p95_ms, 'yls-nodelay');
    const rss1 = row('RSS, 1 document (MB)', (s) => s.rss_1doc_mb);
    const docsOpen = first?.rss_docs ?? 1;
    const rssN = docsOpen > 1 ? row(`RSS, ${docsOpen} documents (MB)`, (s) => s.rss_ndocs_mb) : undefined;
    const openN = docsOpen > 1 ? row(`opening ${docsOpen - 1} more until all are diagnosed (ms)`, (s) => s.multi_open_ms) : undefined;
    const hits = SERVERS.map((server) => `${server} ${runs[server].map((s) => `${s.schema_hits}/${s.invalid_edits}`).join(', ')}`).join('; ');
    log();
    log(`Invalid edits answered with a diagnostic on the edited line: ${hits}.`);
    summary.push({ lines: first?.doc_lines ?? lines, bytes: first?.doc_bytes, startup, open, p50, p95, rss1, rssN, openN, runs: SERVERS.flatMap((server) => runs[server]) });
  }
  return summary;
}

/** Targets of the issue, judged on the medians (printed, never asserted). */
function printTargets(summary: Record<string, unknown>[]): void {
  type Row = { zorgtoets: number; yls: number; ylsNoDelay: number };
  const at = (lines: number) => summary.find((s) => Math.abs((s['lines'] as number) - lines) <= lines * 0.01) as Record<string, Row | undefined> | undefined;
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  log();
  log('### Targets');
  log();
  const ten = at(10000);
  if (ten) {
    const p50 = ten['p50'];
    const rss = ten['rssN'];
    const startup = ten['startup'];
    if (p50) log(`- 10k lines, edit p50 ≤ 1/5 of YLS's work-only p50: ${r1(p50.zorgtoets)} ms vs ${r1(p50.ylsNoDelay / 5)} ms — ${mark(p50.zorgtoets <= p50.ylsNoDelay / 5)}`);
    if (rss) log(`- 10k lines, RSS with ${DOCS} documents ≤ 1/5 of YLS's: ${r1(rss.zorgtoets)} MB vs ${r1(rss.yls / 5)} MB — ${mark(rss.zorgtoets <= rss.yls / 5)}`);
    if (startup) log(`- startup ≤ 300 ms, 10k row (median of its runs): ${r1(startup.zorgtoets)} ms — ${mark(startup.zorgtoets <= 300)}`);
  }
  // Start-up does not depend on the document (it ends before one is opened): every start of the
  // run is a sample of the same thing, and a median of all of them is steadier on a shared VM than
  // one row's median of three. Both are printed.
  const starts = summary.flatMap((s) => ((s['runs'] as { server: string; startup_ms: number }[] | undefined) ?? []).filter((run) => run.server.startsWith('zorgtoets')).map((run) => run.startup_ms));
  if (starts.length > 0) {
    const pooled = median(starts);
    log(`- startup ≤ 300 ms, every start of the run (${starts.length}; median): ${r1(pooled)} ms, ${starts.filter((ms) => ms > 300).length} above 300 ms — ${mark(pooled <= 300)}`);
  }
  const fifty = at(50000);
  const p50Large = fifty?.['p50'];
  if (p50Large) log(`- 50k lines, edit p50 ≤ 100 ms: ${r1(p50Large.zorgtoets)} ms — ${mark(p50Large.zorgtoets <= 100)}`);
  const perLine = summary
    .map((s) => ({ lines: s['lines'] as number, p50: (s['p50'] as Row | undefined)?.zorgtoets ?? Number.NaN }))
    .filter((s) => Number.isFinite(s.p50));
  if (perLine.length > 1) {
    log(`- growth with size (edit p50 per 1,000 lines): ${perLine.map((s) => `${Math.round(s.lines / 1000)}k: ${((s.p50 * 1000) / s.lines).toFixed(2)} ms`).join(', ')} (at most linear: the per-line cost must not rise)`);
  }
}

interface BatchResult {
  files: number;
  lines: number;
  parallel: TimedRun;
  sequential: TimedRun;
  spectral?: TimedRun;
  identical: boolean;
  jobs: number;
}

async function batch(work: string, schema: Record<string, unknown>): Promise<BatchResult> {
  const folder = join(work, 'batch');
  mkdirSync(folder, { recursive: true });
  let lines = 0;
  for (let n = 1; n <= BATCH_FILES; n++) {
    // Every RHO its own practices and GPs; every hundredth also lists a practice of the previous
    // one, so the run has cross-document findings to agree on.
    const text = generateRegioplan(ROOT, BATCH_LINES, { variant: n, ...(n % 100 === 0 ? { sharePracticeOf: n - 1 } : {}) });
    lines += text.split('\n').length;
    writeFileSync(join(folder, `regioplan-${String(n).padStart(4, '0')}.yaml`), text);
  }
  const ruleset = join(work, 'spectral-ruleset.json');
  writeFileSync(ruleset, JSON.stringify(spectralRuleset(inlineDefinitions(schema))));
  const jobs = availableParallelism();
  process.stderr.write(`  zorgtoets check, ${BATCH_FILES} files, all cores (load ${load()})…\n`);
  const parallel = await timed(process.execPath, [CLI, 'check', folder, '--format', 'json']);
  process.stderr.write(`  zorgtoets check --jobs 1 (load ${load()})…\n`);
  const sequential = await timed(process.execPath, [CLI, 'check', folder, '--format', 'json', '--jobs', '1']);
  let spectral: TimedRun | undefined;
  if (!SKIP.has('spectral')) {
    process.stderr.write(`  spectral lint, ${BATCH_FILES} files (load ${load()})…\n`);
    spectral = await timed(process.execPath, [spectralCli(), 'lint', join(folder, '*.yaml'), '--ruleset', ruleset, '--format', 'json', '--quiet', '--fail-severity', 'error']);
  }
  return { files: BATCH_FILES, lines, parallel, sequential, ...(spectral ? { spectral } : {}), identical: parallel.stdout === sequential.stdout, jobs };
}

function printBatch(result: BatchResult): void {
  const perSecond = (run: TimedRun) => (result.files * 1000) / run.wallMs;
  const findings = (run: TimedRun) => {
    try {
      const parsed = JSON.parse(run.stdout) as { files?: { findings?: unknown[] }[] } | unknown[];
      if (Array.isArray(parsed)) return parsed.length;
      return (parsed.files ?? []).reduce((n, f) => n + (f.findings?.length ?? 0), 0);
    } catch {
      return Number.NaN;
    }
  };
  log();
  log(`### Command line: ${result.files} regioplans (${result.lines.toLocaleString('en')} lines), wall time from spawn to exit`);
  log();
  log('| run | wall s | CPU s | files/s | findings | vs Spectral |');
  log('|---|---|---|---|---|---|');
  const line = (name: string, run: TimedRun) =>
    log(`| ${name} | ${(run.wallMs / 1000).toFixed(1)} | ${(run.cpuMs / 1000).toFixed(1)} | ${perSecond(run).toFixed(1)} | ${findings(run)} | ${result.spectral ? ratio(result.spectral.wallMs, run.wallMs) : '–'} |`);
  line(`zorgtoets check (${result.jobs} cores)`, result.parallel);
  line('zorgtoets check --jobs 1', result.sequential);
  if (result.spectral) line('Spectral CLI (schema function)', result.spectral);
  log();
  log(`Parallel and sequential output identical: ${result.identical ? 'yes' : 'NO'}; exit codes ${result.parallel.code}/${result.sequential.code}${result.spectral ? `, Spectral ${String(result.spectral.code)}` : ''}.`);
  if (result.spectral) log(`- target: throughput ≥ 10× Spectral's: ${ratio(result.spectral.wallMs, result.parallel.wallMs)} — ${result.spectral.wallMs >= 10 * result.parallel.wallMs ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  for (const file of [SERVER, CLI]) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  const ylsVersion = (JSON.parse(readFileSync(join(YLS_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  const work = mkdtempSync(join(tmpdir(), 'zorgtoets-compare-'));
  log(`zorgtoets vs yaml-language-server ${ylsVersion} and Spectral — node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString()}`);
  log(`load average at start: ${load()}`);
  const results: Record<string, unknown> = { node: process.version, cores: availableParallelism(), loadStart: loadavg() };
  try {
    const { docs, schemaPath, schema } = prepare(work);
    if (!SKIP.has('lsp')) {
      const settings = settingsFiles(work, schemaPath);
      const sizes = await languageServers(docs, settings);
      const summary = printServers(sizes);
      printTargets(summary);
      results['servers'] = summary;
    }
    if (!SKIP.has('batch')) {
      const outcome = await batch(work, schema);
      printBatch(outcome);
      results['batch'] = { ...outcome, parallel: { ...outcome.parallel, stdout: undefined }, sequential: { ...outcome.sequential, stdout: undefined }, spectral: outcome.spectral ? { ...outcome.spectral, stdout: undefined } : undefined };
    }
  } finally {
    if (process.env['COMPARE_KEEP']) log(`generated files kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  results['loadEnd'] = loadavg();
  log();
  log(`load average at end: ${load()}`);
  log(JSON.stringify(results));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
