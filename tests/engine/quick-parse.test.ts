import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { DEFAULT_LIMITS } from '../../server/src/engine/limits.js';
import { quickParse } from '../../server/src/engine/quick-parse.js';
import { duplicateKeys } from '../../server/src/engine/duplicate-keys.js';
import { generateRegioplan } from '../bench/generate-regioplan.js';
import { sampleCorpus } from '../fuzz/corpus.js';
import { applyMutation, type Mutation } from '../fuzz/mutations.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { Engine } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { join } from 'node:path';

/**
 * The data-only parse (`zorgtoets check` tries it first) must give exactly the data the `yaml`
 * library gives, and only for texts the full parse accepts without a word; a check with
 * `quick: true` must give exactly the findings of a full check. Compared on every sample and on
 * thousands of texts mutated where YAML is most fragile (indicators, quotes, indentation, scalars
 * the two parsers could type differently).
 */

const RUNS = Number(process.env['ZT_FUZZ_RUNS'] ?? 150) * 20;

/** What yaml makes of a text when it accepts it silently, else undefined. */
function fullData(text: string): { data: unknown } | undefined {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0 || duplicateKeys(doc).length > 0) return undefined;
  return { data: doc.toJS({ maxAliasCount: DEFAULT_LIMITS.maxAliasCount }) };
}

const TOKENS = [': ', ':', '- ', '-', '[', ']', '{', '}', ',', '"', "'", '#', ' #', ' ', '  ', '\n', '\n  ', '|', '|-', '>', '>+', '? ', '&a ', '*a', '!x ', '!!str ', '@', '`', '%', '<<: ', '~', 'null', 'Null', 'true', 'False', 'yes', '1e400', '-.inf', '.NaN', '0x1F', '0o17', '0b1', '1_000', '+12', '-0', '012', '1.', '.5', '12:30', '2026-01-01', '\\', '\\n', '"\\x41"', 'é', '🙂', '\u00a0', '\u2028'];

const yamlMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('replace-char' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), char: fc.constantFrom(...TOKENS.filter((t) => t.length === 1)) }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), delta: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0.5, max: 1, noNaN: true }) }),
);

const corpus = [...sampleCorpus(), generateRegioplan(ROOT, 300, { variant: 3 })];

describe('the data-only parse of zorgtoets check', () => {
  test('takes the clean samples, and gives the same data as the yaml library', () => {
    for (const form of ['vgz/rho-regioplan', 'vgz/verkennend-gesprek', 'asr/igo-offerte', 'asr/kraamzorg-vragenlijst', 'zenz/ro-meerjarenplan']) {
      const text = sample(form);
      const quick = quickParse(text, DEFAULT_LIMITS);
      assert.ok(quick, `${form}: the valid sample goes the quick way`);
      assert.deepEqual(quick.data, fullData(text)?.data, form);
    }
  });

  test('refuses what the two parsers could read differently, or what the full parse reports', () => {
    const base = 'formulier: vgz/rho-regioplan\ncontractjaar: 2026\n';
    for (const [text, why] of [
      [`${base}a: &x 1\nb: *x\n`, 'anchors and aliases'],
      [`${base}a: !!str 1\n`, 'tags'],
      [`${base}a:\n\tb: 1\n`, 'tabs'],
      [`${base}a: 1\r\n`, 'carriage returns'],
      [`\uFEFF${base}`, 'a byte order mark'],
      [`%YAML 1.1\n---\n${base}`, 'directives'],
      [`${base}---\nb: 1\n`, 'several documents'],
      [`${base}~: leeg\n`, 'a null key ("" in yaml)'],
      [`${base}? a\n: b\n`, 'complex keys'],
      [`${base}<<: {a: 1}\n`, 'merge keys'],
      [`${base}[a, b]: c\n`, 'a flow sequence as a key'],
      [`${base}a: {b: c}#\n`, 'a comment glued to a flow mapping (an error for yaml)'],
      [`${base}a: "x"#c\n`, 'a comment glued to a quoted value'],
      [`${base}{a: 1}: c\n`, 'a flow mapping as a key'],
      [`${base}a: 1\na: 2\n`, 'duplicate keys'],
      [`${base}a: [1, 2\n`, 'syntax errors'],
      [`${base}a: ${'x'.repeat(DEFAULT_LIMITS.maxLineLength + 1)}\n`, 'a line past the limit'],
      [`${base}a: \uFFFD\n`, 'unreadable characters'],
      ['', 'an empty text'],
    ] as const) {
      assert.equal(quickParse(text, DEFAULT_LIMITS), undefined, why);
    }
    // At the line-length limit exactly as the full parse counts (the line break included).
    const limits = { ...DEFAULT_LIMITS, maxLineLength: 40 };
    for (const length of [38, 39, 40, 41]) {
      const text = `${base}a: ${'x'.repeat(length - 4)}\n`;
      assert.ok(text.split('\n').some((line) => line.length + 1 === length));
      const quick = quickParse(text, limits);
      const flagged = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), limits }).check(text, { today: TODAY }).findings.some((f) => f.id === 'ZT-LIMIT');
      assert.equal(quick === undefined, flagged, `a line of ${length} with its break: quick ${quick ? 'takes it' : 'refuses'}, full ${flagged ? 'flags it' : 'does not'}`);
    }
    // Names with an ampersand or a percentage stay quick: indicators count only where a node starts.
    assert.ok(quickParse(`${base}naam: Zorg & Welzijn\ndoel: 85% * 2\n`, DEFAULT_LIMITS));
  });

  test('scalars are typed as the yaml library types them (YAML 1.2 core schema)', () => {
    for (const scalar of ['1', '-0', '+12', '012', '0o17', '0x1F', '0b101', '1_000', '1.', '.5', '1e3', '1e400', '-.inf', '.NaN', '~', 'Null', 'TRUE', 'yes', 'on', '12:30', '2026-01-01', '"12"', "'~'"]) {
      const text = `waarde: ${scalar}\n`;
      assert.ok(isDeepStrictEqual(quickParse(text, DEFAULT_LIMITS)?.data, fullData(text)?.data), scalar);
    }
  });

  test(`${RUNS} mutated texts: whenever the data-only parse takes one, yaml takes it silently with the same data`, () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(yamlMutation, { minLength: 1, maxLength: 4 }), (base, mutations) => {
        const text = mutations.reduce(applyMutation, base);
        const quick = quickParse(text, DEFAULT_LIMITS);
        if (!quick) return;
        taken++;
        const full = fullData(text);
        assert.ok(full, `the full parse reports something the data-only parse let through:\n${text}`);
        assert.ok(isDeepStrictEqual(quick.data, full.data), `different data for:\n${text}`);
      }),
      { numRuns: RUNS },
    );
    assert.ok(taken > RUNS / 5, `only ${taken} of ${RUNS} mutated texts went the quick way: the comparison says little`);
  });

  test('a quick check gives exactly the findings of a full check (samples and mutated samples)', () => {
    const zorgtoets = engine();
    let clean = 0;
    fc.assert(
      fc.property(fc.constantFrom(...sampleCorpus()), fc.array(yamlMutation, { minLength: 0, maxLength: 2 }), fc.boolean(), (base, mutations, explicit) => {
        const text = mutations.reduce(applyMutation, base);
        const full = zorgtoets.check(text, { today: TODAY, explicit });
        const quick = zorgtoets.check(text, { today: TODAY, explicit, quick: true });
        assert.deepEqual(quick.findings, full.findings);
        assert.equal(quick.ours, full.ours);
        assert.equal(quick.form, full.form);
        assert.equal(quick.year, full.year);
        assert.deepEqual(quick.deviations, full.deviations);
        assert.deepEqual(quick.crossEntries?.().map((e) => [e.kind, e.value]), full.crossEntries?.().map((e) => [e.kind, e.value]));
        if (quick.parsed.dataOnly) clean++;
      }),
      { numRuns: RUNS / 10 },
    );
    assert.ok(clean > 0, 'some checks stood on the data-only parse');
  });
});
