import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/engine.js';
import { hasPdfToText, pdfPages, readXlsx } from '../helpers/export-readers.js';

/** `zorgtoets export` as a user runs it: the bundled CLI in a child process. */

const CLI = join(ROOT, 'dist', 'cli.cjs');
const SAMPLES = join(ROOT, 'samples', 'vgz', 'rho-regioplan');

function run(args: string[], cwd: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '', ...env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function workspace(sampleName = 'valid.yaml', as = 'regioplan.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-export-'));
  copyFileSync(join(SAMPLES, sampleName), join(dir, as));
  return dir;
}

describe('zorgtoets export', () => {
  test('a valid submission: exit 0, the file beside it, named after the kind', async () => {
    const dir = workspace();
    const result = run(['export', 'regioplan.yaml', '--naar', 'xlsx'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /regioplan\.offerteformat\.xlsx geschreven \(offerteformat, [\d.]+ kB\)/);
    const workbook = await readXlsx(readFileSync(join(dir, 'regioplan.offerteformat.xlsx')));
    assert.ok(workbook.getWorksheet('Praktijken'));
  });

  test('never overwrites without --overwrite (exit 2, the file untouched); with it, replaces', () => {
    const dir = workspace();
    assert.equal(run(['export', 'regioplan.yaml', '--naar', 'md', '-o', 'plan.md'], dir).code, 0);
    writeFileSync(join(dir, 'plan.md'), 'eigen aantekeningen');
    const again = run(['export', 'regioplan.yaml', '--naar', 'md', '-o', 'plan.md'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /plan\.md bestaat al; gebruik --overwrite/);
    assert.equal(readFileSync(join(dir, 'plan.md'), 'utf8'), 'eigen aantekeningen');
    assert.equal(run(['export', 'regioplan.yaml', '-o', 'plan.md', '--overwrite'], dir).code, 0, 'the format follows from -o');
    assert.match(readFileSync(join(dir, 'plan.md'), 'utf8'), /^# Regioplan Zorgovereenkomst/);
  });

  test('a submission with errors is refused: exit 1, the errors listed, no file', () => {
    const dir = workspace('invalid-mandaat-en-patienten.yaml');
    const result = run(['export', 'regioplan.yaml', '--naar', 'pdf'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /regioplan\.yaml:\d+:\d+ +error +VGZ-RHO-04c +Mandaat 71,9%/);
    assert.match(result.stderr, /wordt niet geëxporteerd\. Los de fouten op, of exporteer met --force als concept/);
    assert.deepEqual(readdirSync(dir), ['regioplan.yaml']);
  });

  test('--force exports a draft: exit 1 (errors found, as check), every page marked', () => {
    const dir = workspace('invalid-mandaat-en-patienten.yaml');
    const result = run(['export', 'regioplan.yaml', '--naar', 'pdf', '--force'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /geëxporteerd als concept met \d+ fout\(en\)/);
    const file = join(dir, 'regioplan.regioplan.pdf');
    assert.ok(statSync(file).size > 1000);
    if (hasPdfToText()) for (const page of pdfPages(readFileSync(file))) assert.ok(page.includes('concept — voldoet niet aan alle minimumeisen'));
  });

  test('English with --lang en; the compliance report with --soort rapport', () => {
    const dir = workspace();
    const result = run(['export', 'regioplan.yaml', '--naar', 'md', '--soort', 'rapport', '--lang', 'en'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /regioplan\.rapport\.md written/);
    const md = readFileSync(join(dir, 'regioplan.rapport.md'), 'utf8');
    assert.match(md, /^# Compliance report — Stichting Huisartsenzorg Lingestroom/);
    assert.match(md, /## Deviations and justification/);
  });

  test('usage errors exit 2 and say what the form offers', () => {
    const dir = workspace();
    const noFormat = run(['export', 'regioplan.yaml'], dir);
    assert.equal(noFormat.code, 2);
    assert.match(noFormat.stderr, /offerteformat \(xlsx\); huisartsenlijst \(csv, xlsx\); regioplan \(docx, pdf, md\); rapport \(pdf, md, docx\)/);
    assert.equal(run(['export', 'regioplan.yaml', '--naar', 'odt'], dir).code, 2);
    assert.match(run(['export', 'regioplan.yaml', '--naar', 'csv', '--soort', 'regioplan'], dir).stderr, /regioplan kan niet naar csv/);
    assert.equal(run(['export', 'bestaat-niet.yaml', '--naar', 'pdf'], dir).code, 2);
    assert.equal(run(['export', '--naar', 'pdf'], dir).code, 2);
    assert.deepEqual(readdirSync(dir), ['regioplan.yaml']);
  });

  test('the bytes do not depend on the time zone of the machine', () => {
    const east = workspace();
    const west = workspace();
    for (const format of ['xlsx', 'pdf']) {
      assert.equal(run(['export', 'regioplan.yaml', '--naar', format], east, { TZ: 'Pacific/Kiritimati' }).code, 0);
      assert.equal(run(['export', 'regioplan.yaml', '--naar', format], west, { TZ: 'America/Los_Angeles' }).code, 0);
    }
    for (const name of ['regioplan.offerteformat.xlsx', 'regioplan.regioplan.pdf']) {
      assert.ok(readFileSync(join(east, name)).equals(readFileSync(join(west, name))), name);
    }
  });

  test('--help documents export', () => {
    const help = run(['--help'], ROOT);
    assert.match(help.stdout, /zorgtoets export <bestand> --naar xlsx\|docx\|pdf\|csv\|md/);
    assert.match(help.stdout, /--force +exporteer ook met fouten/);
  });

  test('a file that is not a submission is not exported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-export-'));
    writeFileSync(join(dir, 'ander.yaml'), 'naam: iets anders\n');
    const result = run(['export', 'ander.yaml', '--naar', 'pdf', '--force'], dir);
    assert.notEqual(result.code, 0);
    assert.ok(!existsSync(join(dir, 'ander.rapport.pdf')) && !existsSync(join(dir, 'ander.regioplan.pdf')));
  });
});
