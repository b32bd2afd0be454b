import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crossFindings, type CrossDocument } from '../../server/src/engine/cross-document.js';
import { CrossEntryTable } from '../../server/src/engine/cross-entry-table.js';
import type { CrossEntry, UniqueEntry } from '../../server/src/engine/cross-rules.js';
import type { CrossInput, DataPath } from '../../server/src/engine/index.js';
import type { RawFinding } from '../../server/src/engine/raw-finding.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';
import { otherRhoPlan } from '../helpers/other-rho.js';

/** Cross-document checks: several submissions checked together (a folder, a workspace). */

const VALID = sample('vgz/rho-regioplan');

function checked(uri: string, text: string): CrossInput {
  return engine().crossInput(uri, uri, engine().check(text, { today: TODAY }));
}

describe('VGZ-RHO-05 across regioplans', () => {
  test('a practice and its GPs in the plans of two RHOs: reported in both files, pointing at the other', () => {
    const cross = engine().crossCheck([checked('a/lingestroom.yaml', VALID), checked('b/waalmond.yaml', otherRhoPlan())], 'nl');
    const here = cross.get('a/lingestroom.yaml') ?? [];
    const there = cross.get('b/waalmond.yaml') ?? [];
    assert.equal(here.length, 6, 'the practice and its five GPs');
    assert.equal(there.length, 6);
    const practice = here.find((f) => f.path.at(-1) === 'agb_code');
    assert.ok(practice);
    assert.equal(practice.id, 'VGZ-RHO-05');
    assert.equal(practice.severity, 'error');
    assert.match(practice.message, /Huisartsenpraktijk Waalkade \(AGB 01052317\) staat ook in het regioplan van Coöperatie Huisartsen Waalmond \(b\/waalmond\.yaml\)/);
    assert.equal(practice.related?.[0]?.uri, 'b/waalmond.yaml');
    const lines = otherRhoPlan().split('\n');
    assert.equal(practice.related?.[0]?.range.start.line, lines.findIndex((l) => l.includes('"01052317"')));
    assert.match(there.find((f) => f.path.at(-1) === 'agb_code')?.message ?? '', /Stichting Huisartsenzorg Lingestroom \(a\/lingestroom\.yaml\)/);
  });

  test('two versions of the plan of the same RHO (same KvK) are not compared', () => {
    const cross = engine().crossCheck([checked('v1.yaml', VALID), checked('v2.yaml', VALID.replace('v1.3', 'v1.4'))], 'nl');
    assert.equal(cross.size, 0);
  });

  test('a single document, or a file of another form, takes no part', () => {
    assert.equal(engine().crossCheck([checked('a.yaml', VALID)], 'nl').size, 0);
    assert.equal(engine().crossCheck([checked('a.yaml', VALID), checked('b.yaml', 'naam: iets\n')], 'nl').size, 0);
  });

  test('English messages', () => {
    const cross = engine().crossCheck([checked('a.yaml', VALID), checked('b.yaml', otherRhoPlan())], 'en');
    assert.match(cross.get('a.yaml')?.[0]?.message ?? '', /is also in the regional plan of Coöperatie Huisartsen Waalmond \(b\.yaml\)/);
  });
});

const OFFER = sample('vgz/verkennend-gesprek');
const IGO = sample('asr/igo-offerte');
const QUESTIONNAIRE = sample('asr/kraamzorg-vragenlijst');

function xdoc(cross: Map<string, { id: string }[]>, uri: string) {
  return (cross.get(uri) ?? []).filter((f) => f.id === 'ZT-XDOC');
}

describe('ZT-XDOC: a Verkennend gesprek offer and the regioplan of its RHO', () => {
  test('agreeing files give nothing; neither does an RHO that has no regioplan among them', () => {
    assert.equal(engine().crossCheck([checked('offerte.yaml', OFFER), checked('regioplan.yaml', VALID)], 'nl').size, 0);
    const otherRho = OFFER.replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond').replace('"71845203"', '"62930174"');
    assert.equal(engine().crossCheck([checked('offerte.yaml', otherRho), checked('regioplan.yaml', VALID)], 'nl').size, 0);
  });

  test('another name under the same KvK number: at the name, naming both and the regioplan, related location there', () => {
    const offer = OFFER.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Huisartsenzorg Lingestroom');
    const cross = engine().crossCheck([checked('mgn/offerte.yaml', offer), checked('rho/regioplan.yaml', VALID)], 'nl');
    assert.equal(cross.get('rho/regioplan.yaml'), undefined, 'the regioplan is not reported: it is the reference');
    const [finding, ...rest] = xdoc(cross, 'mgn/offerte.yaml');
    assert.equal(rest.length, 0);
    assert.ok(finding);
    const found = cross.get('mgn/offerte.yaml')?.[0];
    assert.equal(found?.severity, 'error');
    assert.equal(found?.message, 'De RHO met KvK-nummer 71845203 heet hier "Huisartsenzorg Lingestroom", maar in haar regioplan (rho/regioplan.yaml) "Stichting Huisartsenzorg Lingestroom"; gebruik in beide dezelfde naam');
    assert.deepEqual(found?.path, ['organisatie', 'naam']);
    assert.equal(found?.range.start.line, offer.split('\n').findIndex((l) => l === '  naam: Huisartsenzorg Lingestroom'));
    assert.equal(found?.related?.[0]?.uri, 'rho/regioplan.yaml');
    assert.equal(found?.related?.[0]?.range.start.line, VALID.split('\n').findIndex((l) => l.startsWith('  naam: Stichting Huisartsenzorg Lingestroom')));
  });

  test('letter case and surrounding spaces are not a difference', () => {
    const offer = OFFER.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: "stichting huisartsenzorg lingestroom "');
    assert.equal(engine().crossCheck([checked('offerte.yaml', offer), checked('regioplan.yaml', VALID)], 'nl').size, 0);
  });

  test('the same name with another KvK number: at the KvK number, in English too', () => {
    const offer = OFFER.replace('"71845203"', '"71845230"');
    const cross = engine().crossCheck([checked('offerte.yaml', offer), checked('regioplan.yaml', VALID)], 'en');
    const found = cross.get('offerte.yaml')?.[0];
    assert.deepEqual(found?.path, ['organisatie', 'kvk_nummer']);
    assert.equal(found?.message, 'RHO "Stichting Huisartsenzorg Lingestroom" has KvK number 71845230 here, but 71845203 in its regional plan (regioplan.yaml); the offer belongs to the RHO of the regional plan');
  });

  test('several versions of the regioplan: one that agrees is enough; when none does, one finding names them all', () => {
    const renamed = VALID.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Stichting Huisartsenzorg Lingestroom-West');
    const offer = OFFER.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Stichting Huisartsenzorg Lingestroom-West');
    assert.equal(engine().crossCheck([checked('offerte.yaml', offer), checked('v1.yaml', VALID), checked('v2.yaml', renamed)], 'nl').size, 0);
    const other = OFFER.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Lingestroom Huisartsen');
    const cross = engine().crossCheck([checked('v2.yaml', renamed), checked('offerte.yaml', other), checked('v1.yaml', VALID)], 'nl');
    const findings = cross.get('offerte.yaml') ?? [];
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /in haar regioplan \(v1\.yaml en v2\.yaml\) "Stichting Huisartsenzorg Lingestroom"/, 'the first in name order gives the values');
    assert.deepEqual(findings[0]?.related?.map((r) => r.uri), ['v1.yaml', 'v2.yaml']);
  });
});

describe('ZT-XDOC: an IGO offer and the questionnaires of its kraamzorg providers', () => {
  const lindewaard = (edit: (text: string) => string = (t) => t) => checked('kraamzorg/lindewaard.yaml', edit(QUESTIONNAIRE));
  const cross = (igo: string, questionnaire = lindewaard()) => engine().crossCheck([checked('igo.yaml', igo), questionnaire], 'nl').get('igo.yaml') ?? [];

  test('the valid samples agree; the provider without a questionnaire here is not compared', () => {
    assert.deepEqual(cross(IGO), []);
  });

  test('name, AGB code: each reported once, at the provider in the IGO', () => {
    const byAgb = cross(IGO.replace('  - naam: Kraamzorg Lindewaard B.V.', '  - naam: Kraamzorg Lindewaerd'));
    assert.deepEqual(byAgb.map((f) => [f.id, f.path.join('.')]), [['ZT-XDOC', 'kraamzorgaanbieders.0.naam']]);
    const byName = cross(IGO.replace('agb_code: "33071842"', 'agb_code: "33071848"'));
    assert.deepEqual(byName.map((f) => [f.id, f.path.join('.')]), [['ZT-XDOC', 'kraamzorgaanbieders.0.agb_code']]);
    assert.match(byName[0]?.message ?? '', /AGB-code 33071848, maar in zijn eigen vragenlijst \(kraamzorg\/lindewaard\.yaml\) 33071842/);
  });

  test('a bemiddelingsbureau is not a kraamzorgorganisatie of the IGO; Basis is', () => {
    const bureau = cross(IGO, lindewaard((t) => t.replace('contracttype: plus', 'contracttype: bemiddelingsbureau')));
    assert.equal(bureau.length, 1);
    assert.match(bureau[0]?.message ?? '', /overeenkomst voor bemiddelingsbureaus/);
    assert.deepEqual(cross(IGO, lindewaard((t) => t.replace('contracttype: plus', 'contracttype: basis'))), []);
  });

  test('never contracted with a.s.r. against a declared agreement: a warning at the declaration', () => {
    const [warning, ...rest] = cross(IGO, lindewaard((t) => t.replace('eerder_overeenkomst_met_asr: true', 'eerder_overeenkomst_met_asr: false')));
    assert.equal(rest.length, 0);
    assert.equal(warning?.severity, 'warning');
    assert.deepEqual(warning?.path, ['kraamzorgaanbieders', 0, 'verklaringen', 'monodisciplinaire_overeenkomst_met_asr']);
  });

  test('different answers to the kraamzorgvoorwaarden are listed with both values; lists and unanswered questions are not compared', () => {
    const igo = IGO.replace('        hkz_iso_certificaat_nummer: "HKZ-KZ-24.0917"', '        hkz_iso_certificaat_nummer: "HKZ-KZ-24.0918"').replace('        - naam: KSV Lindewaard e.o.\n      indicatiemethodiek: lip', '        - naam: KSV Lindewaard\n      indicatiemethodiek: lip');
    const [finding, ...rest] = cross(igo);
    assert.equal(rest.length, 0);
    assert.equal(finding?.message, 'De kraamzorgvoorwaarden van "Kraamzorg Lindewaard B.V." (AGB 33071842) wijken af van zijn eigen vragenlijst (kraamzorg/lindewaard.yaml); hier ≠ daar: verklaringen.hkz_iso_certificaat_nummer: HKZ-KZ-24.0918 ≠ HKZ-KZ-24.0917');
  });

  test('a questionnaire for another contract year is not compared', () => {
    const igo = IGO.replace('  - naam: Kraamzorg Lindewaard B.V.', '  - naam: Kraamzorg Lindewaerd');
    const otherYear = lindewaard((t) => t.replace('contractjaar: 2027', 'contractjaar: 2028'));
    assert.deepEqual(cross(igo, otherYear), []);
  });
});

describe('cross-document findings do not depend on the order of the documents', () => {
  test('the same findings, in the same words, in any order', () => {
    const inputs = [checked('a/lingestroom.yaml', VALID), checked('b/waalmond.yaml', otherRhoPlan()), checked('c/offerte.yaml', OFFER.replace('"71845203"', '"71845230"')), checked('d/tweede.yaml', VALID.replace('v1.3', 'v1.4'))];
    const render = (list: CrossInput[]) => [...engine().crossCheck(list, 'nl')].sort(([a], [b]) => a.localeCompare(b)).map(([uri, findings]) => [uri, findings.map((f) => `${f.range.start.line}:${f.message}`).sort()]);
    assert.deepEqual(render([...inputs].reverse()), render(inputs));
    assert.deepEqual(render([inputs[2]!, inputs[0]!, inputs[3]!, inputs[1]!]), render(inputs));
  });
});

describe('crossEntriesOf: the entries of a saved file without a full check', () => {
  test('the same entries as a full check, for every sample, and none for files a check would not compare', () => {
    const shape = (entries: readonly { kind: string; index: string; value: string; path: unknown }[]) => entries.map((e) => `${e.kind} ${e.index} ${e.value} ${JSON.stringify(e.path)}`);
    let compared = 0;
    for (const form of ['vgz/rho-regioplan', 'vgz/verkennend-gesprek', 'asr/igo-offerte', 'asr/kraamzorg-vragenlijst', 'zenz/ro-meerjarenplan']) {
      for (const name of readdirSync(join(ROOT, 'samples', form)).filter((n) => n.endsWith('.yaml'))) {
        const text = sample(form, name);
        const full = engine().check(text, { today: TODAY });
        const light = engine().crossEntriesOf(text, { today: TODAY });
        assert.deepEqual(shape(light.entries), shape(full.ours ? (full.crossEntries?.() ?? []) : []), `${form}/${name}`);
        assert.equal(light.form, full.form);
        const published = light.entries.filter((e) => e.kind === 'published');
        const fullPublished = (full.crossEntries?.() ?? []).filter((e) => e.kind === 'published');
        assert.deepEqual(JSON.stringify(published.map((e) => e.fields), (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)), JSON.stringify(fullPublished.map((e) => e.fields), (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
        compared += light.entries.length;
      }
    }
    assert.ok(compared > 500, `${compared} entries compared`);
    assert.deepEqual(engine().crossEntriesOf('naam: geen aanvraag\n', { today: TODAY }).entries, []);
    assert.deepEqual(engine().crossEntriesOf(VALID.replace('contractjaar: 2026', 'contractjaar: 2031'), { today: TODAY }).entries, []);
    assert.deepEqual(engine().crossEntriesOf('formulier: vgz/rho-regioplan\ncontractjaar: 2026\norganisatie: [\n', { today: TODAY }).entries, []);
  });
});

describe('crossFindings compares only what is claimed twice', () => {
  type PlainDocument = Omit<CrossDocument, 'entries'> & { entries: CrossEntry[] };

  /** Random documents of random sizes claiming values from a small pool, for a few owners. */
  function randomDocuments(seed: number): PlainDocument[] {
    let state = seed;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const count = 2 + next(4);
    return Array.from({ length: count }, (_, d) => {
      const owner = `kvk-${next(3)}`;
      const size = next(d === 0 ? 400 : 40);
      const entries: CrossEntry[] = Array.from({ length: size }, (__, i) => {
        // Now and then a second rule of the same index reads another owner within one document.
        const entryOwner = next(50) === 0 ? `kvk-${next(3)}` : owner;
        return { kind: 'unique', index: next(5) === 0 ? 'b' : 'a', id: 'X-1', variant: 'v', value: String(next(300)), scope: String(2026 + next(2)), owner: entryOwner, label: entryOwner, path: ['lijst', i], params: () => ({}) };
      });
      // The range of an entry's path: its line is the entry's position, for the related locations.
      const rangeOf = (path: DataPath) => ({ start: { line: Number(path[1]), character: 0 }, end: { line: Number(path[1]), character: 1 } });
      return { uri: `doc-${d}.yaml`, name: `doc-${(d * 7) % count}.yaml`, entries, rangeOf };
    });
  }

  /** The definition, written out: every claim of a key claimed for two owners or more, with the claims of the other owners. */
  function naive(documents: readonly PlainDocument[]): string[] {
    const ordered = [...documents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.uri < b.uri ? -1 : 1));
    const claims = ordered.flatMap((document) => document.entries.filter((e): e is UniqueEntry => e.kind === 'unique').map((entry) => ({ document, entry })));
    const out: string[] = [];
    for (const claim of claims) {
      const key = `${claim.entry.index}|${claim.entry.scope}|${claim.entry.value}`;
      const others = claims.filter((c) => `${c.entry.index}|${c.entry.scope}|${c.entry.value}` === key && c.entry.owner !== claim.entry.owner);
      if (others.length > 0) out.push(`${claim.document.uri} ${claim.entry.path.join('.')} ${key} ← ${others.map((o) => `${o.document.uri}:${o.entry.path.join('.')}`).join(',')}`);
    }
    return out.sort();
  }

  /** The findings in the terms of the definition (document, path, key, the other claims). */
  function described(documents: readonly PlainDocument[], findings: Map<string, RawFinding[]>): string[] {
    const entryAt = (uri: string, position: number) => documents.find((d) => d.uri === uri)?.entries[position] as UniqueEntry;
    return [...findings].flatMap(([uri, list]) =>
      list.map((f) => {
        const entry = entryAt(uri, Number(f.path[1]));
        assert.equal(f.params['waarde'], entry.value);
        return `${uri} ${f.path.join('.')} ${entry.index}|${entry.scope}|${entry.value} ← ${(f.related ?? []).map((r) => `${r.uri}:lijst.${r.range.start.line}`).join(',')}`;
      }),
    );
  }

  test('the same findings as comparing every claim with every other, on 300 random workspaces', () => {
    let compared = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const documents = randomDocuments(seed);
      const found = described(documents, crossFindings(documents));
      assert.deepEqual(found.sort(), naive(documents), `seed ${seed}`);
      compared += found.length;
    }
    assert.ok(compared > 1000, `the random workspaces have findings to compare (${compared})`);
  });

  test('documents kept in tables (as the language server keeps them) give the same findings, paths made again on demand', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const documents = randomDocuments(seed);
      let asked = 0;
      const inTables = documents.map((document) => {
        // The source makes the entries again (new objects), as the server does from the text.
        const again = (position: number) => {
          asked++;
          const entry = document.entries[position];
          return entry ? { ...entry, path: [...entry.path] } : undefined;
        };
        return { ...document, entries: new CrossEntryTable(document.entries, again) };
      });
      const found = described(documents, crossFindings(inTables));
      assert.deepEqual(found.sort(), naive(documents), `seed ${seed}`);
      // Only the claims that end up in a finding are made again, each once.
      assert.equal(asked, found.length, `seed ${seed}`);
    }
  });

  test('a table finds every key it holds and no other, its claims in entry order, its keys in the order first claimed', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const document of randomDocuments(seed)) {
        const table = new CrossEntryTable(document.entries, (position) => document.entries[position]);
        const expected = new Map<string, Map<string, number[]>>();
        document.entries.forEach((entry, n) => {
          if (entry.kind !== 'unique') return;
          const space = `${entry.index}\u0000${entry.scope}`;
          const inSpace = expected.get(space) ?? new Map<string, number[]>();
          inSpace.set(entry.value, [...(inSpace.get(entry.value) ?? []), n]);
          expected.set(space, inSpace);
        });
        assert.deepEqual([...table.spaceNames()].sort(), [...expected.keys()].sort(), `seed ${seed}: spaces`);
        for (const [space, keys] of expected) {
          const seen: string[] = [];
          table.eachKey(space, (value) => {
            seen.push(value);
          });
          assert.deepEqual(seen, [...keys.keys()], `seed ${seed}: keys in the order first claimed`);
          for (const [value, positions] of keys) {
            assert.equal(table.has(space, value), true, `seed ${seed}: has ${value}`);
            // Claim numbers count unique entries only; their entries are the positions expected.
            assert.deepEqual(table.claimsOf(space, value).map((claim) => table.entry(claim)), positions.map((n) => document.entries[n]), `seed ${seed}: claims of ${value}`);
          }
          // Values around and between the held ones: below, above, a prefix, an extension.
          for (const absent of ['', '0', '-1', '9999', '30', '3000', '1 ', 'x']) {
            assert.equal(table.has(space, absent), keys.has(absent), `seed ${seed}: "${absent}"`);
            assert.equal(table.claimsOf(space, absent).length, keys.get(absent)?.length ?? 0, `seed ${seed}: claims of "${absent}"`);
          }
        }
        assert.equal(table.has('no-such-space', '1'), false, 'an unknown space');
      }
    }
  });

  test('the same tables again give the same findings; a table replaced is compared afresh', () => {
    const claim = (owner: string, value: string, i: number): CrossEntry => ({ kind: 'unique', index: 'a', id: 'X-1', variant: 'v', value, scope: '2026', owner, label: owner, path: ['lijst', i], params: () => ({}) });
    const rangeOf = (path: DataPath) => ({ start: { line: Number(path[1]), character: 0 }, end: { line: Number(path[1]), character: 1 } });
    const table = (entries: CrossEntry[]) => new CrossEntryTable(entries, (position) => entries[position]);
    const big = { uri: 'big.yaml', name: 'big.yaml', entries: table(['1', '2', '3', '4'].map((v, i) => claim('kvk-1', v, i))), rangeOf };
    const rival = { uri: 'rival.yaml', name: 'rival.yaml', entries: table([claim('kvk-2', '3', 0)]), rangeOf };
    const sameOwner = { uri: 'version.yaml', name: 'version.yaml', entries: table([claim('kvk-1', '3', 0)]), rangeOf };
    const count = (documents: CrossDocument[]) => [...crossFindings(documents).values()].flat().length;
    assert.equal(count([big, sameOwner]), 0, 'two versions of one owner: nothing contested');
    assert.equal(count([big, sameOwner]), 0, 'the same tables again');
    assert.equal(count([big, rival]), 2, 'the other version replaced by a rival: value 3 claimed by two owners, one finding in each file');
    assert.equal(count([big, rival]), 2, 'the same tables again');
    assert.equal(count([big, sameOwner]), 0, 'and back');
    assert.equal(count([big, sameOwner, rival]), 3, 'a table added: the three claims of value 3');
  });

  test('eachKey stops when asked', () => {
    const document = randomDocuments(3).find((d) => d.entries.length > 20);
    assert.ok(document, 'a document with entries');
    const table = new CrossEntryTable(document.entries, (position) => document.entries[position]);
    const space = [...table.spaceNames()][0] ?? '';
    let visits = 0;
    table.eachKey(space, () => ++visits === 2);
    assert.equal(visits, 2);
  });

  test('a table knows when new entries are the same claims (paths may move) and refuses a source that changed', () => {
    const document = randomDocuments(5).find((d) => d.entries.length > 10 && d.entries.some((e, i) => i === 3 && e.kind === 'unique'));
    assert.ok(document, 'a document with entries');
    const moved = document.entries.map((entry) => ({ ...entry, path: ['elders', ...entry.path] }));
    const table = new CrossEntryTable(document.entries, (position) => moved[position]);
    assert.equal(table.sameAs(moved), true, 'only the paths differ');
    assert.equal(table.sameAs(document.entries.slice(1)), false, 'one entry fewer');
    const revalued = document.entries.map((entry, i) => (i === 3 ? { ...entry, value: `${entry.value}x` } : entry));
    assert.equal(table.sameAs(revalued), false, 'a value changed');
    const reowned = document.entries.map((entry, i) => (i === 5 && entry.kind === 'unique' ? { ...entry, owner: 'kvk-other' } : entry));
    assert.equal(table.sameAs(reowned), false, 'an owner changed');
    const published: CrossEntry = { kind: 'published', index: 'rho', value: '1', fields: { naam: 'A' }, path: ['organisatie'] };
    const withPublished = new CrossEntryTable([...document.entries, published], () => undefined);
    assert.equal(withPublished.sameAs([...document.entries, { ...published, fields: { naam: 'A' } }]), true);
    assert.equal(withPublished.sameAs([...document.entries, { ...published, fields: { naam: 'B' } }]), false, 'a published field changed');
    const stale = new CrossEntryTable(document.entries, (position) => revalued[position]);
    const claim = stale.claimsOf(`${(document.entries[3] as UniqueEntry).index}\u0000${(document.entries[3] as UniqueEntry).scope}`, (document.entries[3] as UniqueEntry).value);
    assert.ok(claim.length > 0, 'the changed entry is claimed');
    assert.throws(() => claim.forEach((n) => stale.entry(n)), /veranderden bij opnieuw maken/);
  });
});
