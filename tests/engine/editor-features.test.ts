import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complete, complianceSummary, hover, outline, requirementsStatus } from '../../server/src/engine/index.js';
import { engine, sample, TODAY } from '../helpers/engine.js';

/** Completion, hover, outline and the compliance views of the engine (pure, no LSP). */

const e = engine();
const valid = sample('vgz/rho-regioplan');
const lines = valid.split('\n');
const lineOf = (pattern: RegExp) => {
  const at = lines.findIndex((l) => pattern.test(l));
  assert.ok(at >= 0, `no line matches ${pattern}`);
  return at;
};
const withLine = (after: number, inserted: string) => [...lines.slice(0, after + 1), inserted, ...lines.slice(after + 1)].join('\n');

describe('completion', () => {
  test('keys of the mapping at the cursor: required first, present keys left out', () => {
    const text = withLine(lineOf(/^verklaringen:/), '  ').replace(/^  voldoet_aan_wtza: .*\n/m, '');
    const at = text.split('\n').findIndex((l) => l === '  ');
    const labels = complete(e, text, { line: at, character: 2 }, 'nl').map((c) => c.label);
    assert.equal(labels[0], 'voldoet_aan_wtza', 'the one missing required declaration comes first');
    assert.ok(!labels.includes('ubo_geregistreerd_bij_vektis'), 'a key already present is not offered');
    assert.ok(labels.includes('wtza_vergunning_nummer'), 'optional keys follow');
  });

  test('keys inside a new list item come from the item schema', () => {
    const at = lineOf(/^ {4}huisartsen:/);
    const text = withLine(at, '      - ');
    const items = complete(e, text, { line: at + 1, character: 8 }, 'nl');
    assert.deepEqual(items.map((c) => c.label), ['naam', 'big_nummer', 'mandaat']);
    assert.equal(items[0]?.insertText, 'naam: ');
    assert.deepEqual(items[0]?.range, { start: { line: at + 1, character: 8 }, end: { line: at + 1, character: 8 } });
  });

  test('enum values carry the labels of their closed list', () => {
    const at = lineOf(/^ {2}rechtsvorm:/);
    const items = complete(e, valid, { line: at, character: (lines[at] ?? '').indexOf(':') + 2 }, 'en');
    const bv = items.find((c) => c.label === 'bv');
    assert.equal(bv?.detail, 'private limited company (bv)');
    assert.equal(items.length, 9);
  });

  test('declarations offer true and false, saying which meets the requirement', () => {
    const at = lineOf(/^ {2}onder_verscherpt_toezicht:/);
    const items = complete(e, valid, { line: at, character: (lines[at] ?? '').indexOf(':') + 2 }, 'nl');
    assert.deepEqual(items.map((c) => `${c.label}: ${c.detail}`), ['true: voldoet niet aan de eis', 'false: voldoet aan de eis']);
    assert.match(items[0]?.documentation ?? '', /VGZ-ALG-04/);
  });

  test('closed lists without an enum (addenda) complete too, without retired products', () => {
    const at = lineOf(/^ {2}- naam: Standaardketens/);
    const items = complete(e, valid, { line: at, character: 10 }, 'nl').map((c) => c.label);
    assert.ok(items.includes('Praktijkmanagement'));
    assert.ok(!items.includes('Wijkmanagement'), 'a retired product is never offered');
  });

  test('formulier: completes to the known forms; an empty YAML file gets only formulier', () => {
    const at = lineOf(/^formulier:/);
    assert.deepEqual(complete(e, valid, { line: at, character: 11 }, 'nl').map((c) => c.label), e.forms.formIds());
    assert.deepEqual(complete(e, 'fo', { line: 0, character: 2 }, 'nl').map((c) => c.insertText), ['formulier: ']);
  });

  test('no completion inside comments', () => {
    assert.deepEqual(complete(e, valid, { line: 0, character: 5 }, 'nl'), []);
  });
});

describe('hover', () => {
  const result = e.check(valid, { today: TODAY });

  test('on a key: the requirement title, explanation and policy source', () => {
    const at = lineOf(/^ {2}rechtsvorm:/);
    const info = hover(e, result, { line: at, character: 4 }, 'nl');
    assert.match(info?.markdown ?? '', /\*\*VGZ-RHO-01\*\* — Rechtspersoon/);
    assert.match(info?.markdown ?? '', /Bron:\* 004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.deepEqual(info?.range, { start: { line: at, character: 2 }, end: { line: at, character: 12 } });
  });

  test('on formulier: the form and its notes', () => {
    const info = hover(e, result, { line: lineOf(/^formulier:/), character: 1 }, 'en');
    assert.match(info?.markdown ?? '', /VGZ-ALG-08/);
    assert.match(info?.markdown ?? '', /Notes on this form/);
  });

  test('on a finding: its message and requirement first', () => {
    const text = valid.replace(/^ {2}ubo_geregistreerd_bij_vektis: true/m, '  ubo_geregistreerd_bij_vektis: false');
    const failing = e.check(text, { today: TODAY });
    const finding = failing.findings.find((f) => f.id === 'VGZ-ALG-03');
    assert.ok(finding);
    const info = hover(e, failing, finding.range.start, 'nl');
    assert.ok((info?.markdown ?? '').startsWith('**Melding:** De UBO'), info?.markdown);
  });
});

describe('outline and compliance', () => {
  test('the outline names list items by what identifies them', () => {
    const symbols = outline(e.check(valid, { today: TODAY }).parsed);
    const praktijken = symbols.find((s) => s.name === 'praktijken');
    assert.equal(praktijken?.kind, 'list');
    assert.ok((praktijken?.children.length ?? 0) > 0);
    assert.doesNotMatch(praktijken?.children[0]?.name ?? '', /^\[/);
    assert.equal(symbols[0]?.name, 'formulier');
  });

  test('summary and requirement states follow the findings', () => {
    const text = valid.replace(/^ {2}ubo_geregistreerd_bij_vektis: true/m, '  ubo_geregistreerd_bij_vektis: false');
    const result = e.check(text, { today: TODAY });
    const summary = complianceSummary(e, result, 'nl');
    assert.equal(summary.errors, 1);
    assert.equal(summary.text, '1 fout — VGZ RHO 2026');
    const states = requirementsStatus(e, result, 'nl');
    assert.equal(states[0]?.id, 'VGZ-ALG-03');
    assert.equal(states[0]?.state, 'error');
    assert.equal(states.find((s) => s.id === 'VGZ-ALG-08')?.state, 'note');
    assert.equal(states.find((s) => s.id === 'VGZ-ALG-01')?.state, 'met');
    const broken = e.check(`${valid}\n  : [`, { today: TODAY });
    assert.equal(requirementsStatus(e, broken, 'nl').find((s) => s.id === 'VGZ-ALG-01')?.state, 'unchecked');
  });
});

describe('completion in lists of scalars', () => {
  test('a new item of a list of free strings offers neither keys nor values', () => {
    const text = valid.replace(/^ {2}gemeenten: \[.*\]$/m, '  gemeenten:\n    - Lingedal\n    - ');
    const at = text.split('\n').findIndex((l) => l === '    - ');
    assert.ok(at > 0);
    assert.deepEqual(complete(e, text, { line: at, character: 6 }, 'nl'), []);
  });
});
