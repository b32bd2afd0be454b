import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT } from '../helpers/engine.js';

/** The CLI with a `.zorgtoets.yaml`, and justified deviations in its outputs (text, JSON, SARIF). */

const CLI = join(ROOT, 'dist', 'cli.cjs');
const VALID = readFileSync(join(ROOT, 'samples', 'vgz', 'rho-regioplan', 'valid.yaml'), 'utf8');
const ORG = join(ROOT, 'tests', 'fixtures', 'org-regels');
const REASON = 'Zes huisartsen treden per 1 januari 2026 toe; de toetredingsbrieven zitten in bijlage 3.';

function run(args: string[], cwd: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '', ...env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function workspace(config: string | undefined, plan: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-ws-'));
  mkdirSync(join(dir, 'aanvragen'));
  if (config !== undefined) writeFileSync(join(dir, '.zorgtoets.yaml'), config);
  writeFileSync(join(dir, 'aanvragen', 'regioplan.yaml'), plan);
  return dir;
}

const lowMandate = VALID.replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
const privateMail = VALID.replace('m.verbeek@hz-lingestroom.nl', 'marjolein@gmail.com');

describe('.zorgtoets.yaml through the CLI', () => {
  test('taal from the file (found from the checked file upwards); --lang and ZORGTOETS_LANG win', () => {
    const dir = workspace('taal: en\n', lowMandate);
    assert.match(run(['check', 'aanvragen'], dir).stdout, /Mandate 65\.7%/);
    assert.match(run(['check', join(dir, 'aanvragen', 'regioplan.yaml')], ROOT).stdout, /Mandate 65\.7%/, 'also when run from elsewhere');
    assert.match(run(['check', '--lang', 'nl', 'aanvragen'], dir).stdout, /Mandaat 65,7%/);
    assert.match(run(['check', 'aanvragen'], dir, { ZORGTOETS_LANG: 'nl' }).stdout, /Mandaat 65,7%/);
  });

  test('peildatum from the file, overridden by --peildatum', () => {
    const plan = VALID.replace(/^ingediend_op:.*\n/m, '');
    const dir = workspace('peildatum: 2025-08-01\n', plan);
    assert.match(run(['check', 'aanvragen'], dir).stdout, /VGZ-RHO-P1 +Ingediend 1 augustus 2025/);
    assert.doesNotMatch(run(['check', '--peildatum', '2025-07-10', 'aanvragen'], dir).stdout, /VGZ-RHO-P1/);
  });

  test('extra_regels and ernst: the organisation\'s rules with its own severities', () => {
    const dir = workspace(`extra_regels: [${JSON.stringify(ORG)}]\nernst:\n  ORG-LS-01: warning\n`, privateMail);
    const result = run(['check', 'aanvragen'], dir);
    assert.equal(result.code, 0, 'the own rule is a warning here');
    assert.match(result.stdout, /warning +ORG-LS-01 +"marjolein@gmail\.com" is geen adres van @hz-lingestroom\.nl/);
    assert.match(run(['explain', 'ORG-LS-01'], dir).stdout, /Herkomst: eigen regel van de organisatie/);
  });

  test('--config names the file to use', () => {
    const dir = workspace(undefined, lowMandate);
    writeFileSync(join(dir, 'ci.yaml'), 'taal: en\n');
    assert.match(run(['check', '--config', 'ci.yaml', 'aanvragen'], dir).stdout, /Mandate 65\.7%/);
    assert.equal(run(['check', '--config', 'bestaat-niet.yaml', 'aanvragen'], dir).code, 2);
  });

  test('a bad configuration stops with exit 2, naming the file and the field', () => {
    for (const [config, pattern] of [
      ['ernst: {VGZ-RHO-04c: warning}\n', /ongeldige instellingen in .*\.zorgtoets\.yaml: ernst\.VGZ-RHO-04c: VGZ-RHO-04c is een eis van vgz; de ernst van ingebouwde eisen ligt vast/],
      ['taal: fr\n', /\.zorgtoets\.yaml: taal: moet nl of en zijn/],
      ['extra_regel: [x]\n', /\.zorgtoets\.yaml: extra_regel: onbekende instelling; bedoelt u extra_regels\?/],
    ] as const) {
      const dir = workspace(config, VALID);
      const result = run(['check', 'aanvragen'], dir);
      assert.equal(result.code, 2, config);
      assert.match(result.stderr, pattern);
      assert.equal(result.stdout, '');
    }
  });
});

describe('justified deviations in the outputs', () => {
  const plan = `${lowMandate}\nafwijkingen:\n  - id: VGZ-RHO-04c\n    pad: regio.aantal_huisartsen_in_regio\n    toelichting: ${REASON}\n  - id: VGZ-ALG-04\n    toelichting: Niet van toepassing.\n`;
  const dir = workspace(undefined, plan);

  test('text: the explained finding is info with the explanation; the summary counts it', () => {
    const result = run(['check', 'aanvragen'], dir);
    assert.equal(result.code, 1, 'the forbidden deviation is an error');
    assert.match(result.stdout, /info +VGZ-RHO-04c +Afwijking toegelicht: Zes huisartsen .* — Mandaat 65,7%/);
    assert.match(result.stdout, /error +ZT-DEV-FORBIDDEN +Van VGZ-ALG-04 kan niet worden afgeweken/);
    assert.match(result.stdout, /1 fout \(1 afwijking toegelicht\)$/m);
  });

  test('JSON: each file lists its deviations with status, explanation and findings', () => {
    const json = JSON.parse(run(['check', '--format', 'json', 'aanvragen'], dir).stdout) as {
      summary: { deviations: number };
      files: { deviations: { id: string; status: string; toelichting?: string; requirement?: { id: string; policyVersion?: string }; findings: { id: string; severity: string; deviation?: { originalSeverity: string } }[]; problems: { id: string }[] }[] }[];
    };
    assert.equal(json.summary.deviations, 1);
    const [justified, forbidden] = json.files[0]?.deviations ?? [];
    assert.equal(justified?.status, 'justified');
    assert.equal(justified?.toelichting, REASON);
    assert.match(justified?.requirement?.policyVersion ?? '', /^2026-2027/);
    assert.deepEqual(justified?.findings.map((f) => [f.id, f.severity, f.deviation?.originalSeverity]), [['VGZ-RHO-04c', 'info', 'error']]);
    assert.equal(forbidden?.status, 'forbidden');
    assert.deepEqual(forbidden?.problems.map((p) => p.id), ['ZT-DEV-FORBIDDEN']);
  });

  test('SARIF: the explained result carries an accepted in-source suppression with the explanation; rules carry provenance', () => {
    const text = run(['check', '--format', 'sarif', 'aanvragen'], dir).stdout;
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
    assert.ok(validate(JSON.parse(text)), `valid SARIF 2.1.0: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    const sarif = JSON.parse(text) as {
      runs: { tool: { driver: { rules: { id: string; help: { text: string }; properties: Record<string, unknown> }[] } }; results: { ruleId: string; level: string; suppressions?: { kind: string; status: string; justification: string }[]; properties: Record<string, unknown> }[] }[];
    };
    const run0 = sarif.runs[0];
    const result = run0?.results.find((r) => r.ruleId === 'VGZ-RHO-04c');
    assert.equal(result?.level, 'note');
    assert.deepEqual(result?.suppressions, [{ kind: 'inSource', status: 'accepted', justification: REASON }]);
    assert.equal(result?.properties['originalSeverity'], 'error');
    const rule = run0?.tool.driver.rules.find((r) => r.id === 'VGZ-RHO-04c');
    assert.equal(rule?.properties['policyVersion'], '2026-2027');
    assert.equal(rule?.properties['policyAmendmentsIncluded'], '01-04-2026');
    assert.match(rule?.help.text ?? '', /Beleid: Inkoopbeleid Huisartsenzorg en Multidisciplinaire zorg 2026-2027/);
    assert.match(rule?.help.text ?? '', /Beleidsversie: 2026-2027 \(aanvullingen verwerkt t\/m 01-04-2026\)/);
    assert.ok(run0?.tool.driver.rules.some((r) => r.id === 'ZT-DEV-FORBIDDEN'));
  });
});
