import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { explain } from '../../server/src/cli/explain-command.js';
import { engine, ROOT, TODAY } from '../helpers/engine.js';

/**
 * The VGZ addendum blocks and vgz/verkennend-gesprek as a user meets them: `explain` for every ID
 * (with the message its failing example gives), `new`, `forms`, and `check` on the samples.
 */

const CLI = join(ROOT, 'dist', 'cli.cjs');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const IDS = engine()
  .catalogue.all()
  .filter((entry) => /^VGZ-(GLI|KOO|SMR|VG)-/.test(entry.id));

describe('explain works for every VGZ-GLI, -KOO, -SMR and -VG ID', () => {
  test('there are 32 of them, as in the spec (GLI 7, KOO 3, SMR 9 + I1, VG 12)', () => assert.equal(IDS.length, 32));
  for (const entry of IDS) {
    test(entry.id, () => {
      for (const lang of ['nl', 'en'] as const) {
        const text = explain(engine(), entry.id.toLowerCase(), lang, ROOT, TODAY);
        assert.match(text, new RegExp(`^${entry.id} — `));
        assert.match(text, /004_8353ac6ccfdd3b59\.txt › /);
        if (entry.severities.includes('note')) {
          assert.match(text, lang === 'nl' ? /notitie: geen melding/ : /note: never a finding/);
          continue;
        }
        // Every failing example shows the finding it gives; none fails to apply.
        const arrows = text.split('\n').filter((line) => line.startsWith(`  → `) && line.includes(`  ${entry.id}  `));
        assert.equal(arrows.length, entry.examples.length, text);
        assert.doesNotMatch(text, /^\(.*bestaat niet|^\(voorbeeldbestand/m);
      }
    });
  }
});

describe('zorgtoets new / forms / check for vgz/verkennend-gesprek', () => {
  test('forms lists both contract years', () => {
    assert.match(run(['forms']).stdout, /vgz\/verkennend-gesprek +2026, 2027 /);
  });

  test('new writes the template for 2026 (the year the policy describes), every declaration asked with null', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zt-')), 'offerte.yaml');
    const result = run(['new', 'vgz/verkennend-gesprek', '-o', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\(vgz\/verkennend-gesprek 2026\)/);
    const text = readFileSync(file, 'utf8');
    const declarations = text.split('\n').filter((line) => /^\s+[a-z_0-9]+: null\s+# .+\?/.test(line));
    assert.ok(declarations.length >= 18, `${declarations.length} questions`);
    assert.doesNotMatch(text, /^\s+[a-z_0-9]+: (true|false)\b/m, 'no declaration is pre-answered');
    const check = run(['check', file]);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /VGZ-VG-04 +Nog niet beantwoord: regio\.verklaringen\.kernwerkgebied_vgz/);
  });

  test('check on the samples: the valid offer passes, the invalid ones show their IDs at their lines', () => {
    const valid = run(['check', join('samples', 'vgz', 'verkennend-gesprek', 'valid.yaml')]);
    assert.equal(valid.code, 0, valid.stdout);
    const folder = run(['check', '--format', 'json', join('samples', 'vgz', 'verkennend-gesprek')]);
    const report = JSON.parse(folder.stdout) as { files: { path: string; findings: { id: string; severity: string; range: { start: { line: number } } }[] }[] };
    const late = report.files.find((f) => f.path.endsWith('invalid-te-laat-en-verklaringen.yaml'));
    const deadline = late?.findings.find((f) => f.id === 'VGZ-VG-05');
    assert.equal(deadline?.severity, 'warning');
    assert.equal(deadline?.range.start.line, 5, 'ingediend_op is on line 6 (0-based 5)');
  });

  test('--lang en: the regioplan addenda messages in English', () => {
    const result = run(['check', '--lang', 'en', join('samples', 'vgz', 'rho-regioplan', 'invalid-addenda-gli-ketenaanpak-stoppen-met-roken.yaml')]);
    assert.match(result.stdout, /VGZ-SMR-05 +Group smoking cessation counselling: fewer than 7 sessions and no follow-up to prevent relapse \(stated: 5 sessions of 90 minutes\)/);
    assert.match(result.stdout, /VGZ-GLI-04 +Lifestyle coach Ramon Terpstra: licence valid until 31 March 2027/);
  });
});
