import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits, deviationEdit, formatPath } from '../../server/src/engine/index.js';
import { engine, sample, TODAY } from '../helpers/engine.js';

/**
 * The edit that starts a deviation for a finding: it adds the ID and path with an empty
 * toelichting (never the explanation itself), wherever and however the list is written.
 */

const FORM = 'vgz/rho-regioplan';
const lowMandate = sample(FORM).replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
const REASON = 'Zes huisartsen treden per 1 januari 2026 toe (bijlage 3).';

function startDeviation(text: string): string {
  const result = engine().check(text, { today: TODAY });
  const finding = result.findings.find((f) => f.id === 'VGZ-RHO-04c');
  assert.ok(finding);
  const edit = deviationEdit(result.parsed, finding, engine().catalogue);
  assert.ok(edit, 'an edit is offered');
  return applyTextEdits(text, [edit]);
}

function findings(text: string): string[] {
  return engine()
    .check(text, { today: TODAY })
    .findings.map((f) => `${f.severity} ${f.id} ${formatPath(f.path)}`);
}

describe('deviationEdit', () => {
  const layouts: [string, string][] = [
    ['no afwijkingen yet', lowMandate],
    ['afwijkingen: with nothing', `${lowMandate}afwijkingen:\n`],
    ['afwijkingen: []', `${lowMandate}afwijkingen: []\n`],
    ['a block list', `${lowMandate}afwijkingen:\n  - id: VGZ-RHO-07\n    toelichting: Volgt.\n`],
    ['no newline at the end', lowMandate.trimEnd()],
    ['CRLF', lowMandate.replace(/\n/g, '\r\n')],
  ];
  for (const [name, text] of layouts) {
    test(`${name}: the finding stands, and asks for the toelichting until it is written`, () => {
      const started = startDeviation(text);
      assert.ok(started.startsWith(text.trimEnd().slice(0, 200)), 'the text before stays');
      assert.equal(started.includes('\r\n'), text.includes('\r\n'));
      if (text.includes('\r\n')) assert.doesNotMatch(started, /[^\r]\n/, 'no lone LF in a CRLF file');
      const after = findings(started);
      assert.ok(after.includes('error VGZ-RHO-04c regio.aantal_huisartsen_in_regio'), after.join('; '));
      assert.ok(after.some((f) => f.startsWith('error ZT-DEV-REASON afwijkingen[')), after.join('; '));
      const explained = started.replace(/toelichting:(\r?\n|$)/, `toelichting: ${REASON}$1`);
      assert.ok(findings(explained).includes('info VGZ-RHO-04c regio.aantal_huisartsen_in_regio'), findings(explained).join('; '));
    });
  }

  test('no edit for an exclusion ground or a product check', () => {
    const text = sample(FORM).replace('onder_verscherpt_toezicht: false', 'onder_verscherpt_toezicht: true');
    const result = engine().check(text, { today: TODAY });
    const finding = result.findings.find((f) => f.id === 'VGZ-ALG-04');
    assert.ok(finding);
    assert.equal(deviationEdit(result.parsed, finding, engine().catalogue), undefined);
    assert.equal(deviationEdit(result.parsed, { id: 'ZT-KEY', path: [] }, engine().catalogue), undefined);
  });
});
