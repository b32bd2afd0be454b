import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyTextEdits, formatPath, TextIndex, type Finding } from '../../server/src/engine/index.js';
import { check, ROOT, sample } from '../helpers/engine.js';

/**
 * Quick fixes change only what they say: applied, the finding they fix is gone, and every byte
 * outside the edited ranges is unchanged.
 */

const FORM = 'vgz/rho-regioplan';
const files = readdirSync(join(ROOT, 'samples', FORM)).filter((name) => name.startsWith('invalid-'));

function key(finding: Finding): string {
  return `${finding.id}@${formatPath(finding.path)}`;
}

describe('every quick fix on every invalid sample', () => {
  for (const file of files) {
    const text = sample(FORM, file);
    const findings = check(text).filter((f) => f.fixes && f.fixes.length > 0);
    for (const finding of findings) {
      for (const fix of finding.fixes ?? []) {
        test(`${file}: ${key(finding)}: ${fix.title}`, () => {
          const fixed = applyTextEdits(text, fix.edits);
          assert.notEqual(fixed, text);
          const index = TextIndex.of(text);
          const spans = fix.edits.map((e) => [index.offsetAt(e.range.start), index.offsetAt(e.range.end)] as const).sort((a, b) => a[0] - b[0]);
          const first = spans[0];
          const last = spans[spans.length - 1];
          assert.ok(first && last);
          assert.equal(fixed.slice(0, first[0]), text.slice(0, first[0]), 'text before the edit is unchanged');
          assert.equal(fixed.slice(fixed.length - (text.length - last[1])), text.slice(last[1]), 'text after the edit is unchanged');
          // Inserting a missing declaration asks the question (null): the finding may stay as
          // "not yet answered", never as the original problem.
          const remaining = check(fixed).filter((f) => key(f) === key(finding));
          assert.ok(
            remaining.every((f) => f.message.startsWith('Nog niet')),
            `${key(finding)} is gone after the fix (left: ${remaining.map((f) => f.message).join(' | ')})`,
          );
        });
      }
    }
  }
});

describe('specific fixes', () => {
  const VALID = sample(FORM);

  test('"ja" becomes true and the declaration then passes', () => {
    const text = VALID.replace('  ubo_geregistreerd_bij_vektis: true ', '  ubo_geregistreerd_bij_vektis: "ja" ');
    const finding = check(text).find((f) => f.id === 'VGZ-ALG-03');
    assert.ok(finding?.fixes?.[0]);
    assert.equal(finding.fixes[0].edits[0]?.newText, 'true');
    assert.deepEqual(check(applyTextEdits(text, finding.fixes[0].edits)), []);
  });

  test('a missing RTA block is inserted from the template with its questions unanswered', () => {
    const text = VALID.replace(/ {4}rta:\n(?: {6}.*\n)+?(?= {4}zorgprogramma:)/, '');
    const finding = check(text).find((f) => f.id === 'VGZ-RHO-09');
    assert.ok(finding?.fixes?.[0], 'fix offered');
    const fixed = applyTextEdits(text, finding.fixes[0].edits);
    const after = check(fixed);
    assert.ok(!after.some((f) => key(f) === key(finding)), 'the chain without RTA is gone');
    assert.ok(after.some((f) => f.id === 'VGZ-RHO-09' && f.message.startsWith('Nog niet ingevuld')), 'the hospital is still to fill in');
    const unanswered = after.filter((f) => f.message.startsWith('Nog niet beantwoord'));
    assert.equal(unanswered.length, 7, 'the seven RTA questions are asked, not answered');
    const inserted = finding.fixes[0].edits[0]?.newText ?? '';
    assert.doesNotMatch(inserted, /:\s*(true|false)\b/, 'the inserted block answers nothing');
  });

  test('Wijkmanagement is replaced by Praktijkmanagement regionaal', () => {
    const text = VALID.replace('  - naam: Praktijkmanagement regionaal\n    per_normpraktijk_uur: 2\n', '').replace('  - Astma\n', '  - Wijkmanagement\n');
    const finding = check(text).find((f) => f.id === 'VGZ-RHO-A2');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, 'Praktijkmanagement regionaal');
    // The successor then asks its own question (A4: hours per normpraktijk); the retired product is gone.
    assert.deepEqual(check(applyTextEdits(text, finding.fixes[0].edits)).filter((f) => f.id === 'VGZ-RHO-A2' || f.id === 'VGZ-RHO-A1').map((f) => f.message), []);
  });

  test('a retired product whose successor is already requested: the fix removes it instead', () => {
    for (const [retired, id] of [['Wijkmanagement', 'VGZ-RHO-A2'], ['Integrale keten DBC kwetsbare ouderen', 'VGZ-RHO-A3']] as const) {
      const text = VALID.replace('  - Astma\n', `  - Astma\n  - ${retired}\n`);
      const finding = check(text).find((f) => f.id === id);
      assert.match(finding?.message ?? '', /staat al in de aanvraag/);
      const fix = finding?.fixes?.[0];
      assert.equal(fix?.title, `Verwijder ${retired}`);
      assert.equal(applyTextEdits(text, fix?.edits ?? []), VALID, 'exactly the retired line goes');
    }
  });

  test('a number typed where an identifier belongs is quoted as typed, keeping leading zeros', () => {
    const text = VALID.replace('agb_code: "01052317"', 'agb_code: 01052317');
    const finding = check(text).find((f) => formatPath(f.path) === 'praktijken[1].agb_code');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, '"01052317"');
  });

  test('an unknown key gets a rename to the nearest known key', () => {
    const text = VALID.replace('  regioplan_document:', '  regioplan_documnet:');
    const finding = check(text).find((f) => f.id === 'ZT-KEY');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, 'regioplan_document');
    assert.deepEqual(check(applyTextEdits(text, finding?.fixes?.[0]?.edits ?? [])), []);
  });
});
