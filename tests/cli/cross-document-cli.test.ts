import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, sample } from '../helpers/engine.js';

/**
 * ZT-XDOC through the bundled CLI: the files and folders of one run are compared with each other,
 * whatever folder each file is in.
 */

const CLI = join(ROOT, 'dist', 'cli.cjs');

interface JsonReport {
  files: { path: string; findings: { id: string; severity: string; message: string; range: { start: { line: number } }; related?: { uri?: string; range: { start: { line: number } } }[] }[] }[];
}

function checkJson(cwd: string, args: string[]): { code: number; report: JsonReport; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-xdoc-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const xdoc = (report: JsonReport, path: string) => report.files.find((f) => f.path === path)?.findings.filter((f) => f.id === 'ZT-XDOC') ?? [];

describe('zorgtoets check on a folder: ZT-XDOC', () => {
  test('a Verkennend gesprek offer naming its RHO differently from the regioplan next to it', () => {
    const offer = sample('vgz/verkennend-gesprek').replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Huisartsenzorg Lingestroom');
    const dir = folder({ 'mgn/offerte-verkennend-gesprek.yaml': offer, 'rho/regioplan.yaml': sample('vgz/rho-regioplan') });
    const { code, report } = checkJson(dir, ['.']);
    assert.equal(code, 1, 'the mismatch is an error');
    const [finding, ...rest] = xdoc(report, 'mgn/offerte-verkennend-gesprek.yaml');
    assert.equal(rest.length, 0);
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.message, 'De RHO met KvK-nummer 71845203 heet hier "Huisartsenzorg Lingestroom", maar in haar regioplan (rho/regioplan.yaml) "Stichting Huisartsenzorg Lingestroom"; gebruik in beide dezelfde naam');
    assert.equal(finding?.related?.[0]?.uri, 'rho/regioplan.yaml');
    assert.deepEqual(xdoc(report, 'rho/regioplan.yaml'), []);
  });

  test("a rule's own severity holds across files: never contracted with a.s.r. is a warning, as in the editor", () => {
    const questionnaire = sample('asr/kraamzorg-vragenlijst').replace('eerder_overeenkomst_met_asr: true', 'eerder_overeenkomst_met_asr: false');
    assert.notEqual(questionnaire, sample('asr/kraamzorg-vragenlijst'), 'the test edit applies');
    // Enough files for worker threads too (the parallel run sends entries between threads).
    const files: Record<string, string> = { 'igo.yaml': sample('asr/igo-offerte'), 'kraamzorg/lindewaard.yaml': questionnaire };
    for (let n = 0; n < 20; n++) files[`overig/plan-${n}.yaml`] = sample('vgz/verkennend-gesprek');
    const dir = folder(files);
    for (const jobs of ['1', '2']) {
      const [finding, ...rest] = xdoc(checkJson(dir, ['.', '--jobs', jobs]).report, 'igo.yaml');
      assert.equal(rest.length, 0, `--jobs ${jobs}: one finding`);
      assert.equal(finding?.severity, 'warning', `--jobs ${jobs}: the rule says warning (the catalogue's default is error)`);
    }
  });

  test('the offer alone, or its regioplan in a run of its own, gives nothing to compare', () => {
    const offer = sample('vgz/verkennend-gesprek').replace('"71845203"', '"71845230"');
    const dir = folder({ 'offerte.yaml': offer, 'elders/regioplan.yaml': sample('vgz/rho-regioplan') });
    assert.deepEqual(xdoc(checkJson(dir, ['offerte.yaml']).report, 'offerte.yaml'), []);
    const both = checkJson(dir, ['offerte.yaml', 'elders']);
    assert.match(xdoc(both.report, 'offerte.yaml')[0]?.message ?? '', /KvK-nummer 71845230, maar in haar regioplan \(elders\/regioplan\.yaml\) 71845203/);
  });

  test("an IGO whose kraamzorg provider answers differently in its own questionnaire, in English", () => {
    const questionnaire = sample('asr/kraamzorg-vragenlijst').replace('contracttype: plus', 'contracttype: bemiddelingsbureau');
    const igo = sample('asr/igo-offerte').replace('  - naam: Kraamzorg Het Lindenhuis\n    agb_code: "33078315"', '  - naam: Kraamzorg Het Lindenhuis\n    agb_code: "33078351"');
    const lindenhuis = sample('asr/kraamzorg-vragenlijst').replace('  naam: Kraamzorg Lindewaard B.V.', '  naam: Kraamzorg Het Lindenhuis').replace('"33071842"', '"33078315"');
    const dir = folder({ 'igo/offerte.yaml': igo, 'kraamzorg/lindewaard.yaml': questionnaire, 'kraamzorg/lindenhuis.yaml': lindenhuis });
    const { report } = checkJson(dir, ['--lang', 'en', '.']);
    const findings = xdoc(report, 'igo/offerte.yaml').map((f) => f.message);
    assert.equal(findings.length, 2, findings.join('\n'));
    assert.ok(findings.some((m) => /^"Kraamzorg Lindewaard B\.V\." \(AGB 33071842\) applies for the agreement for mediation agencies in its own questionnaire \(kraamzorg\/lindewaard\.yaml\)/.test(m)), findings.join('\n'));
    assert.ok(findings.includes('Maternity care provider "Kraamzorg Het Lindenhuis" has AGB code 33078351 here, but 33078315 in its own questionnaire (kraamzorg/lindenhuis.yaml)'), findings.join('\n'));
  });

  test('SARIF points at the other file too', () => {
    const offer = sample('vgz/verkennend-gesprek').replace('"71845203"', '"71845230"');
    const dir = folder({ 'offerte.yaml': offer, 'regioplan.yaml': sample('vgz/rho-regioplan') });
    const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '.'], { cwd: dir, encoding: 'utf8' });
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const hit = sarif.runs[0]?.results.find((r) => r.ruleId === 'ZT-XDOC');
    assert.ok(hit, 'ZT-XDOC in SARIF');
    assert.match(hit.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri ?? '', /regioplan\.yaml$/);
  });
});
