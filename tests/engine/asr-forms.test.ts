import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { formatSarif } from '../../server/src/cli/report-sarif.js';
import { explain } from '../../server/src/cli/explain-command.js';
import { applyExampleEdits, type Finding, type RawFinding } from '../../server/src/engine/index.js';
import { check, engine, ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * The two a.s.r. forms beyond their per-ID catalogue examples: the contract-type matrix of the
 * kraamzorg questionnaire, the kraamzorg conditions applied per provider in the IGO offer, the
 * samples saying what they demonstrate, the templates asking without answering, and explain.
 */

const KZ = 'asr/kraamzorg-vragenlijst';
const IGO = 'asr/igo-offerte';
const show = (f: Finding) => `${f.id}${f.underlying ? `/${f.underlying}` : ''}@${f.path.join('.')}`;
const edit = (form: string, edits: Parameters<typeof applyExampleEdits>[1], file?: string) => applyExampleEdits(sample(form, file), edits);

describe('asr/kraamzorg-vragenlijst: the contract type decides which blocks are checked', () => {
  const kzIds = (findings: Finding[]) => findings.filter((f) => /^ASR-KZ-(0\d|1[0-2])$/.test(f.id)).map(show);

  test('basis checks the kraamzorgvoorwaarden but not the Plus figures', () => {
    const text = edit(KZ, [
      { set: 'contracttype', to: 'basis' },
      { set: 'plusovereenkomst.kraamverzorgingen_2025.loondienst', to: 10 },
      { set: 'plusovereenkomst.opleidingsplaatsen', to: 0 },
      { set: 'kraamzorgvoorwaarden.verklaringen.levert_kwaliteitsindicatoren_aan_kwaliteitsinstituut', to: false },
    ]);
    const findings = check(text);
    assert.deepEqual(findings.map(show), ['ASR-KZ-02@kraamzorgvoorwaarden.verklaringen.levert_kwaliteitsindicatoren_aan_kwaliteitsinstituut']);
  });

  test('a bemiddelingsbureau is not asked the kraamzorgvoorwaarden, even when they are present and wrong', () => {
    const text = edit(KZ, [
      { set: 'contracttype', to: 'bemiddelingsbureau' },
      { set: 'kraamzorgvoorwaarden.indicatiemethodiek', to: 'eigen' },
      { set: 'kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat', to: false },
    ]);
    const findings = check(text);
    assert.deepEqual(kzIds(findings), []);
    assert.deepEqual(findings.map(show), ['ASR-KZ-16@contracttype'], 'only the missing bureau block');
  });

  test('the same mistakes are reported for plus', () => {
    const text = edit(KZ, [
      { set: 'kraamzorgvoorwaarden.indicatiemethodiek', to: 'eigen' },
      { set: 'kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat', to: false },
    ]);
    assert.deepEqual(kzIds(check(text)).sort(), ['ASR-KZ-01@kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat', 'ASR-KZ-10@kraamzorgvoorwaarden.indicatiemethodiek']);
  });

  test('without a contract type only ASR-KZ-13 is reported for the gated blocks', () => {
    const text = edit(KZ, [{ delete: 'contracttype' }, { set: 'kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat', to: false }, { set: 'plusovereenkomst.opleidingsplaatsen', to: 0 }]);
    assert.deepEqual(check(text).map(show), ['ASR-KZ-13@contracttype']);
  });

  test('the bemiddelingsbureau sample is valid, and a Plus file turned Basis needs no plusovereenkomst', () => {
    assert.deepEqual(check(sample(KZ, 'valid-bemiddelingsbureau.yaml'), { strict: true }).map(show), []);
    assert.deepEqual(check(edit(KZ, [{ set: 'contracttype', to: 'basis' }, { delete: 'plusovereenkomst' }]), { strict: true }).map(show), []);
  });

  test('ASR-KZ-15 compares exactly, without rounding at 70%', () => {
    const share = (loondienst: number, totaal: number) =>
      check(edit(KZ, [{ set: 'plusovereenkomst.kraamverzorgingen_2025.loondienst', to: loondienst }, { set: 'plusovereenkomst.kraamverzorgingen_2025.totaal', to: totaal }])).filter((f) => f.id === 'ASR-KZ-15');
    assert.equal(share(7, 10).length, 0, '70,0% exactly passes');
    assert.equal(share(6999, 10000).length, 1, '69,99% fails although it shows as 70,0%');
    assert.match(share(6999, 10000)[0]?.message ?? '', /70,0% van de kraamverzorgingen in 2025 .*\(6\.999 van 10\.000\)/);
    assert.equal(share(1547, 2210).length, 0, '1547/2210 is exactly 70%');
  });

  test('the quick fix for a missing block inserts the template block without answering it', () => {
    const text = edit(KZ, [{ delete: 'kraamzorgvoorwaarden' }]);
    const finding = check(text).find((f) => f.id === 'ASR-KZ-13');
    const fix = finding?.fixes?.[0];
    assert.ok(fix, 'an insert-section fix');
    const inserted = fix.edits.map((e) => e.newText).join('');
    assert.match(inserted, /^kraamzorgvoorwaarden:/);
    assert.match(inserted, /hkz_iso_certificaat: null/);
    assert.doesNotMatch(inserted, /: (true|false)\b/);
  });
});

describe('asr/igo-offerte: ASR-IGO-12 applies the kraamzorg conditions to every kraamzorg provider', () => {
  test('the same block that fails ASR-KZ-0x in the questionnaire fails ASR-IGO-12 per provider, with the KZ ID underneath', () => {
    const text = edit(IGO, [
      { set: 'kraamzorgaanbieders[0].kraamzorgvoorwaarden.minimale_zorg_bij_krapte_uur', to: 20 },
      { set: 'kraamzorgaanbieders[1].kraamzorgvoorwaarden.verklaringen.handelt_volgens_who_gedragscode_borstvoeding', to: false },
    ]);
    const findings = check(text).filter((f) => f.id === 'ASR-IGO-12');
    assert.deepEqual(findings.map(show), [
      'ASR-IGO-12/ASR-KZ-07@kraamzorgaanbieders.0.kraamzorgvoorwaarden.minimale_zorg_bij_krapte_uur',
      'ASR-IGO-12/ASR-KZ-11@kraamzorgaanbieders.1.kraamzorgvoorwaarden.verklaringen.handelt_volgens_who_gedragscode_borstvoeding',
    ]);
    assert.equal(findings[0]?.message, 'Kraamzorg Lindewaard B.V. (33071842): ASR-KZ-07 — Bij krapte 20 uur zorg; a.s.r. vraagt minimaal 24 uur kraamzorg, ook in tijden van krapte');
    assert.ok(!check(text).some((f) => f.id.startsWith('ASR-KZ-')), 'never under the KZ ID itself in the IGO');
  });

  test('the relabelled finding keeps its quick fix (KZ-10 did-you-mean)', () => {
    const text = edit(IGO, [{ set: 'kraamzorgaanbieders[1].kraamzorgvoorwaarden.indicatiemethodiek', to: 'LIP' }]);
    const finding = check(text).find((f) => f.underlying === 'ASR-KZ-10');
    assert.equal(finding?.id, 'ASR-IGO-12');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, 'lip');
  });

  test('English messages name the provider too', () => {
    const text = edit(IGO, [{ set: 'kraamzorgaanbieders[1].kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat', to: false }]);
    const finding = check(text, { lang: 'en' }).find((f) => f.id === 'ASR-IGO-12');
    assert.equal(finding?.message, 'Kraamzorg Het Lindenhuis (33078315): ASR-KZ-01 — No HKZ/ISO certificate for maternity care; a.s.r. only contracts maternity care organisations that hold one');
  });

  test('SARIF carries the underlying requirement as properties.onderliggendeEis', () => {
    const text = edit(IGO, [{ set: 'kraamzorgaanbieders[1].kraamzorgvoorwaarden.kraamverzorgenden.ingeschreven_kwaliteitsregister', to: 30 }]);
    const result = engine().check(text, { today: TODAY });
    const log = JSON.parse(formatSarif([{ path: 'igo.yaml', ours: true, findings: result.findings, summary: engine().summarize(result.findings) } as never], engine(), 'nl', '0.0.0', ROOT)) as {
      runs: { results: { ruleId: string; properties: { onderliggendeEis?: string } }[] }[];
    };
    const hit = log.runs[0]?.results.find((r) => r.ruleId === 'ASR-IGO-12');
    assert.equal(hit?.properties.onderliggendeEis, 'ASR-KZ-09');
  });

  test('ASR-IGO-03/04 compare in cents: 1320.00 and 1320 are equal, one cent is not', () => {
    assert.deepEqual(check(edit(IGO, [{ set: 'offerte.totaal_eur', to: 1950275.0 }])).map(show), []);
    const off = check(edit(IGO, [{ set: 'offerte.totaal_eur', to: 1950275.01 }]));
    assert.deepEqual(off.map(show), ['ASR-IGO-03@offerte.totaal_eur']);
    assert.match(off[0]?.message ?? '', /verschil €\s0,01/);
  });
});

/** IDs a sample's leading comment names ("Demonstreert: ASR-KZ-15 (…), …"). */
function namedIds(text: string): Set<string> {
  const header = text.split('\n').filter((line, i, lines) => line.startsWith('#') && lines.slice(0, i).every((l) => l.startsWith('#'))).join(' ');
  return new Set(header.match(/\b(?:ASR|ZT)-[A-Z]+(?:-[0-9]+)?\b/g) ?? []);
}

describe('a.s.r. samples', () => {
  for (const form of [KZ, IGO]) {
    const folder = join(ROOT, 'samples', form);
    for (const name of readdirSync(folder).filter((n) => n.startsWith('invalid-'))) {
      test(`${form}/${name} shows exactly the IDs its header names`, () => {
        const text = readFileSync(join(folder, name), 'utf8');
        const named = namedIds(text);
        assert.ok(named.size > 0, 'the header names the IDs it demonstrates');
        const result = engine().check(text, { today: TODAY, strict: true });
        const fired = new Set(result.findings.flatMap((f) => [f.id, ...(f.underlying ? [f.underlying] : [])]));
        assert.deepEqual([...named].filter((id) => !fired.has(id)), [], 'every named ID fires');
        assert.deepEqual(result.findings.filter((f) => !named.has(f.id)).map(show), [], 'every finding is named');
      });
    }
  }
});

describe('a.s.r. templates ask every question and answer none', () => {
  for (const form of [KZ, IGO]) {
    test(form, () => {
      const version = engine().forms.latest(form);
      assert.ok(version);
      const text = engine().template(version).text;
      // Every declaration of the schema (x-compliant somewhere) is null in the template.
      const answered: string[] = [];
      visit(parseDocument(text), {
        Pair(_, pair) {
          if (isScalar(pair.key) && isScalar(pair.value) && typeof pair.value.value === 'boolean') answered.push(String(pair.key.value));
        },
      });
      assert.deepEqual(answered, [], 'no true/false in the template');
      const result = engine().check(text, { today: TODAY, strict: true });
      const variantOf = (f: RawFinding) => f.underlying?.variant ?? f.variant;
      const schema = result.raw.filter((f) => f.origin === 'schema');
      assert.ok(schema.length > 20);
      assert.deepEqual(schema.filter((f) => !['unanswered', 'unfilled'].includes(variantOf(f))).map((f) => `${f.id} ${variantOf(f)} ${f.path.join('.')}`), []);
      assert.ok(isMap(parseDocument(text).contents));
    });
  }
});

test('explain works for every a.s.r. ID, with the message its failing example gives', () => {
  const ids = engine()
    .catalogue.all()
    .filter((e) => e.insurer === 'asr');
  assert.equal(ids.length, 64);
  for (const entry of ids) {
    const text = explain(engine(), entry.id.toLowerCase(), 'nl', ROOT, TODAY);
    assert.match(text, new RegExp(`^${entry.id} — `), entry.id);
    assert.match(text, /Bron: 001_2fe2e819135106b8\.txt › /, entry.id);
    if (entry.severities.includes('note')) {
      assert.match(text, /notitie: geen melding/, entry.id);
      assert.match(text, /Formulieren: asr\/igo-offerte, asr\/kraamzorg-vragenlijst/, entry.id);
    } else {
      // Each example shows its edits and the finding they give; an example that cannot be applied shows neither.
      assert.equal(text.split('Voldoet niet (').length - 1, entry.examples.length, `${entry.id}: every example is shown`);
      const hits = text.match(new RegExp(`→ (fout|waarschuwing) {2}${entry.id} {2}\\S`, 'g')) ?? [];
      assert.equal(hits.length, entry.examples.length, `${entry.id}: every failing example's message is shown`);
    }
  }
});
