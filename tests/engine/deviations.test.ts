import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyExampleEdits, formatPath, type ExampleEdit, type Finding } from '../../server/src/engine/index.js';
import { engine, sample, TODAY } from '../helpers/engine.js';

/**
 * Justified deviations through the engine: the `afwijkingen:` list of a submission turns the
 * findings it explains into information, keeps them visible, and reports deviations that lack a
 * reason, match nothing or name a requirement that cannot be deviated from.
 */

const FORM = 'vgz/rho-regioplan';
const REASON = 'Zes huisartsen treden per 1 januari 2026 toe; de toetredingsbrieven zitten in bijlage 3.';

function checkWith(edits: ExampleEdit[], lang: 'nl' | 'en' = 'nl') {
  const text = applyExampleEdits(sample(FORM), edits);
  return engine().check(text, { today: TODAY, lang, strict: true });
}

const lowMandate: ExampleEdit = { set: 'regio.aantal_huisartsen_in_regio', to: 70 };
const deviations = (...items: Record<string, unknown>[]): ExampleEdit => ({ set: 'afwijkingen', to: items });
const at = (findings: readonly Finding[], id: string) => findings.filter((f) => f.id === id);

describe('a justified deviation', () => {
  const plain = checkWith([lowMandate]);
  const result = checkWith([lowMandate, deviations({ id: 'VGZ-RHO-04c', pad: 'regio.aantal_huisartsen_in_regio', toelichting: `  ${REASON}  ` })]);
  const original = at(plain.findings, 'VGZ-RHO-04c')[0];
  const justified = at(result.findings, 'VGZ-RHO-04c')[0];

  test('the finding becomes information, with the explanation first and the original message kept', () => {
    assert.ok(original && justified);
    assert.equal(original.severity, 'error');
    assert.equal(justified.severity, 'info');
    assert.equal(justified.message, `Afwijking toegelicht: ${REASON} — ${original.message}`);
    assert.deepEqual(justified.deviation, { index: 0, toelichting: REASON, originalSeverity: 'error' });
    assert.deepEqual(justified.range, original.range, 'still shown where the problem is');
  });

  test('no error remains, and no ZT-DEV finding', () => {
    assert.equal(engine().summarize(result.findings).errors, 0);
    assert.deepEqual(result.findings.filter((f) => f.id.startsWith('ZT-')).map((f) => f.id), []);
  });

  test('the result lists the deviation with its finding, for exports and reports', () => {
    assert.equal(result.deviations.length, 1);
    const deviation = result.deviations[0];
    assert.ok(deviation);
    assert.equal(deviation.status, 'justified');
    assert.equal(deviation.statusText, 'toegelicht');
    assert.equal(deviation.toelichting, REASON);
    assert.equal(deviation.pad, 'regio.aantal_huisartsen_in_regio');
    assert.equal(deviation.requirement?.id, 'VGZ-RHO-04c');
    assert.match(deviation.requirement?.title ?? '', /mandaat/i);
    assert.match(deviation.requirement?.source ?? '', /^004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.match(deviation.requirement?.policyVersion ?? '', /^2026-2027/);
    assert.deepEqual(deviation.findings.map((f) => [f.id, f.severity, f.message]), [['VGZ-RHO-04c', 'info', justified?.message]]);
    assert.deepEqual(deviation.problems, []);
    assert.equal(deviation.range.start.line, result.parsed.text.split('\n').findIndex((l) => l.startsWith('  - id: VGZ-RHO-04c')));
  });

  test('English, and re-rendering the raw findings in another language', () => {
    const english = checkWith([lowMandate, deviations({ id: 'VGZ-RHO-04c', toelichting: REASON })], 'en');
    const hit = at(english.findings, 'VGZ-RHO-04c')[0];
    assert.match(hit?.message ?? '', new RegExp(`^Deviation explained: ${REASON.replace(/[.;]/g, '\\$&')} — Mandate 65\\.7%`));
    assert.equal(english.deviations[0]?.statusText, 'explained');
    const rerendered = engine().render(result.raw, 'en').find((f) => f.id === 'VGZ-RHO-04c');
    assert.equal(rerendered?.severity, 'info');
    assert.match(rerendered?.message ?? '', /^Deviation explained: .* — Mandate 65\.7%/);
  });
});

describe('a deviation without a reason', () => {
  for (const toelichting of [undefined, null, '', '   ', '-', 'n.v.t.', 'TODO']) {
    test(`toelichting ${JSON.stringify(toelichting)}: ZT-DEV-REASON, and the finding stays an error`, () => {
      const item: Record<string, unknown> = { id: 'VGZ-RHO-04c', pad: 'regio.aantal_huisartsen_in_regio' };
      if (toelichting !== undefined) item['toelichting'] = toelichting;
      const result = checkWith([lowMandate, deviations(item)]);
      assert.equal(at(result.findings, 'VGZ-RHO-04c')[0]?.severity, 'error');
      const reason = at(result.findings, 'ZT-DEV-REASON');
      assert.equal(reason.length, 1);
      assert.equal(reason[0]?.severity, 'error');
      assert.deepEqual(reason[0]?.path, ['afwijkingen', 0, 'toelichting']);
      assert.equal(result.deviations[0]?.status, 'unjustified');
      assert.deepEqual(result.deviations[0]?.findings.map((f) => [f.id, f.severity]), [['VGZ-RHO-04c', 'error']]);
      assert.deepEqual(result.deviations[0]?.problems.map((f) => f.id), ['ZT-DEV-REASON']);
      assert.equal(result.deviations[0]?.toelichting, undefined);
    });
  }
});

describe('a deviation that matches nothing', () => {
  test('no such finding in the file: a warning at the ID', () => {
    const result = checkWith([deviations({ id: 'VGZ-RHO-04c', toelichting: REASON })]);
    const unused = at(result.findings, 'ZT-DEV-UNUSED');
    assert.deepEqual(unused.map((f) => [f.severity, formatPath(f.path)]), [['warning', 'afwijkingen[0].id']]);
    assert.equal(result.deviations[0]?.status, 'unused');
    assert.equal(engine().summarize(result.findings).errors, 0, 'a warning, not an error');
  });

  test('a path where the ID is not reported names the places where it is', () => {
    const result = checkWith([{ set: 'praktijken[1].gemeente', to: 'Zandmeer' }, deviations({ id: 'VGZ-RHO-04b', pad: 'praktijken[2]', toelichting: REASON })]);
    const unused = at(result.findings, 'ZT-DEV-UNUSED')[0];
    assert.ok(unused);
    assert.deepEqual(unused.path, ['afwijkingen', 0, 'pad']);
    assert.match(unused.message, /bij praktijken\[2\]: daar meldt zorgtoets niets; VGZ-RHO-04b wordt gemeld bij praktijken\[1\]\.gemeente/);
    assert.equal(at(result.findings, 'VGZ-RHO-04b')[0]?.severity, 'error');
  });

  test('an unknown ID gets a did-you-mean; a note and a malformed path are named as such', () => {
    const result = checkWith([
      lowMandate,
      deviations({ id: 'VGZ-RHO-4c', toelichting: REASON }, { id: 'VGZ-ALG-08', toelichting: REASON }, { id: 'VGZ-RHO-04c', pad: 'regio[', toelichting: REASON }),
    ]);
    const messages = at(result.findings, 'ZT-DEV-UNUSED').map((f) => `${formatPath(f.path)}: ${f.message}`);
    assert.equal(messages.length, 3);
    assert.match(messages[0] ?? '', /^afwijkingen\[0\]\.id: .*bedoelt u VGZ-RHO-04c\?/);
    assert.match(messages[1] ?? '', /^afwijkingen\[1\]\.id: .*notitie/);
    assert.match(messages[2] ?? '', /^afwijkingen\[2\]\.pad: .*"regio\[" is geen geldig pad/);
    assert.equal(at(result.findings, 'VGZ-RHO-04c')[0]?.severity, 'error', 'none of them explains the finding');
  });

  test('a second deviation for findings already explained by a more specific one', () => {
    const result = checkWith([
      lowMandate,
      deviations({ id: 'VGZ-RHO-04c', toelichting: 'Algemeen.' + REASON }, { id: 'VGZ-RHO-04c', pad: 'regio.aantal_huisartsen_in_regio', toelichting: REASON }),
    ]);
    assert.equal(at(result.findings, 'VGZ-RHO-04c')[0]?.deviation?.index, 1, 'the more specific path wins');
    const unused = at(result.findings, 'ZT-DEV-UNUSED');
    assert.deepEqual(unused.map((f) => formatPath(f.path)), ['afwijkingen[0].id']);
    assert.match(unused[0]?.message ?? '', /al toegelicht in afwijking 2/);
  });
});

describe('a deviation that is not allowed', () => {
  for (const id of ['VGZ-ALG-04', 'VGZ-ALG-05', 'VGZ-ALG-09', 'VGZ-ALG-10']) {
    test(`${id} is an exclusion ground: ZT-DEV-FORBIDDEN, and the finding stays an error`, () => {
      const field = { 'VGZ-ALG-04': 'onder_verscherpt_toezicht', 'VGZ-ALG-05': 'in_faillissement_of_liquidatie', 'VGZ-ALG-09': 'onbetaalde_belastingen_of_premies_vastgesteld', 'VGZ-ALG-10': 'veroordeling_fraude' }[id];
      const result = checkWith([{ set: `verklaringen.${field}`, to: true }, deviations({ id, toelichting: REASON })]);
      assert.equal(at(result.findings, id)[0]?.severity, 'error');
      assert.equal(at(result.findings, id)[0]?.deviation, undefined);
      assert.deepEqual(at(result.findings, 'ZT-DEV-FORBIDDEN').map((f) => [f.severity, formatPath(f.path)]), [['error', 'afwijkingen[0].id']]);
      assert.equal(result.deviations[0]?.status, 'forbidden');
      assert.deepEqual(result.deviations[0]?.findings.map((f) => [f.id, f.severity]), [[id, 'error']]);
    });
  }

  test('only catalogue entries marked no_deviation are exclusion grounds among the VGZ requirements', () => {
    const marked = engine()
      .catalogue.all()
      .filter((e) => e.no_deviation && e.insurer === 'vgz')
      .map((e) => e.id)
      .sort();
    assert.deepEqual(marked, ['VGZ-ALG-04', 'VGZ-ALG-05', 'VGZ-ALG-09', 'VGZ-ALG-10']);
  });

  test('a.s.r. exclusion grounds (ASR-UIT) cannot be deviated from either', () => {
    const text = sample('asr/kraamzorg-vragenlijst')
      .replace('in_staat_van_faillissement_of_liquidatie: false', 'in_staat_van_faillissement_of_liquidatie: true')
      .concat(`\nafwijkingen:\n  - id: ASR-UIT-01\n    toelichting: "${REASON}"\n`);
    const result = engine().check(text, { today: TODAY });
    assert.deepEqual(at(result.findings, 'ASR-UIT-01').map((f) => [f.severity, f.deviation]), [['error', undefined]]);
    assert.deepEqual(at(result.findings, 'ZT-DEV-FORBIDDEN').map((f) => [f.severity, formatPath(f.path)]), [['error', 'afwijkingen[0].id']]);
    const marked = engine().catalogue.all().filter((e) => e.no_deviation && e.insurer === 'asr').map((e) => e.id).sort();
    assert.deepEqual(marked, ['ASR-UIT-01', 'ASR-UIT-02', 'ASR-UIT-03', 'ASR-UIT-04', 'ASR-UIT-05', 'ASR-UIT-06']);
  });

  test("zorgtoets's own checks cannot be deviated from", () => {
    const result = checkWith([{ replace_text: '  aantal_huisartsen_in_regio: 52', with: '  aantal_huisartsen_in_regoi: 52' }, deviations({ id: 'ZT-KEY', toelichting: REASON })]);
    assert.equal(at(result.findings, 'ZT-KEY')[0]?.severity, 'warning');
    assert.match(at(result.findings, 'ZT-DEV-FORBIDDEN')[0]?.message ?? '', /controle van zorgtoets/);
  });
});

describe('paths', () => {
  const twoOutside: ExampleEdit[] = [
    { set: 'praktijken[1].gemeente', to: 'Zandmeer' },
    { set: 'praktijken[3].gemeente', to: 'Zandmeer' },
  ];

  test('[*] explains the finding at every item; no pad explains every finding of the ID', () => {
    for (const pad of ['praktijken[*].gemeente', 'praktijken', undefined]) {
      const result = checkWith([...twoOutside, deviations({ id: 'VGZ-RHO-04b', ...(pad ? { pad } : {}), toelichting: REASON })]);
      const hits = at(result.findings, 'VGZ-RHO-04b');
      assert.equal(hits.length, 2, String(pad));
      assert.deepEqual(hits.map((f) => f.severity), ['info', 'info'], String(pad));
      assert.equal(result.deviations[0]?.findings.length, 2);
    }
  });

  test('an index or a [naam=…] match explains one item only; a section covers what lies in it', () => {
    for (const pad of ['praktijken[3]', 'praktijken[3].gemeente', 'praktijken[naam=Huisartsen Geldermeer]']) {
      const result = checkWith([...twoOutside, deviations({ id: 'VGZ-RHO-04b', pad, toelichting: REASON })]);
      const hits = at(result.findings, 'VGZ-RHO-04b').map((f) => `${formatPath(f.path)} ${f.severity}`);
      assert.deepEqual(hits, ['praktijken[1].gemeente error', 'praktijken[3].gemeente info'], pad);
    }
  });

  test('IDs match without regard to case', () => {
    const result = checkWith([lowMandate, deviations({ id: 'vgz-rho-04C', toelichting: REASON })]);
    assert.equal(at(result.findings, 'VGZ-RHO-04c')[0]?.severity, 'info');
    assert.equal(result.deviations[0]?.requirement?.id, 'VGZ-RHO-04c');
  });
});

test('a malformed afwijkingen list is reported by the schema, and never crashes the post-pass', () => {
  for (const value of ['tekst', [null], [{ pad: 'regio' }], [{ id: 12, toelichting: 3 }], [['VGZ-RHO-04c']]]) {
    const result = checkWith([lowMandate, { set: 'afwijkingen', to: value }]);
    assert.deepEqual(result.findings.filter((f) => f.id === 'ZT-INTERNAL'), [], JSON.stringify(value));
    assert.equal(at(result.findings, 'VGZ-RHO-04c')[0]?.severity, 'error', JSON.stringify(value));
  }
});
