import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyExampleEdits, exampleFindings, examplePartner, expectedPath } from '../../server/src/engine/examples.js';
import { formatPath } from '../../server/src/engine/index.js';
import { engine, expectedStart, sample, TODAY } from '../helpers/engine.js';

/**
 * Every requirement in the catalogue, through its own examples: the failing example makes it fire
 * with the right severity, at the right place, with the computed values in the message; the passing
 * example (the valid sample, or the edits that keep it just within the rule) leaves it silent.
 */

const entries = engine()
  .catalogue.all()
  .filter((entry) => !entry.severities.includes('note') && entry.examples.length > 0);

for (const entry of entries) {
  describe(entry.id, () => {
    entry.examples.forEach((example, n) => {
      const base = sample(example.form, example.sample);
      const options = { today: TODAY, ...(example.expect.peildatum ? { peildatum: example.expect.peildatum } : {}) };

      test(`fires (example ${n + 1})`, () => {
        const text = applyExampleEdits(base, example.fail);
        const findings = exampleFindings(engine(), text, { ...options, strict: true }, examplePartner(example, 'fail', sample));
        const path = expectedPath(text, example.expect.path);
        assert.ok(path, `expect.path ${example.expect.path} resolves in the failing example`);
        const hits = findings.filter((f) => f.id === entry.id);
        assert.ok(hits.length > 0, `${entry.id} fires; got ${findings.map((f) => `${f.id}@${formatPath(f.path)}`).join(', ') || 'nothing'}`);
        const want = example.expect.at
          ? { line: example.expect.at.line - 1, character: example.expect.at.column - 1 }
          : expectedStart(text, path, example.expect.on);
        const hit = hits.find((f) => f.range.start.line === want.line && f.range.start.character === want.character);
        assert.ok(hit, `${entry.id} at ${want.line + 1}:${want.character + 1} (${example.expect.path}); got ${hits.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`).join(' | ')}`);
        assert.equal(hit.severity, example.expect.severity ?? engine().catalogue.defaultSeverity(entry.id));
        for (const fragment of example.expect.contains) assert.ok(hit.message.includes(fragment), `message "${hit.message}" contains "${fragment}"`);
        assert.equal(hit.source, entry.fullSource);
        assert.ok(hit.message.length > 0 && !/\{[a-z_]+(\|[a-z:_]+)?\}/.test(hit.message), `no unfilled placeholder in "${hit.message}"`);
      });

      test(`silent (example ${n + 1})`, () => {
        const text = applyExampleEdits(base, example.pass);
        const findings = exampleFindings(engine(), text, { ...options, strict: true }, examplePartner(example, 'pass', sample));
        assert.deepEqual(
          findings.filter((f) => f.id === entry.id || f.id === 'ZT-INTERNAL').map((f) => `${f.id} ${f.message}`),
          [],
        );
      });
    });
  });
}

test('the English messages are filled in too', () => {
  const example = engine().catalogue.get('VGZ-RHO-04c')?.examples[0];
  assert.ok(example);
  const text = applyExampleEdits(sample(example.form), example.fail);
  const hit = engine()
    .check(text, { today: TODAY, lang: 'en' })
    .findings.find((f) => f.id === 'VGZ-RHO-04c');
  assert.equal(hit?.message, 'Mandate 65.7% (46 of 70 GPs in the region); at least 80% required');
});
