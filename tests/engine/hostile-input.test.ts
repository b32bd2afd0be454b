import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { duplicateKeys } from '../../server/src/engine/duplicate-keys.js';
import { Engine, TextIndex, type Finding } from '../../server/src/engine/index.js';
import { DEFAULT_LIMITS } from '../../server/src/engine/limits.js';
import { exceedsValues, roughValueCount } from '../../server/src/engine/value-count.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { applyMutation, mutation } from '../fuzz/mutations.js';
import { sampleCorpus } from '../fuzz/corpus.js';
import { generateRegioplan } from '../bench/generate-regioplan.js';
import { check, expectedStart, ids, ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * The engine's bounds on hostile text, beyond size, depth, aliases and line length (see
 * parse-and-forms.test.ts): the number of values, the number of findings, duplicate keys found in
 * linear time, characters that are not valid text, and line counting as editors do it.
 * Timings of the worst texts are in tests/bench/hostile-bench.ts, not here.
 */

const VALID = sample('vgz/rho-regioplan');
const engineWith = (limits: ConstructorParameters<typeof Engine>[0]['limits']) => new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), limits });
const limitFindings = (findings: Finding[]) => findings.filter((f) => f.id === 'ZT-LIMIT');

describe('values', () => {
  test('more lines or list items than the bound: refused before parsing, one finding', () => {
    const text = `${VALID}extra:\n${'  - x\n'.repeat(300)}`;
    const findings = engineWith({ maxValues: 200 }).check(text, { today: TODAY }).findings;
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.match(findings[0]?.message ?? '', /te omvangrijk om te controleren: meer dan 200 regels of waarden/);
  });

  test('values packed onto few lines are counted after parsing: one finding', () => {
    // A flow list without commas between its nested items: few lines, few commas, many values.
    const text = `formulier: vgz/rho-regioplan\ncontractjaar: 2026\nx: ${'[['.repeat(30)}${']]'.repeat(30)}\n`;
    assert.ok(roughValueCount(text) < 20);
    const findings = engineWith({ maxValues: 40 }).check(text, { today: TODAY }).findings;
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.match(findings[0]?.message ?? '', /meer dan 40 regels of waarden/);
  });

  test('the default bound leaves a 50,000-line regioplan checkable (50 times a large real one)', () => {
    const text = generateRegioplan(ROOT, 50_000);
    assert.ok(roughValueCount(text) < DEFAULT_LIMITS.maxValues);
    assert.ok((exceedsValues(parseDocument(text).toJS(), DEFAULT_LIMITS.maxValues) ?? 0) === 0);
  });
});

describe('findings', () => {
  test('at most maxFindings findings, in document order, then one ZT-LIMIT where the first left out is', () => {
    const text = sample('vgz/rho-regioplan', 'invalid-mandaat-en-patienten.yaml');
    const all = check(text);
    assert.ok(all.length > 3, 'the sample has several findings');
    const capped = engineWith({ maxFindings: 3 }).check(text, { today: TODAY }).findings;
    assert.equal(capped.length, 4);
    const limit = capped.find((f) => f.id === 'ZT-LIMIT');
    assert.match(limit?.message ?? '', /Meer dan 3 meldingen in dit bestand; alleen de eerste 3 worden getoond/);
    assert.deepEqual(
      capped.filter((f) => f.id !== 'ZT-LIMIT').map((f) => f.message),
      all.slice(0, 3).map((f) => f.message),
    );
    assert.deepEqual(limit?.range.start, all[3]?.range.start);
  });

  test('a shape wrong everywhere: thousands of errors end in the cap, quickly and once', () => {
    const text = `formulier: vgz/rho-regioplan\ncontractjaar: 2026\npraktijken:\n${'  - {}\n'.repeat(3000)}`;
    const findings = check(text);
    assert.equal(findings.length, 1001);
    assert.equal(limitFindings(findings).length, 1);
  });

  test('a million syntax problems are not a million objects: the parser stops making findings at the cap', () => {
    const text = `formulier: vgz/rho-regioplan\ncontractjaar: 2026\n${'a: 1\n'.repeat(5000)}`;
    const findings = engineWith({ maxFindings: 50 }).check(text, { today: TODAY }).findings;
    assert.equal(findings.length, 51);
    assert.equal(findings.filter((f) => f.id === 'ZT-YAML').length, 50);
    assert.equal(limitFindings(findings).length, 1);
  });
});

describe('duplicate keys in linear time', () => {
  test('the same findings as the yaml library finds itself, on every sample and mutations of them', () => {
    const corpus = sampleCorpus();
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(mutation, { maxLength: 6 }), (base, mutations) => {
        const text = mutations.reduce(applyMutation, base);
        const theirs = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]);
        const ours = duplicateKeys(parseDocument(text, { uniqueKeys: false })).map((d) => d.pos[0]);
        // The same keys at the same places. With tabs for indentation (already an error) the
        // library points at the whitespace before the key, ours at the key itself.
        assert.equal(ours.length, theirs.length);
        if (!text.includes('\t')) assert.deepEqual(ours.sort((a, b) => a - b), theirs.sort((a, b) => a - b));
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  test('flow mappings, quoted and numeric keys, nested maps', () => {
    const text = 'a: {x: 1, "x": 2, 1: a, "1": b}\nb:\n  c: 1\n  c: 2\n';
    const theirs = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]);
    assert.deepEqual(duplicateKeys(parseDocument(text, { uniqueKeys: false })).map((d) => d.pos[0]), theirs);
    assert.equal(theirs.length, 2);
  });

  test('a mapping with more keys than any form has: refused with one finding at the mapping', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `  onbekend_${i}: ${i}`).join('\n');
    const text = VALID.replace('organisatie:\n', `organisatie:\n${keys}\n`);
    for (const cacheKey of [undefined, 'editor']) {
      const findings = engineWith({ maxKeysPerMapping: 50 }).check(text, { today: TODAY, ...(cacheKey ? { cacheKey } : {}) }).findings;
      assert.deepEqual(ids(findings), ['ZT-LIMIT']);
      assert.match(findings[0]?.message ?? '', /Deze sectie heeft \d+ sleutels \(maximaal 50\)/);
      assert.equal(findings[0]?.range.start.line, text.split('\n').findIndex((l) => l.startsWith('  onbekend_0')));
    }
  });

  test('a mapping with thousands of keys: every finding points at its own key', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `onbekend_${i}: ${i}`);
    const text = VALID.replace('organisatie:\n', `organisatie:\n${keys.map((k) => `  ${k}`).join('\n')}\n`);
    const findings = check(text).filter((f) => f.id !== 'ZT-LIMIT' && f.path[0] === 'organisatie' && String(f.path[1]).startsWith('onbekend_'));
    assert.equal(findings.length, 1000, 'the first 1000 unknown keys, then the cap');
    for (const finding of findings.filter((_, i) => i % 200 === 0)) assert.deepEqual(finding.range.start, expectedStart(text, finding.path, 'key'));
    const last = findings[findings.length - 1] as Finding;
    assert.deepEqual(last.range.start, expectedStart(text, last.path, 'key'));
  });
});

describe('text that is not valid', () => {
  test('U+FFFD (bytes an editor could not decode) gets one finding where it is; the check goes on', () => {
    const text = VALID.replace('m.verbeek@hz-lingestroom.nl', 'm.verbeek@hz-lingestroom.nl').replace('Lingestroom', 'Linge\uFFFDstroom').replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
    const findings = check(text);
    const limit = limitFindings(findings);
    assert.equal(limit.length, 1);
    const line = text.split('\n').findIndex((l) => l.includes('\uFFFD'));
    assert.deepEqual(limit[0]?.range.start, { line, character: (text.split('\n')[line] ?? '').indexOf('\uFFFD') });
    assert.match(limit[0]?.message ?? '', new RegExp(`Regel ${line + 1}, kolom \\d+ bevat een teken dat geen geldige tekst is \\(U\\+FFFD\\)`));
    assert.ok(findings.some((f) => f.id === 'VGZ-RHO-04c'), 'the other checks still ran');
  });

  test('half a surrogate pair (an emoji cut in two) is found the same way', () => {
    const text = VALID.replace('Lingestroom', 'Lingestroom \ud83d');
    const limit = limitFindings(check(text));
    assert.equal(limit.length, 1);
    assert.match(limit[0]?.message ?? '', /\(U\+D83D\)/);
    assert.deepEqual(limitFindings(check(VALID.replace('Lingestroom', 'Lingestroom 🙂'))), [], 'a whole emoji is fine');
  });
});

describe('lines as editors count them', () => {
  test('a lone CR ends a line (LSP), so ranges match what the editor shows', () => {
    const index = TextIndex.of('a: 1\rb: 2\r\nc: 3\nd');
    assert.equal(index.lineCount, 4);
    assert.deepEqual(index.positionAt(5), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(12), { line: 2, character: 1 });
    assert.equal(index.lineText(1), 'b: 2');
  });

  test('no position lies inside a line break: between CR and LF is the end of the line', () => {
    const text = 'ab\r\ncd\r\n';
    const index = TextIndex.of(text);
    assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2, 'past the end of a line is its end (LSP)');
    assert.deepEqual(index.rangeOf(2, 3), { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } });
  });

  test('a finding in a file with lone CRs is on the line the editor shows', () => {
    const text = VALID.replace(/\n/g, '\r').replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
    const findings = check(text);
    const lines = text.split('\r');
    for (const f of findings) assert.ok(f.range.start.line < lines.length && f.range.end.character <= (lines[f.range.end.line] ?? '').length, `${f.id} ${JSON.stringify(f.range)}`);
  });
});
