import { parseDocument } from 'yaml';
import { engine, ROOT, TODAY } from '../helpers/engine.js';
import { generateRegioplan } from './generate-regioplan.js';

/**
 * Engine benchmark (issue "Engine and CLI"): median bare `yaml` parse vs. median full check of
 * generated regioplans of 1k, 10k and 50k lines. Target: full check of 10k lines ≤ 1.5× the bare
 * parse. Prints numbers; asserts nothing (shared, noisy machines).
 */

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const e = engine();
const rows: string[] = [];
rows.push('| lines | bytes | bare yaml parse (median ms) | full check (median ms) | ratio | findings |');
rows.push('|---|---|---|---|---|---|');
for (const lines of [1000, 10000, 50000]) {
  const text = generateRegioplan(ROOT, lines);
  const actualLines = text.split('\n').length;
  const findings = e.check(text, { today: TODAY }).findings.length;
  const runs = lines >= 50000 ? 7 : 15;
  // Warm up both paths so JIT and schema compilation are out of the measurement.
  for (let i = 0; i < 3; i++) {
    parseDocument(text);
    e.check(text, { today: TODAY });
  }
  const parse = time(() => parseDocument(text), runs);
  const full = time(() => e.check(text, { today: TODAY }), runs);
  rows.push(`| ${actualLines} | ${text.length} | ${parse.toFixed(1)} | ${full.toFixed(1)} | ${(full / parse).toFixed(2)} | ${findings} |`);
}
console.log(`zorgtoets engine benchmark — node ${process.version}, ${new Date().toISOString()}`);
console.log(rows.join('\n'));
