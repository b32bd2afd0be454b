import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CrossInput } from '../../server/src/engine/index.js';
import { engine, sample, TODAY } from '../helpers/engine.js';

/** Cross-document checks: several submissions checked together (a folder, a workspace). */

const VALID = sample('vgz/rho-regioplan');

function checked(uri: string, text: string): CrossInput {
  return engine().crossInput(uri, uri, engine().check(text, { today: TODAY }));
}

/** Another RHO whose plan lists exactly one practice (with its GPs) that Lingestroom lists too. */
function otherRho(): string {
  const start = VALID.indexOf('  - naam: Huisartsenpraktijk Waalkade');
  const end = VALID.indexOf('  - naam: Gezondheidscentrum Bommerwaard');
  const shared = VALID.slice(start, end);
  const ownStart = VALID.indexOf('praktijken:\n') + 'praktijken:\n'.length;
  const ownEnd = VALID.indexOf('\nzorgketens:');
  return (VALID.slice(0, ownStart) + shared + VALID.slice(ownEnd + 1))
    .replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond')
    .replace('"71845203"', '"62930174"');
}

describe('VGZ-RHO-05 across regioplans', () => {
  test('a practice and its GPs in the plans of two RHOs: reported in both files, pointing at the other', () => {
    const cross = engine().crossCheck([checked('a/lingestroom.yaml', VALID), checked('b/waalmond.yaml', otherRho())], 'nl');
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
    const lines = otherRho().split('\n');
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
    const cross = engine().crossCheck([checked('a.yaml', VALID), checked('b.yaml', otherRho())], 'en');
    assert.match(cross.get('a.yaml')?.[0]?.message ?? '', /is also in the regional plan of Coöperatie Huisartsen Waalmond \(b\.yaml\)/);
  });
});
