import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyTextEdits, TextIndex, type Finding } from '../../server/src/engine/index.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { applyMutation, mutation } from './mutations.js';

/**
 * Short fuzz run in `npm test` (the long one is `npm run fuzz`): mutated samples through the
 * engine. No exception escapes, every finding's range lies inside the text, and every quick fix
 * changes only the text inside its own edit ranges.
 */

const RUNS = Number(process.env['ZT_FUZZ_RUNS'] ?? 150);

const corpus = readdirSync(join(ROOT, 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((insurer) =>
    readdirSync(join(ROOT, 'samples', insurer.name), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((form) => readdirSync(join(ROOT, 'samples', insurer.name, form.name)).map((file) => sample(`${insurer.name}/${form.name}`, file))),
  );

function insideText(finding: Finding, index: TextIndex): boolean {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < index.lineCount && p.character >= 0 && p.character <= index.lineText(p.line).length + 1;
  const ordered = finding.range.start.line < finding.range.end.line || (finding.range.start.line === finding.range.end.line && finding.range.start.character <= finding.range.end.character);
  return ok(finding.range.start) && ok(finding.range.end) && ordered;
}

test(`fuzz: ${RUNS} mutated samples, findings stay inside the text and fixes stay inside their ranges`, () => {
  fc.assert(
    fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom('nl' as const, 'en' as const), (base, mutations, lang) => {
      const text = mutations.reduce(applyMutation, base);
      const result = engine().check(text, { today: TODAY, lang });
      assert.equal(result.internalError, undefined, String(result.internalError));
      const index = TextIndex.of(text);
      for (const finding of result.findings) {
        assert.ok(insideText(finding, index), `${finding.id} range ${JSON.stringify(finding.range)} outside the text`);
        assert.ok(finding.message.length > 0);
        for (const fix of finding.fixes ?? []) {
          const fixed = applyTextEdits(text, fix.edits);
          const spans = fix.edits.map((e) => [index.offsetAt(e.range.start), index.offsetAt(e.range.end)] as const).sort((a, b) => a[0] - b[0]);
          const first = spans[0];
          const last = spans[spans.length - 1];
          if (!first || !last) continue;
          assert.equal(fixed.slice(0, first[0]), text.slice(0, first[0]));
          assert.equal(fixed.slice(fixed.length - (text.length - last[1])), text.slice(last[1]));
        }
      }
    }),
    { numRuns: RUNS, seed: Number(process.env['ZT_FUZZ_SEED'] ?? 20261123) },
  );
});
