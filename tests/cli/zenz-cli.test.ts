import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/engine.js';

/** zenz/ro-meerjarenplan through the bundled CLI, as a consultant uses it. */

const CLI = join(ROOT, 'dist', 'cli.cjs');
const SAMPLES = join(ROOT, 'samples', 'zenz', 'ro-meerjarenplan');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('zorgtoets and zenz/ro-meerjarenplan', () => {
  test('check: the valid plan passes, the begroting sample shows the tariff with its numbers', () => {
    const valid = run(['check', join(SAMPLES, 'valid.yaml')]);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /voldoet aan alle minimumeisen/);
    const invalid = run(['check', join(SAMPLES, 'invalid-begroting.yaml')]);
    assert.equal(invalid.code, 1);
    const line = invalid.stdout.split('\n').find((l) => l.includes('ZZ-RO-14') && l.includes('Tarief'));
    assert.match(line ?? '', /invalid-begroting\.yaml:\d+:\d+\s+warning\s+ZZ-RO-14\s+Tarief O&I regiomanagement 2026: jaarbudget 277\.000 ÷ 20\.500 ION \(per 1 juli 2025\) = €\s13,51; opgegeven €\s12,50/);
  });

  test('explain ZZ-RO-14 and the note ZZ-RO-I0', () => {
    const result = run(['explain', 'zz-ro-14']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ZZ-RO-14 — Tarief O&I regiomanagement/);
    assert.match(result.stdout, /Bron: 000_1f5e2533b991e939\.txt › § 6\.1 Bepalen van de tarieven/);
    assert.match(result.stdout, /→ waarschuwing {2}ZZ-RO-14 {2}Tarief O&I regiomanagement 2026: jaarbudget 246\.000/);
    const note = run(['explain', 'ZZ-RO-I0', '--lang', 'en']);
    assert.match(note.stdout, /note: never a finding/);
    assert.match(note.stdout, /Forms: zenz\/ro-meerjarenplan/);
  });

  test('new writes the template with every declaration unanswered', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zt-')), 'meerjarenplan.yaml');
    const result = run(['new', 'zenz/ro-meerjarenplan', '-o', file]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^formulier: zenz\/ro-meerjarenplan$/m);
    assert.match(text, /^ {4}multidisciplinaire_eerstelijns_zorgentiteit: null +# Is de RO een multidisciplinaire eerstelijns zorgentiteit\?$/m);
    const checked = run(['check', file]);
    assert.equal(checked.code, 1, 'a fresh template still has everything to fill in');
    assert.match(checked.stdout, /Nog niet beantwoord: organisatie\.verklaringen\.multidisciplinaire_eerstelijns_zorgentiteit/);
  });
});
