import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../helpers/engine.js';

/**
 * One run of the stdio harness (lsp-bench.mjs, the project's copy of ../shared/tools/lsp-bench)
 * against a language server, as a child process so the harness measures it exactly as it measures
 * any other server. Its last stdout line is the JSON summary.
 */

export interface HarnessSummary {
  label?: string;
  server: string;
  doc_lines: number;
  doc_bytes: number;
  startup_ms: number;
  open_ms: number;
  edits: number;
  edit_min_ms: number;
  edit_p50_ms: number;
  edit_p95_ms: number;
  edit_max_ms: number;
  rss_mb: number;
  rss_1doc_mb: number;
  rss_docs: number;
  rss_ndocs_mb: number | null;
  multi_open_ms: number | null;
  schema_hits: number;
  invalid_edits: number;
  mismatches: number;
  initial_diagnostics: number;
  sample_diagnostic?: string;
}

export interface HarnessRun {
  label: string;
  /** Command line of the server (node is this process's node). */
  server: string[];
  settings: string;
  doc: string;
  edits: number;
  docs: number;
}

const HARNESS = join(ROOT, 'tests', 'bench', 'compare', 'lsp-bench.mjs');

function quote(arg: string): string {
  return /^[\w./=:@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function runHarness(run: HarnessRun): Promise<HarnessSummary> {
  const args = [
    HARNESS,
    '--json-only',
    '--deps',
    ROOT,
    '--label',
    run.label,
    '--settings',
    run.settings,
    '--server',
    run.server.map(quote).join(' '),
    '--doc',
    run.doc,
    '--edits',
    String(run.edits),
    '--docs',
    String(run.docs),
    '--timeout-ms',
    '600000',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${run.label}: harness exited ${String(code)}\n${stderr}${last}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as HarnessSummary);
      } catch {
        reject(new Error(`${run.label}: no JSON summary\n${stdout.slice(-2000)}\n${stderr}`));
      }
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
