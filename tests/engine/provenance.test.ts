import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine, hover } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * Policy provenance: every requirement of an insurer names the policy version it comes from, and
 * an entry from a dated amendment names that amendment, which must be one the catalogue lists.
 */

test('every insurer requirement has a policy version; product checks have none', () => {
  for (const entry of engine().catalogue.all()) {
    const provenance = engine().catalogue.provenance(entry.id);
    if (entry.insurer === 'zorgtoets') assert.equal(provenance, undefined, entry.id);
    else assert.ok(provenance?.version, `${entry.id} (${entry.file}) has a policy version`);
  }
});

test('VGZ lists its three amendments; an entry from the base text is shown as checked up to the last', () => {
  assert.deepEqual(engine().catalogue.insurers.get('vgz')?.amendments, ['31-07-2025', '01-09-2025', '01-04-2026']);
  assert.deepEqual(engine().catalogue.provenance('VGZ-RHO-04c'), {
    policy: '004_8353ac6ccfdd3b59.txt',
    policyTitle: { nl: 'Inkoopbeleid Huisartsenzorg en Multidisciplinaire zorg 2026-2027', en: 'Purchasing policy GP care and multidisciplinary care 2026-2027' },
    version: '2026-2027',
    latestAmendment: '01-04-2026',
  });
  assert.equal(engine().catalogue.provenanceText('VGZ-RHO-04c', 'nl'), '2026-2027 (aanvullingen verwerkt t/m 01-04-2026)');
  assert.equal(engine().catalogue.provenanceText('VGZ-RHO-04c', 'en'), '2026-2027 (amendments included up to 01-04-2026)');
});

function catalogueWith(amendment: string): string {
  return [
    'insurer: proef',
    'name: {nl: Proef, en: Proef}',
    'policy: proef.txt',
    'policy_version: "2026"',
    'amendments: ["01-09-2025"]',
    'requirements:',
    '  - id: PROEF-01',
    '    severity: warning',
    '    title: {nl: x, en: x}',
    '    source: Hoofdstuk 1',
    `    amendment: "${amendment}"`,
    '    messages: {default: {nl: x, en: x}}',
    '',
  ].join('\n');
}

function extraFolder(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-prov-'));
  mkdirSync(join(dir, 'requirements'));
  writeFileSync(join(dir, 'requirements', 'proef.yaml'), text);
  return dir;
}

test('an entry from an amendment is shown with it', () => {
  const e = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: [new NodeDataFiles(extraFolder(catalogueWith('01-09-2025')))] });
  assert.deepEqual(e.extraProblems(), []);
  assert.equal(e.catalogue.provenanceText('PROEF-01', 'nl'), '2026, aanvulling 01-09-2025');
  assert.equal(e.catalogue.provenanceText('PROEF-01', 'en'), '2026, amendment 01-09-2025');
});

test('an amendment the catalogue does not list, or a date in another format, is a data error naming the field', () => {
  for (const [amendment, problem] of [
    ['01-04-2026', /aanvulling 01-04-2026 staat niet in amendments \(01-09-2025\)/],
    ['2025-09-01', /datum als 01-09-2025/],
  ] as const) {
    const e = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: [new NodeDataFiles(extraFolder(catalogueWith(amendment)))] });
    const [error] = e.extraProblems();
    assert.match(error?.field ?? '', /requirements\[0\]( \(PROEF-01\))?\.amendment/);
    assert.match(error?.problem ?? '', problem);
  }
});

test('Verkennend gesprek: VG-01 from the base text, VG-10 from 01-04-2026, the others from 01-09-2025', () => {
  const c = engine().catalogue;
  assert.equal(c.provenance('VGZ-VG-01')?.amendment, undefined);
  assert.equal(c.provenanceText('VGZ-VG-01', 'nl'), '2026-2027 (aanvullingen verwerkt t/m 01-04-2026)');
  assert.equal(c.provenanceText('VGZ-VG-10', 'nl'), '2026-2027, aanvulling 01-04-2026');
  for (const n of ['02', '03', '04', '05', '06', '07', '08', '09', '11', '12']) assert.equal(c.provenance(`VGZ-VG-${n}`)?.amendment, '01-09-2025', `VGZ-VG-${n}`);
});

test('the hover on a key names the policy and its version, with the amendment', () => {
  const text = sample('vgz/verkennend-gesprek');
  const result = engine().check(text, { today: TODAY });
  const line = text.split('\n').findIndex((l) => /^ {2}status: goedgekeurd/.test(l));
  const nl = hover(engine(), result, { line, character: 4 }, 'nl')?.markdown ?? '';
  assert.match(nl, /\*\*VGZ-VG-02\*\*/);
  assert.match(nl, /\*Beleidsversie:\* Inkoopbeleid Huisartsenzorg en Multidisciplinaire zorg 2026-2027, 2026-2027, aanvulling 01-09-2025/);
  const regioplan = sample('vgz/rho-regioplan');
  const at = regioplan.split('\n').findIndex((l) => /^ {2}rechtsvorm:/.test(l));
  const en = hover(engine(), engine().check(regioplan, { today: TODAY }), { line: at, character: 4 }, 'en')?.markdown ?? '';
  assert.match(en, /\*Policy version:\* Purchasing policy GP care and multidisciplinary care 2026-2027, 2026-2027 \(amendments included up to 01-04-2026\)/);
});
