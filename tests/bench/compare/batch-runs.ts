import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from '../../helpers/engine.js';

/**
 * Command-line batch runs: a program over a folder of submissions in a child process, timed from
 * spawn to exit (start-up included, as a CI job sees it), with the CPU time it used.
 */

export interface TimedRun {
  wallMs: number;
  /** User + system CPU of the child and its threads (from this process's reaped-children counters). */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** CPU time of this process's waited-for children, in ms (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is index 0; cutime and cstime are fields 16 and 17.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

export function timed(command: string, args: readonly string[], cwd = ROOT): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ZORGTOETS_LANG: '' } });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - start;
      // 'exit' comes after the child was reaped, so its CPU is in the counters now.
      resolve({ wallMs, cpuMs: childrenCpuMs() - cpuBefore, code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** The Spectral CLI's entry script (the package's `bin`), run with this node. */
export function spectralCli(): string {
  const require = createRequire(join(ROOT, 'package.json'));
  const manifestPath = require.resolve('@stoplight/spectral-cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin['spectral'] ?? Object.values(manifest.bin)[0] ?? '');
  return join(dirname(manifestPath), bin);
}

/** A Spectral ruleset with one rule: the whole document against the schema (its `schema` function). */
export function spectralRuleset(schema: Record<string, unknown>): Record<string, unknown> {
  return {
    rules: {
      'form-schema': {
        description: 'The submission matches the form’s JSON Schema',
        given: '$',
        severity: 'error',
        then: { function: 'schema', functionOptions: { schema, dialect: 'draft2020-12', allErrors: true } },
      },
    },
  };
}
