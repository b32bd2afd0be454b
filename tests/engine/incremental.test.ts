import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Engine } from '../../server/src/engine/index.js';
import { cutText } from '../../server/src/engine/chunked-parse.js';
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

  test('two documents sharing pieces keep their own ranges', () => {
    const a = sample('vgz/rho-regioplan');
    const b = `# een kopie met een extra regel bovenaan\n${a}`;
    same(a, 'a');
    same(b, 'b');
    same(a, 'a');
  });
});
