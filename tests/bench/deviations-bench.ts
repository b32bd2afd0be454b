import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixAll } from '../../server/src/engine/index.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { generateRegioplan } from './generate-regioplan.js';

/**
 * Cost of the deviation post-pass and of `fixAll`: median full check of a generated 10k-line
 * regioplan without and with 20 deviations (half of them matching), and median fixAll per invalid
 * sample. Prints numbers; asserts nothing (shared, noisy machines).
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
const base = generateRegioplan(ROOT, 10000).replace(/aantal_huisartsen_in_regio: \d+/, 'aantal_huisartsen_in_regio: 100000');
const items = Array.from({ length: 20 }, (_, i) =>
  i % 2 === 0 ? `  - id: VGZ-RHO-04c\n    pad: regio.aantal_huisartsen_in_regio\n    toelichting: Toelichting ${i} met genoeg tekst om echt te zijn.` : `  - id: VGZ-RHO-07\n    pad: zorgketens[${i}]\n    toelichting: Toelichting ${i} met genoeg tekst om echt te zijn.`,
);
const withDeviations = `${base}\nafwijkingen:\n${items.join('\n')}\n`;
for (let i = 0; i < 3; i++) {
  e.check(base, { today: TODAY });
  e.check(withDeviations, { today: TODAY });
}
const plain = time(() => e.check(base, { today: TODAY }), 11);
const deviated = time(() => e.check(withDeviations, { today: TODAY }), 11);
console.log(`zorgtoets deviations/fix benchmark — node ${process.version}, ${new Date().toISOString()}`);
console.log(`| ${base.split('\n').length} lines | check ${plain.toFixed(1)} ms | with 20 deviations ${deviated.toFixed(1)} ms | ratio ${(deviated / plain).toFixed(2)} |`);

const folder = join(ROOT, 'samples', 'vgz', 'rho-regioplan');
console.log('| sample | fixes | rounds | fixAll (median ms) | one check (median ms) |');
console.log('|---|---|---|---|---|');
for (const name of readdirSync(folder).filter((n) => n.startsWith('invalid-'))) {
  const text = sample('vgz/rho-regioplan', name);
  const outcome = fixAll(e, text, { today: TODAY });
  const all = time(() => fixAll(e, text, { today: TODAY }), 7);
  const one = time(() => e.check(text, { today: TODAY }), 7);
  console.log(`| ${name} | ${outcome.applied.length} | ${outcome.rounds} | ${all.toFixed(1)} | ${one.toFixed(1)} |`);
}
