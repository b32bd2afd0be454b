import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { explain } from '../../server/src/cli/explain-command.js';
import { applyExampleEdits, applyTextEdits, formatPath, TextIndex, type Finding } from '../../server/src/engine/index.js';
import { check, engine, ids, ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * zenz/ro-meerjarenplan beyond the per-ID examples: the template, the invalid samples and what they
 * name, every quick fix on them, the running-year application for 2027, and explain for every ID.
 */

const FORM = 'zenz/ro-meerjarenplan';
const VALID = sample(FORM);
const invalidSamples = readdirSync(join(ROOT, 'samples', FORM)).filter((name) => name.startsWith('invalid-'));

function key(finding: Finding): string {
  return `${finding.id}@${formatPath(finding.path)}`;
}

/** The IDs named in a sample's leading comment block. */
function namedIds(text: string): Set<string> {
  const header = /^(?:#.*\n)+/.exec(text)?.[0] ?? '';
  return new Set(header.match(/ZZ-RO-[0-9A-Z]+/g) ?? []);
}

describe('template (zorgtoets new zenz/ro-meerjarenplan)', () => {
  const version = engine().forms.latest(FORM);
  assert.ok(version);
  const text = engine().template(version).text;

  test('passes the schema except for what is still to answer or fill in', () => {
    const result = engine().check(text, { today: TODAY, strict: true });
    const schema = result.raw.filter((f) => f.origin === 'schema');
    assert.deepEqual(
      schema.filter((f) => f.variant !== 'unanswered' && f.variant !== 'unfilled').map((f) => `${f.id} ${f.variant} ${formatPath(f.path)}`),
      [],
    );
    const unanswered = schema.filter((f) => f.variant === 'unanswered').map((f) => formatPath(f.path));
    // 5 of the RO, 3 of the region, 4 of the example WSV, 2 of the quality system.
    assert.equal(unanswered.length, 14, unanswered.join(', '));
    assert.deepEqual(result.problems, [], 'every rule copes with an empty template');
  });

  test('asks every declaration as a question and answers none', () => {
    assert.doesNotMatch(text, /^\s*[a-z_0-9]+: (true|false)\b/m);
    const declarations = text.split('\n').filter((line) => /: null +# .+\?$/.test(line));
    assert.ok(declarations.length >= 15, `each declaration is null with its question: ${declarations.length}`);
  });

  test('is the newest year\'s template, and the form knows both contract years', () => {
    assert.deepEqual(engine().forms.years(FORM), [2026, 2027]);
    assert.match(text, /^contractjaar: 2026 /m);
  });
});

describe('invalid samples', () => {
  for (const file of invalidSamples) {
    test(`${file} shows exactly the IDs its header names`, () => {
      const text = sample(FORM, file);
      const named = namedIds(text);
      assert.ok(named.size > 0, 'the header names IDs');
      const result = engine().check(text, { today: TODAY, strict: true });
      const found = new Set(ids(result.findings));
      assert.deepEqual([...named].filter((id) => !found.has(id)), [], 'every named ID fires');
      assert.deepEqual([...found].filter((id) => !named.has(id)), [], 'no finding the header does not name');
    });
  }

  test('together they show every finding-producing ID of the form', () => {
    const shown = new Set(invalidSamples.flatMap((file) => [...namedIds(sample(FORM, file))]));
    const all = engine()
      .catalogue.all()
      .filter((entry) => entry.id.startsWith('ZZ-RO-') && !entry.severities.includes('note'))
      .map((entry) => entry.id);
    assert.deepEqual(all.filter((id) => !shown.has(id)), []);
  });
});

describe('every quick fix on every invalid sample', () => {
  for (const file of invalidSamples) {
    const text = sample(FORM, file);
    for (const finding of check(text).filter((f) => f.fixes && f.fixes.length > 0)) {
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
          const after = engine().check(fixed, { today: TODAY, strict: true });
          assert.ok(!after.findings.some((f) => f.id === 'ZT-YAML' || f.id === 'ZT-INTERNAL'), 'the fixed text is valid YAML and checks cleanly');
          // A removed list item shifts the paths after it; the finding is gone when its message is.
          assert.ok(
            !after.findings.some((f) => f.id === finding.id && f.message === finding.message),
            `${key(finding)} is gone after the fix (left: ${after.findings.filter((f) => f.id === finding.id).map((f) => f.message).join(' | ')})`,
          );
        });
      }
    }
  }
});

test('a section or list of the wrong shape is the schema\'s finding, never a broken rule', () => {
  const paths = [
    'zorgovereenkomst', 'zorgovereenkomst.aangevraagde_prestaties', 'zorgovereenkomst.ingangsdatum', 'verzekeraar_per_segment', 'zorgclusters',
    'wijksamenwerkingsverbanden', 'wijksamenwerkingsverbanden[0].praktijken', 'wijksamenwerkingsverbanden[1].praktijken[0]', 'samenwerkingsafspraken',
    'samenwerkingsafspraken[0].wijksamenwerkingsverbanden', 'kwaliteitsmanagement.verklaringen', 'jaarverantwoording', 'meerjarenbegroting.jaren',
    'meerjarenbegroting.jaren[0].vaste_kosten', 'meerjarenbegroting.jaren[1].variabele_kosten[1].praktijk_agb_codes',
  ];
  const broken: string[] = [];
  for (const path of paths) {
    for (const value of [null, 'tekst', 5, {}, [], true]) {
      const text = applyExampleEdits(VALID, [{ set: path, to: value }]);
      const result = engine().check(text, { today: TODAY, strict: true });
      for (const f of result.findings.filter((x) => x.id === 'ZT-INTERNAL')) broken.push(`${path} = ${JSON.stringify(value)}: ${f.message}`);
      assert.ok(result.findings.length > 0, `${path} = ${JSON.stringify(value)} is reported`);
    }
  }
  assert.deepEqual(broken, []);
});

describe('retired products are removed, nothing else', () => {
  const requested = (text: string): unknown => (engine().check(text, { today: TODAY }).parsed.data as { zorgovereenkomst: { aangevraagde_prestaties: unknown } }).zorgovereenkomst.aangevraagde_prestaties;

  test('applying every remove fix leaves the other prestaties as written', () => {
    let text = sample(FORM, 'invalid-prestaties.yaml');
    for (;;) {
      const finding = check(text).find((f) => (f.id === 'ZZ-RO-02' || f.id === 'ZZ-RO-18') && f.fixes?.[0]?.kind === 'remove-item');
      if (!finding?.fixes?.[0]) break;
      text = applyTextEdits(text, finding.fixes[0].edits);
    }
    assert.deepEqual(requested(text), ['O&I Regiomanagement', 'Praktijkmanagment', 'Meer Tijd voor de Patiënt (MTVP)', 'Huisbezoeken plus']);
    assert.deepEqual(ids(check(text)).sort(), ['ZZ-RO-24', 'ZZ-RO-24']);
  });

  test('in a flow list the item and one comma go', () => {
    const text = VALID.replace(
      '  aangevraagde_prestaties:\n    - O&I Regiomanagement\n    - Praktijkmanagement\n    - Meer Tijd voor de Patiënt (MTVP)\n',
      '  aangevraagde_prestaties: [O&I Regiomanagement, Zorgafstemmingsvergoeding, Praktijkmanagement]\n',
    );
    const finding = check(text).find((f) => f.id === 'ZZ-RO-18');
    assert.equal(finding?.fixes?.[0]?.title, 'Verwijder Zorgafstemmingsvergoeding');
    const fixed = applyTextEdits(text, finding?.fixes?.[0]?.edits ?? []);
    assert.match(fixed, /^ {2}aangevraagde_prestaties: \[O&I Regiomanagement, Praktijkmanagement\]$/m);
    assert.deepEqual(check(fixed), []);
  });

  test('a mapping item for one WSV goes with all its lines', () => {
    const text = VALID.replace('    - Praktijkmanagement\n', '    - naam: Praktijkmanagement\n      wijksamenwerkingsverband: WSV Roelofarendsveen   # alleen dit WSV\n    - Praktijkmanagement\n');
    const finding = check(text).find((f) => f.id === 'ZZ-RO-02');
    const fixed = applyTextEdits(text, finding?.fixes?.[0]?.edits ?? []);
    assert.equal(fixed, VALID);
  });
});

describe('running-year applications (ZZ-RO-22) and contract year 2027', () => {
  test('the start-date fix moves ingangsdatum to the first of the month of application', () => {
    const text = sample(FORM, 'invalid-nieuwe-ro.yaml');
    const finding = check(text).find((f) => f.id === 'ZZ-RO-22');
    assert.equal(finding?.fixes?.[0]?.title, 'Zet ingangsdatum op 1 april 2026');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, '2026-04-01');
    const fixed = applyTextEdits(text, finding?.fixes?.[0]?.edits ?? []);
    assert.ok(!ids(check(fixed)).includes('ZZ-RO-22'));
  });

  test('an application in 2025 by a new RO starts on 1 January 2026, without the 1 October deadline', () => {
    const text = VALID.replace('  reeds_gecontracteerd: true\n', '  reeds_gecontracteerd: false\n').replace('ingediend_op: 2025-09-24', 'ingediend_op: 2025-11-03');
    const findings = check(text);
    assert.deepEqual(ids(findings), ['ZZ-RO-15'], 'a new RO applying in 2025 for 2026 still has the 2026 procedure deadline');
    const january = check(VALID.replace('  reeds_gecontracteerd: true\n', '  reeds_gecontracteerd: false\n').replace('ingediend_op: 2025-09-24', 'ingediend_op: 2026-01-20'));
    assert.deepEqual(ids(january), [], 'an application in January 2026 starts on 1 January 2026: nothing moves');
  });

  test('a new RO applying in 2027 for 2027 is a valid plan for contract year 2027', () => {
    const start = VALID.indexOf('    - jaar: 2026\n');
    const end = VALID.indexOf('    - jaar: 2027\n');
    const text = (VALID.slice(0, start) + VALID.slice(end))
      .replace('contractjaar: 2026', 'contractjaar: 2027')
      .replace('ingediend_op: 2025-09-24', 'ingediend_op: 2027-02-10')
      .replace('  reeds_gecontracteerd: true\n  ingangsdatum: 2026-01-01', '  reeds_gecontracteerd: false\n  ingangsdatum: 2027-02-01');
    const result = engine().check(text, { today: TODAY, strict: true });
    assert.equal(result.year, 2027);
    assert.deepEqual(result.findings.map((f) => `${f.id} ${f.message}`), []);
    const early = check(text.replace('ingangsdatum: 2027-02-01', 'ingangsdatum: 2027-01-01'));
    assert.deepEqual(ids(early), ['ZZ-RO-22']);
    assert.match(early[0]?.message ?? '', /gaat in per 1 februari 2027/);
  });
});

describe('the O&I tariff (ZZ-RO-14) in English, and the ZZ-RO-I0 note', () => {
  test('English message with the computed numbers', () => {
    const text = VALID.replace('      tarief_per_ion_eur: 12.30', '      tarief_per_ion_eur: 12.50');
    const finding = check(text, { lang: 'en' }).find((f) => f.id === 'ZZ-RO-14');
    assert.equal(
      finding?.message.replace(/\u00a0/g, ' '),
      'O&I regional-management tariff 2027: annual budget 252,150 ÷ 20,500 ION (as of 1 July 2025) = €12.30; stated €12.50 (budget = fixed costs 246,000 + variable costs funded by O&I 6,150)',
    );
  });

  test('ZZ-RO-I0 is a note of the form, never a finding', () => {
    assert.deepEqual(engine().forms.manifest(FORM)?.notes, ['ZZ-RO-I0']);
    assert.ok(engine().forms.requirementIds(engine().forms.latest(FORM) ?? assert.fail()).includes('ZZ-RO-I0'));
    for (const file of ['valid.yaml', ...invalidSamples]) assert.ok(!ids(check(sample(FORM, file))).includes('ZZ-RO-I0'));
  });
});

describe('zorgtoets explain, for every ID of the form', () => {
  const entries = engine().catalogue.all().filter((entry) => entry.id.startsWith('ZZ-RO-'));

  test('the catalogue has the IDs of requirements.md: ZZ-RO-01…24 and ZZ-RO-I0…I2', () => {
    const expected = [...Array.from({ length: 24 }, (_, i) => `ZZ-RO-${String(i + 1).padStart(2, '0')}`), 'ZZ-RO-I0', 'ZZ-RO-I1', 'ZZ-RO-I2'];
    assert.deepEqual(entries.map((e) => e.id).sort(), expected.sort());
  });

  for (const entry of entries) {
    test(entry.id, () => {
      const text = explain(engine(), entry.id.toLowerCase(), 'nl', ROOT, TODAY);
      assert.ok(text.startsWith(`${entry.id} — ${entry.title.nl}`));
      assert.match(text, /Bron: 000_1f5e2533b991e939\.txt › § /);
      assert.match(text, /Formulieren: zenz\/ro-meerjarenplan/);
      if (entry.severities.includes('note')) {
        assert.match(text, /notitie: geen melding/);
        return;
      }
      // Every example shows the finding it gives, and none failed to run.
      const shown = text.split('\n').filter((line) => line.includes(`  ${entry.id}  `));
      assert.equal(shown.length, entry.examples.length, text);
      assert.doesNotMatch(text, /^\(.*\)$/m, 'no example error');
    });
  }
});
