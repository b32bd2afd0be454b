import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Engine, type CrossEntry } from '../../server/src/engine/index.js';
import { ChunkedParser, cutText } from '../../server/src/engine/chunked-parse.js';
import { largestMapping } from '../../server/src/engine/duplicate-keys.js';
import { countValues } from '../../server/src/engine/value-count.js';
import { parseDocument } from 'yaml';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { join } from 'node:path';
import { ROOT, sample, TODAY } from '../helpers/engine.js';
import { generateRegioplan } from '../bench/generate-regioplan.js';
import { applyMutation, mutation } from '../fuzz/mutations.js';

/**
 * Incremental parsing never changes a result: after every edit of a random edit script, the check
 * that reuses the previous version's pieces equals a check from scratch — findings, ranges,
 * messages, fixes and data.
 */

const incremental = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')) });
const scratch = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')) });

function same(text: string, key: string): void {
  const a = incremental.check(text, { today: TODAY, cacheKey: key });
  const b = scratch.check(text, { today: TODAY });
  assert.deepEqual(a.findings, b.findings);
  assert.deepEqual(a.parsed.data, b.parsed.data);
  assert.equal(a.ours, b.ours);
  // The entries for the checks across documents, remembered by practice between versions.
  assert.deepEqual(plainEntries(a.crossEntries?.() ?? []), plainEntries(b.crossEntries?.() ?? []));
}

function plainEntries(entries: readonly CrossEntry[]): unknown[] {
  return entries.map((entry) => (entry.kind === 'unique' ? { ...entry, params: entry.params() } : entry.kind === 'lookup' ? { ...entry, check: undefined } : entry));
}

describe('incremental parsing', () => {
  test('a regioplan is cut into sections and the practices into items', () => {
    const sections = cutText(sample('vgz/rho-regioplan'));
    assert.ok(sections);
    const praktijken = sections.find((s) => s.key === 'praktijken');
    assert.equal(praktijken?.items?.length, 8);
    assert.deepEqual(sections.map((s) => s.key).slice(0, 4), ['formulier', 'contractjaar', 'ingediend_op', 'organisatie']);
  });

  test('texts that cannot be cut exactly are left to the full parser', () => {
    assert.equal(cutText('a: &x 1\nb: *x\n'), undefined, 'aliases');
    assert.equal(cutText('a: 1\n---\nb: 2\n'), undefined, 'several documents');
    assert.equal(cutText('- a\n- b\n'), undefined, 'a root sequence');
    assert.equal(cutText('a: 1\na: 2\n'), undefined, 'a duplicate key');
    assert.equal(cutText('a: "x\ny"\n'), undefined, 'a column-0 continuation line');
  });

  test('the pieces count values and mapping keys as a walk over the whole tree does (the limits)', () => {
    const parser = new ChunkedParser();
    const base = generateRegioplan(ROOT, 400);
    let compared = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 10 }), (edits) => {
        let text = base;
        for (const edit of edits) {
          text = applyMutation(text, edit);
          const result = parser.parse(text, 'limits');
          if (!result) continue;
          const doc = parseDocument(text, { uniqueKeys: false });
          assert.equal(result.values, countValues(doc.toJS()));
          assert.equal(result.largestMapping, largestMapping(doc));
          compared++;
        }
      }),
      { numRuns: 30, seed: 777 },
    );
    assert.ok(compared > 30, `${compared} versions compared`);
  });

  test('at the value and key limits, an incremental check equals one from scratch', () => {
    const base = generateRegioplan(ROOT, 300);
    const values = countValues(parseDocument(base).toJS());
    const organisationKeys = Object.keys((parseDocument(base).toJS() as { organisatie: object }).organisatie).length;
    for (const [limits, over] of [
      [{ maxValues: values }, false],
      [{ maxValues: values - 1 }, true],
      [{ maxKeysPerMapping: organisationKeys + 20 }, false],
      [{ maxKeysPerMapping: organisationKeys - 1 }, true],
    ] as const) {
      const options = { files: new NodeDataFiles(join(ROOT, 'schemas')), limits };
      const a = new Engine(options);
      const b = new Engine(options);
      a.check(base.replace('aantal_ingeschreven_patienten: 9', 'aantal_ingeschreven_patienten: 8'), { today: TODAY, cacheKey: 'k' });
      const warm = a.check(base, { today: TODAY, cacheKey: 'k' });
      const cold = b.check(base, { today: TODAY });
      assert.deepEqual(warm.findings, cold.findings, JSON.stringify(limits));
      assert.equal(cold.findings.some((f) => f.id === 'ZT-LIMIT'), over, `ZT-LIMIT expected: ${over} (${JSON.stringify(limits)})`);
    }
  });

  test('a 1k-line regioplan: 40 random edits, each version equal to a check from scratch', () => {
    const base = generateRegioplan(ROOT, 1000);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 40 }), (edits) => {
        const key = `doc-${Math.random()}`;
        let text = base;
        same(text, key);
        for (const edit of edits) {
          text = applyMutation(text, edit);
          same(text, key);
        }
        incremental.forget(key);
      }),
      { numRuns: Number(process.env['ZT_INCREMENTAL_RUNS'] ?? 12), seed: 424242 },
    );
  });

  test('typing a value character by character in the middle of the list', () => {
    const base = sample('vgz/rho-regioplan');
    const at = base.indexOf('aantal_ingeschreven_patienten: 10800') + 'aantal_ingeschreven_patienten: '.length;
    let text = base.slice(0, at) + base.slice(at + 5);
    same(text, 'typing');
    for (const ch of '10800') {
      const cursor = text.indexOf('aantal_ingeschreven_patienten: ', at - 40) + 'aantal_ingeschreven_patienten: '.length;
      const end = text.indexOf('\n', cursor);
      text = text.slice(0, end) + ch + text.slice(end);
      same(text, 'typing');
    }
    assert.equal(text, base);
  });

  test('an edit in one place changes how unchanged practices are judged (remembered rule verdicts)', () => {
    // Each step changes something the per-item rules read besides the item itself: a let over
    // the whole list (duplicates), a list elsewhere (the region's municipalities), the order.
    const base = generateRegioplan(ROOT, 1000);
    const key = 'verdicts';
    let text = base;
    same(text, key);
    const steps: [string, (t: string) => string, (ids: string[]) => void][] = [
      ['a GP number made equal to another practice’s', (t) => t.replace('big_nummer: "10000000009"', 'big_nummer: "10000000001"'), (ids) => assert.equal(ids.filter((id) => id === 'VGZ-RHO-05').length, 2)],
      ['the duplicate undone', (t) => t.replace(/(Huisarts 2-2, big_nummer: )"10000000001"/, '$1"10000000009"'), (ids) => assert.ok(!ids.includes('VGZ-RHO-05'))],
      ['a municipality dropped from the region', (t) => t.replace('gemeenten: [Lingedal, Waalhoven, Bommerwaard, Geldermeer, Rietveen, Betuwezande]', 'gemeenten: [Lingedal, Waalhoven, Bommerwaard, Geldermeer, Rietveen]'), (ids) => assert.ok(ids.filter((id) => id === 'VGZ-RHO-04b').length > 1)],
      ['and put back', (t) => t.replace('gemeenten: [Lingedal, Waalhoven, Bommerwaard, Geldermeer, Rietveen]', 'gemeenten: [Lingedal, Waalhoven, Bommerwaard, Geldermeer, Rietveen, Betuwezande]'), (ids) => assert.ok(!ids.includes('VGZ-RHO-04b'))],
      ['a practice’s municipality misspelt', (t) => t.replace('gemeente: Waalhoven', 'gemeente: Waalhove'), (ids) => assert.equal(ids.filter((id) => id === 'VGZ-RHO-04b').length, 1)],
      ['the first practice moved to the end', (t) => {
        const start = t.indexOf('  - naam: Huisartsenpraktijk Proef 1\n');
        const end = t.indexOf('  - naam: Huisartsenpraktijk Proef 2\n');
        const block = t.slice(start, end);
        const rest = t.slice(0, start) + t.slice(end);
        const tail = rest.indexOf('\nzorgketens:');
        return `${rest.slice(0, tail)}\n${block.trimEnd()}${rest.slice(tail)}`;
      }, () => undefined],
      ['a practice duplicated', (t) => {
        const start = t.indexOf('  - naam: Huisartsenpraktijk Proef 3\n');
        const end = t.indexOf('  - naam: Huisartsenpraktijk Proef 4\n');
        return t.slice(0, end) + t.slice(start, end) + t.slice(end);
      }, (ids) => assert.ok(ids.filter((id) => id === 'VGZ-RHO-05').length >= 2 + 16)],
      ['the organisation’s KvK number changed (the owner of every entry)', (t) => t.replace('kvk_nummer: "71845203"', 'kvk_nummer: "71845204"'), () => undefined],
      ['a GP renamed (the params of an entry)', (t) => t.replace('Huisarts 2-2,', 'Huisarts 2-2b,'), () => undefined],
      ['typing inside the duplicate', (t) => t.replace(/(Huisartsenpraktijk Proef 3\n[^]*?)(Huisartsenpraktijk Proef 3\n)/, '$1Huisartsenpraktijk Proef 3b\n'), () => undefined],
    ];
    for (const [name, edit, expect] of steps) {
      const next = edit(text);
      assert.notEqual(next, text, `the step "${name}" changed nothing`);
      text = next;
      const ids = incremental.check(text, { today: TODAY, cacheKey: key }).findings.map((f) => f.id);
      same(text, key);
      expect(ids);
    }
    incremental.forget(key);
  });

  test('the pieces of an unchanged part are found by position, a pasted copy gets its own', () => {
    const base = sample('vgz/rho-regioplan');
    const key = 'positions';
    same(base, key);
    const block = base.slice(base.indexOf('  - naam: Huisartsenpraktijk Waalkade'), base.indexOf('zorgketens:'));
    const pasted = base.replace('zorgketens:', `${block}zorgketens:`);
    same(pasted, key);
    same(`# bovenaan\n${pasted}`, key);
    same(pasted.replace('Waalkade', 'Waalkade-Zuid'), key);
    same(base, key);
    incremental.forget(key);
  });

  test('two documents sharing pieces keep their own ranges', () => {
    const a = sample('vgz/rho-regioplan');
    const b = `# een kopie met een extra regel bovenaan\n${a}`;
    same(a, 'a');
    same(b, 'b');
    same(a, 'a');
  });
});
