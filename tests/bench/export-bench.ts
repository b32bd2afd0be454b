import { planExport, type ExportFormat } from '../../server/src/engine/export/index.js';
import { renderExport } from '../../server/src/export/export-submission.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { generateRegioplan } from './generate-regioplan.js';

/**
 * Export benchmark: for the valid regioplan and generated ones of 1k and 10k lines, the time to
 * build the export model (check included) and to write each format, with the output size.
 * Medians of a few runs after one warm-up (which also loads the writer libraries). Prints
 * numbers; asserts nothing.
 */

const RUNS = 3;
const e = engine();
const exports: [string, ExportFormat][] = [
  ['offerteformat', 'xlsx'],
  ['huisartsenlijst', 'csv'],
  ['regioplan', 'docx'],
  ['regioplan', 'pdf'],
  ['regioplan', 'md'],
  ['rapport', 'pdf'],
];

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
}

const rows = ['| submission | export | model incl. check (ms) | write (ms) | size (kB) |', '|---|---|---|---|---|'];
const inputs: [string, string][] = [
  ['valid sample', sample('vgz/rho-regioplan')],
  ['1k lines', generateRegioplan(ROOT, 1000)],
  ['10k lines', generateRegioplan(ROOT, 10000)],
];
for (const [name, text] of inputs) {
  for (const [kind, format] of exports) {
    const plan = () => {
      const result = e.check(text, { today: TODAY });
      const planned = planExport(e, result, { format, kind, lang: 'nl', referenceDate: TODAY, generator: 'bench' });
      if (!planned.ok) throw new Error(planned.message);
      return planned.document;
    };
    const modelMs = await median(plan);
    const document = plan();
    let bytes = 0;
    const writeMs = await median(async () => (bytes = (await renderExport(document, format)).length));
    rows.push(`| ${name} | ${kind}.${format} | ${modelMs.toFixed(0)} | ${writeMs.toFixed(0)} | ${(bytes / 1024).toFixed(1)} |`);
  }
}
console.log(rows.join('\n'));
