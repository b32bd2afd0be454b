import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyExampleEdits, applyTextEdits, DataFileError, Engine, exampleFindings, examplePartner, formatPath, type Finding } from '../../server/src/engine/index.js';
import { RuleSet, type RuleProblem } from '../../server/src/engine/rules.js';
import { check, engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { productFilesWith } from '../helpers/memory-files.js';

/**
 * The VGZ addendum blocks of the regioplan (GLI, Ketenaanpak kinderen met overgewicht, Stoppen met
 * roken) and the form vgz/verkennend-gesprek, beyond the per-ID examples: findings come once and
 * only for the addendum that is requested (by name or alias), the samples show exactly the IDs
 * they name, the template asks without answering, and the engine pieces they rely on (x-canon,
 * rule `with:` bindings, anyOf over a $ref, the registry's contract year) hold on their own.
 */

const RHO = 'vgz/rho-regioplan';
const VG = 'vgz/verkennend-gesprek';
const GLI = 'addenda[naam=GLI volwassenen en kinderen]';
const KOO = 'addenda[naam=Ketenaanpak zorg en ondersteuning voor kinderen met overgewicht]';
const SMR = 'addenda[naam=Stoppen met roken]';

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.id}@${formatPath(f.path)}`);
}

describe('each example of these IDs fires its own requirement and nothing else', () => {
  const mine = /^VGZ-(GLI|KOO|SMR|VG)-/;
  const entries = engine()
    .catalogue.all()
    .filter((entry) => mine.test(entry.id) || entry.examples.some((example) => example.form === VG));
  for (const entry of entries) {
    entry.examples.forEach((example, n) => {
      if (!mine.test(entry.id) && example.form !== VG) return;
      test(`${entry.id} example ${n + 1}`, () => {
        const text = applyExampleEdits(sample(example.form, example.sample), example.fail);
        // A cross-document example (ZT-XDOC) is checked together with its partner document.
        const findings = exampleFindings(engine(), text, { today: TODAY, strict: true, ...(example.expect.peildatum ? { peildatum: example.expect.peildatum } : {}) }, examplePartner(example, 'fail', sample));
        assert.ok(findings.length > 0);
        assert.deepEqual([...new Set(findings.map((f) => f.id))], [entry.id], summary(findings).join(', '));
      });
    });
  }
});

describe('addendum blocks apply to the addendum requested, by its name or an alias', () => {
  test('an alias in other letter case still gets the Stoppen met roken requirements', () => {
    const text = applyExampleEdits(sample(RHO), [
      { set: `${SMR}.naam`, to: 'STOPPEN MET ROKEN' },
      { set: 'addenda[naam=STOPPEN MET ROKEN].verklaringen.matched_care', to: false },
    ]);
    assert.deepEqual(summary(check(text)), ['VGZ-SMR-02@addenda[13].verklaringen.matched_care']);
  });

  test('a GLI item with only its name (alias) gets one finding per missing block, none twice', () => {
    const text = applyExampleEdits(sample(RHO), [{ set: GLI, to: { naam: 'Gecombineerde Leefstijlinterventie (GLI) volwassenen en kinderen' } }]);
    assert.deepEqual(summary(check(text)).sort(), [
      'VGZ-GLI-01@addenda[11].verklaringen',
      'VGZ-GLI-02@addenda[11].ketenpartners',
      'VGZ-GLI-04@addenda[11].leefstijlcoaches',
      'VGZ-GLI-05@addenda[11].samenwerkingspartners',
      'VGZ-RHO-A8@addenda[11].programmas',
    ]);
  });

  test('a misspelt addendum name gets the did-you-mean, not the blocks of the addendum it resembles', () => {
    const text = applyExampleEdits(sample(RHO), [
      { set: `${GLI}.naam`, to: 'GLI volwasenen en kinderen' },
      { set: 'addenda[naam=GLI volwasenen en kinderen].verklaringen.stepped_care', to: false },
    ]);
    assert.deepEqual(summary(check(text)), ['VGZ-RHO-A1@addenda[11].naam']);
  });

  test("a declaration of one addendum under another is an unknown key there, not that addendum's finding", () => {
    const text = applyExampleEdits(sample(RHO), [{ set: `${SMR}.verklaringen.stepped_care`, to: false }]);
    const findings = check(text);
    assert.deepEqual(summary(findings), ['ZT-KEY@addenda[13].verklaringen.stepped_care']);
    assert.match(findings[0]?.message ?? '', /bedoelt u|Onbekende sleutel/);
  });

  test('the same person as CZV and KLSC is found by AGB code and by BIG number too', () => {
    const byBig = applyExampleEdits(sample(RHO), [
      { set: `${KOO}.kinderleefstijlcoaches[0].big_nummer`, to: '29051447801' },
    ]);
    const hit = check(byBig).find((f) => f.id === 'VGZ-KOO-03');
    assert.match(hit?.message ?? '', /Iris Bosman staat ook als kinderleefstijlcoach vermeld \(Sabine Wolters\)/);
  });

  test('Stoppen met roken: a part still missing is the schema finding; the rule waits for all three', () => {
    const text = applyExampleEdits(sample(RHO), [
      { delete: `${SMR}.groepsbegeleiding.aantal_bijeenkomsten` },
      { set: `${SMR}.groepsbegeleiding.natraject`, to: false },
    ]);
    assert.deepEqual(summary(check(text)), ['VGZ-SMR-05@addenda[13].groepsbegeleiding.aantal_bijeenkomsten']);
  });

  test('counselling that is not offered is not checked', () => {
    const text = applyExampleEdits(sample(RHO), [
      { set: `${SMR}.individuele_begeleiding`, to: { aangeboden: false } },
    ]);
    assert.deepEqual(summary(check(text)), []);
  });

  test('an addendum item that is neither a name nor a section gets one shape finding', () => {
    const text = applyExampleEdits(sample(RHO), [{ set: 'addenda[6]', to: 5 }]);
    assert.deepEqual(summary(check(text)), ['ZT-TYPE@addenda[6]']);
  });

  test('a wrong type inside an addendum section is reported once, without an anyOf "shape" finding', () => {
    const text = applyExampleEdits(sample(RHO), [{ set: `${SMR}.groepsbegeleiding.natraject`, to: 'ja' }]);
    const findings = check(text);
    assert.deepEqual(summary(findings), ['VGZ-SMR-05@addenda[13].groepsbegeleiding.natraject']);
    assert.equal(findings[0]?.fixes?.[0]?.edits[0]?.newText, 'true');
  });
});

describe('the regioplan template shows the three addendum blocks as commented questions', () => {
  test('uncommented, they only ask: every schema finding is unanswered or unfilled, and no rule fires', () => {
    const version = engine().forms.latest(RHO);
    assert.ok(version);
    const template = engine().template(version).text;
    const start = template.indexOf('#  - naam: GLI volwassenen en kinderen');
    assert.ok(start > 0, 'the template shows the GLI block');
    const block = template.slice(start).split('\n').map((line) => (line.startsWith('#') ? line.slice(1) : line)).join('\n');
    const text = template.slice(0, start).replace('addenda: []', 'addenda:') + block;
    const raw = engine().check(text, { today: TODAY, strict: true }).raw.filter((f) => f.path[0] === 'addenda');
    assert.ok(raw.length > 30);
    assert.deepEqual(raw.filter((f) => f.origin !== 'schema' || (f.variant !== 'unanswered' && f.variant !== 'unfilled')).map((f) => `${f.id} ${f.variant} ${formatPath(f.path)}`), []);
    for (const id of ['VGZ-GLI-01', 'VGZ-GLI-03', 'VGZ-GLI-07', 'VGZ-KOO-01', 'VGZ-KOO-02', 'VGZ-SMR-01', 'VGZ-SMR-09']) {
      assert.ok(raw.some((f) => f.id === id && f.variant === 'unanswered'), `${id} is asked`);
    }
  });
});

/** `# Demonstreert: A (…), B (…)` in a sample's header comment: the IDs it must show, no more. */
function demonstratedIds(text: string): string[] {
  const header = text.split('\n').filter((line) => line.startsWith('#')).join(' ');
  const after = header.slice(header.indexOf('Demonstreert:'));
  return [...new Set(after.match(/\b(?:VGZ|ZT)-[A-Z0-9]+(?:-[A-Z0-9]+)?[a-h]?\b/g) ?? [])].sort();
}

describe('each invalid sample shows exactly the IDs its header names', () => {
  const files = [
    ...readdirSync(join(ROOT, 'samples', VG)).filter((n) => n.startsWith('invalid-')).map((n) => [VG, n] as const),
    [RHO, 'invalid-addenda-gli-ketenaanpak-stoppen-met-roken.yaml'] as const,
    [RHO, 'invalid-addenda-zonder-gegevens.yaml'] as const,
  ];
  for (const [form, name] of files) {
    test(`${form}/${name}`, () => {
      const text = sample(form, name);
      assert.ok(text.startsWith('# '), 'starts with a comment naming what it demonstrates');
      const named = demonstratedIds(text);
      assert.ok(named.length > 0);
      const shown = [...new Set(check(text, { strict: true }).map((f) => f.id))].sort();
      assert.deepEqual(shown, named);
    });
  }
});

describe('vgz/verkennend-gesprek contract years', () => {
  test('2027 runs the 2026 rules with a VGZ-VG-10 warning and no deadline', () => {
    const text = applyExampleEdits(sample(VG), [{ set: 'contractjaar', to: 2027 }, { set: 'ingediend_op', to: '2026-12-15' }]);
    const findings = check(text, { strict: true });
    assert.deepEqual(summary(findings), ['VGZ-VG-10@contractjaar']);
    assert.equal(findings[0]?.severity, 'warning');
  });

  test('a year outside 2026/2027 is VGZ-VG-11 (not ZT-YEAR) listing both, and nothing else is checked', () => {
    const text = applyExampleEdits(sample(VG), [{ set: 'contractjaar', to: 2028 }, { set: 'verklaringen.onder_verscherpt_toezicht', to: true }]);
    const findings = check(text, { lang: 'en' });
    assert.deepEqual(summary(findings), ['VGZ-VG-11@contractjaar']);
    assert.match(findings[0]?.message ?? '', /Contract year 2028: .*2026 or 2027/);
  });

  test('contractjaar written as text is the same year for the rules (the registry reads it)', () => {
    const text = sample(VG).replace(/^contractjaar: 2026/m, 'contractjaar: "2026"').replace(/^ingediend_op: 2025-10-28/m, 'ingediend_op: 2025-11-05');
    assert.deepEqual(summary(check(text)), ['VGZ-VG-05@ingediend_op']);
  });

  test('the notes of the form are listed on the manifest and never reported', () => {
    const manifest = engine().forms.manifest(VG);
    assert.deepEqual(manifest?.notes, ['VGZ-ALG-08', 'VGZ-VG-07', 'VGZ-VG-08', 'VGZ-VG-12']);
    assert.ok(engine().forms.manifest(RHO)?.notes.includes('VGZ-SMR-I1'));
    const everything = check(sample(VG).replace('tweede_coordinerende_zorgverzekeraar: Zorgverzekeraar Waalland', 'tweede_coordinerende_zorgverzekeraar: 12'));
    assert.deepEqual(summary(everything), ['ZT-TYPE@tweede_coordinerende_zorgverzekeraar']);
  });

  test('the MGN did-you-mean fix replaces only the value, and the info is gone', () => {
    const text = sample(VG, 'invalid-samenwerking-en-offerte.yaml');
    const finding = check(text).find((f) => f.id === 'VGZ-VG-06' && f.fixes?.length);
    assert.ok(finding?.fixes?.[0]);
    const fixed = applyTextEdits(text, finding.fixes[0].edits);
    assert.match(fixed, /^ {2}- domeinoverstijgend_casusoverleg$/m);
    assert.equal(check(fixed).filter((f) => f.id === 'VGZ-VG-06').length, 1, 'only the function without a near name is left');
  });

  test('the template asks every question unanswered and is otherwise structurally valid', () => {
    const version = engine().forms.latest(VG);
    assert.ok(version);
    const text = engine().template(version).text;
    assert.match(text, /^contractjaar: 2026\b/m, 'the template is for the year the policy describes');
    assert.doesNotMatch(text, /^\s+[a-z_0-9]+: (true|false)\b/m, 'no declaration is pre-answered');
    const result = engine().check(text, { today: TODAY, strict: true });
    const schema = result.raw.filter((f) => f.origin === 'schema');
    assert.deepEqual(
      schema.filter((f) => f.variant !== 'unanswered' && f.variant !== 'unfilled').map((f) => `${f.id} ${f.variant} ${formatPath(f.path)}`),
      [],
    );
    const unanswered = schema.filter((f) => f.variant === 'unanswered').map((f) => formatPath(f.path));
    assert.equal(unanswered.filter((p) => p.startsWith('verklaringen.')).length, 17, 'the 17 VGZ-ALG declarations asked');
    assert.ok(schema.some((f) => f.variant === 'unfilled' && formatPath(f.path) === 'verklaringen.wtza_vergunning_vereist'), 'the licence fact is asked too');
    assert.ok(unanswered.includes('regio.verklaringen.kernwerkgebied_vgz'));
    assert.ok(!result.findings.some((f) => f.id === 'ZT-INTERNAL'));
  });
});


describe('x-canon (schema condition on a closed list)', () => {
  const schema = readFileSync(join(ROOT, 'schemas/vgz/rho-regioplan.schema.json'), 'utf8');
  const common = readFileSync(join(ROOT, 'schemas/vgz/vgz.common.schema.json'), 'utf8');

  function loadError(overrides: Record<string, string>): DataFileError {
    try {
      new Engine({ files: productFilesWith(overrides) }).loadAll();
    } catch (error) {
      assert.ok(error instanceof DataFileError, String(error));
      return error;
    }
    assert.fail('loading succeeded');
  }

  test('a value that is not in the list is refused when the schema compiles, naming file and value', () => {
    const error = loadError({ 'vgz/rho-regioplan.schema.json': schema.replace('"is": "Stoppen met roken"', '"is": "Stoppen met roken 2026"') });
    assert.equal(error.file, 'vgz/rho-regioplan.schema.json');
    assert.match(error.problem, /"Stoppen met roken 2026" staat niet in lijst "addenda"/);
  });

  test('an unknown list is refused', () => {
    const error = loadError({ 'vgz/rho-regioplan.schema.json': schema.replace('"x-canon": { "list": "addenda", "is": "Stoppen met roken"', '"x-canon": { "list": "addendas", "is": "Stoppen met roken"') });
    assert.match(error.problem, /onbekende lijst "addendas"/);
  });

  test('a shared schema may not use it (its lists are per form)', () => {
    const shared = common.replace('"voldoet_aan_wtza": {', '"voldoet_aan_wtza": { "x-canon": { "list": "addenda", "is": "Astma" },');
    const error = loadError({ 'vgz/vgz.common.schema.json': shared });
    assert.equal(error.file, 'vgz/vgz.common.schema.json');
    assert.match(error.problem, /gedeeld schema/);
  });
});

describe('rule bindings per item (with:)', () => {
  const rules = `
lists:
  soorten: [{value: a, aliases: [alfa]}, b]
rules:
  - id: VGZ-SMR-05
    for: regels[*]
    with:
      totaal: item.x + item.y
      soort: canon('soorten', item.soort)
    when: soort == 'a'
    assert: totaal <= 10.0
    params: {totaal: totaal, index: index}
`;
  const set = RuleSet.load(productFilesWith({ 'test/rules.yaml': rules }), ['test/rules.yaml']);
  const context = { peildatum: '2025-01-01', peildatumBron: 'peildatum' as const, vandaag: '2025-01-01' };

  test('are computed from item before when, and shared with assert and params', () => {
    const data = { regels: [{ x: 4, y: 8, soort: 'alfa' }, { x: 9, y: 9, soort: 'b' }, { x: 1, y: 2, soort: 'a' }] };
    const found = set.evaluate(data, context);
    assert.deepEqual(found.map((f) => [f.path, f.params['totaal']]), [[['regels', 0], 12]]);
  });

  test('an item whose binding cannot be computed (missing data) is skipped, not reported as a problem', () => {
    const problems: RuleProblem[] = [];
    const found = set.evaluate({ regels: [{ x: 4, soort: 'a' }] }, context, problems);
    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
  });
});
