import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { engine, ROOT, TODAY } from '../helpers/engine.js';

/** The CLI as a user runs it: the bundled dist/cli.cjs in a child process. */

const CLI = join(ROOT, 'dist', 'cli.cjs');
const SAMPLES = join(ROOT, 'samples', 'vgz', 'rho-regioplan');

function run(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('zorgtoets check', () => {
  test('the bundle exists (npm test builds it)', () => assert.ok(existsSync(CLI), CLI));

  test('a valid sample: exit 0, a summary line', () => {
    const result = run(['check', join(SAMPLES, 'valid.yaml')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 bestand gecontroleerd: voldoet aan alle minimumeisen/);
  });

  test('the samples folder: exit 1, compiler-style lines with ID, position and message', () => {
    const result = run(['check', 'samples']);
    assert.equal(result.code, 1);
    const line = result.stdout.split('\n').find((l) => l.includes('VGZ-RHO-04c') && l.includes('invalid-mandaat-en-patienten'));
    assert.match(line ?? '', /^samples\/vgz\/rho-regioplan\/invalid-mandaat-en-patienten\.yaml:55:31\s+error\s+VGZ-RHO-04c\s+Mandaat 71,9% \(46 van 64 huisartsen/);
  });

  test('--lang en gives English messages', () => {
    const result = run(['check', '--lang', 'en', join(SAMPLES, 'invalid-mandaat-en-patienten.yaml')]);
    assert.match(result.stdout, /Mandate 71\.9% \(46 of 64 GPs/);
  });

  test('usage errors exit 2 with a message', () => {
    assert.equal(run(['chekc', 'samples']).code, 2);
    assert.match(run(['chekc', 'samples']).stderr, /bedoelt u "check"/);
    assert.equal(run(['check']).code, 2);
    assert.equal(run(['check', 'bestaat-niet.yaml']).code, 2);
    assert.equal(run(['check', '--lang', 'fr', 'samples']).code, 2);
    assert.equal(run(['check', '--peildatum', '2025-02-30', 'samples']).code, 2);
    assert.equal(run(['check', '--format', 'xml', 'samples']).code, 2);
    assert.equal(run(['explain', 'VGZ-RHO-4c']).code, 2);
  });

  test('--peildatum is used for a file without ingediend_op, and the message says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-'));
    const file = join(dir, 'zonder-datum.yaml');
    writeFileSync(file, readFileSync(join(SAMPLES, 'valid.yaml'), 'utf8').replace(/^ingediend_op:.*\n/m, ''));
    assert.equal(run(['check', file, '--peildatum', '2025-07-10']).code, 0);
    const late = run(['check', file, '--peildatum', '2025-08-01']);
    assert.equal(late.code, 0, 'an existing RHO that is late gets a warning, not an error');
    assert.match(late.stdout, /warning +VGZ-RHO-P1 +Ingediend 1 augustus 2025 \(peildatum/);
  });

  test('a file that is not UTF-8 is reported, not misread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-'));
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.from([0x66, 0x6f, 0x72, 0x6d, 0x75, 0x6c, 0x69, 0x65, 0x72, 0x3a, 0x20, 0xe9, 0x0a]));
    const result = run(['check', file]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /ZT-LIMIT +Het bestand is geen geldige UTF-8-tekst \(ongeldige UTF-8 bij byte 11\)/);
  });

  test('YAML files without formulier: in a folder are skipped, named ones are checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-'));
    writeFileSync(join(dir, 'andere.yaml'), 'naam: iets anders\n');
    const walked = run(['check', dir]);
    assert.equal(walked.code, 0);
    assert.match(walked.stdout, /0 bestanden gecontroleerd, 1 overgeslagen/);
    const named = run(['check', join(dir, 'andere.yaml')]);
    assert.equal(named.code, 1);
    assert.match(named.stdout, /ZT-FORM/);
  });
});

describe('output formats', () => {
  test('--format json: files, findings with 0-based ranges, summary', () => {
    const result = run(['check', '--format', 'json', 'samples']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { summary: { files: number; errors: number }; files: { path: string; findings: { id: string; range: { start: { line: number } }; source: string }[] }[] };
    // Every sample that declares a form is checked; counted here without the CLI's file walk.
    const declared = readdirSync(join(ROOT, 'samples'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.yaml') && /^formulier:/m.test(readFileSync(join(ROOT, 'samples', name), 'utf8')));
    assert.equal(report.summary.files, declared.length);
    const file = report.files.find((f) => f.path.endsWith('invalid-mandaat-en-patienten.yaml'));
    const finding = file?.findings.find((f) => f.id === 'VGZ-RHO-04c');
    assert.ok(finding);
    assert.equal(typeof finding.range.start.line, 'number');
    assert.match(finding.source, /^004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.equal(report.summary.errors, report.files.flatMap((f) => f.findings).filter((f) => (f as { severity?: string }).severity === 'error').length);
  });

  test('--format sarif is valid SARIF 2.1.0 (checked against the OASIS schema)', () => {
    const result = run(['check', '--format', 'sarif', 'samples']);
    const log = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[]; tool: { driver: { rules: { id: string; properties: { source: string } }[] } } }[] };
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    // The OASIS schema's `language` pattern is not valid with the u flag.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run0 = log.runs[0];
    assert.ok(run0);
    assert.ok(run0.results.length > 10);
    const rule = run0.tool.driver.rules.find((r) => r.id === 'VGZ-RHO-04c');
    assert.match(rule?.properties.source ?? '', /004_8353ac6ccfdd3b59\.txt/);
    const result04c = run0.results.find((r) => r.ruleId === 'VGZ-RHO-04c');
    assert.ok((result04c?.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1, 'SARIF lines are 1-based');
  });
});

describe('forms, explain, new', () => {
  test('forms lists the known forms with their years', () => {
    const result = run(['forms']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /vgz\/rho-regioplan +2026/);
  });

  test('explain shows what, source, and a failing example with the message it gives', () => {
    const result = run(['explain', 'vgz-rho-04c']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^VGZ-RHO-04c — Aantoonbaar mandaat/);
    assert.match(result.stdout, /Bron: 004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.match(result.stdout, /regio\.aantal_huisartsen_in_regio: 70\n {2}→ fout {2}VGZ-RHO-04c {2}Mandaat 65,7%/);
    assert.match(result.stdout, /Voldoet:\n {2}regio\.aantal_huisartsen_in_regio: 57/);
    assert.match(result.stdout, /^Beleidsversie: 2026-2027 \(aanvullingen verwerkt t\/m 01-04-2026\)$/m, 'the policy version and the amendments it includes');
  });

  test('explain of a note says it is never a finding', () => {
    const result = run(['explain', 'VGZ-ALG-08', '--lang', 'en']);
    assert.match(result.stdout, /note: never a finding/);
  });

  test('new writes the template, refuses to overwrite, and asks every declaration as a question', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-'));
    const file = join(dir, 'nieuw.yaml');
    assert.equal(run(['new', 'vgz/rho-regioplan', '-o', file]).code, 0);
    const text = readFileSync(file, 'utf8');
    assert.equal(run(['new', 'vgz/rho-regioplan', '-o', file]).code, 2, 'no silent overwrite');
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.doesNotMatch(text, /^\s+[a-z_0-9]+: (true|false)\b(?!.*in_opleiding)/m, 'no declaration is pre-answered');
    const result = engine().check(text, { today: TODAY });
    const schemaFindings = result.raw.filter((f) => f.origin === 'schema');
    assert.ok(schemaFindings.length > 50);
    assert.deepEqual(
      schemaFindings.filter((f) => f.variant !== 'unanswered' && f.variant !== 'unfilled').map((f) => `${f.id} ${f.variant} ${f.path.join('.')}`),
      [],
      'the template passes the schema except for what is still to answer or fill in',
    );
    assert.ok(schemaFindings.some((f) => f.variant === 'unanswered'));
  });

  test('new with an unknown form suggests the nearest', () => {
    const result = run(['new', 'vgz/rho-regiopaln']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bedoelt u vgz\/rho-regioplan/);
  });
});

describe('check across files', () => {
  test('the same practice in the regioplans of two RHOs is reported in both files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-'));
    const valid = readFileSync(join(SAMPLES, 'valid.yaml'), 'utf8');
    writeFileSync(join(dir, 'lingestroom.yaml'), valid);
    writeFileSync(join(dir, 'waalmond.yaml'), valid.replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond').replace('"71845203"', '"62930174"'));
    const result = run(['check', '--format', 'json', dir]);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { files: { path: string; findings: { id: string; related?: { uri?: string }[] }[] }[] };
    for (const file of report.files) {
      const rho05 = file.findings.filter((f) => f.id === 'VGZ-RHO-05');
      assert.equal(rho05.length, 8 + 46 + 6, `${file.path}: every shared practice and GP`);
      assert.ok(rho05.every((f) => f.related?.[0]?.uri && f.related[0].uri !== file.path));
    }
  });
});
