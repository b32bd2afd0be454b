import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyPatch, parsePatch } from 'diff';
import { fixAll } from '../../server/src/engine/index.js';
import { engine, ROOT, TODAY } from '../helpers/engine.js';

/** `zorgtoets fix` as a user runs it: the bundled CLI in a child process, on copies of the samples. */

const CLI = join(ROOT, 'dist', 'cli.cjs');
const FORMS = ['vgz/rho-regioplan', 'vgz/verkennend-gesprek', 'asr/igo-offerte', 'asr/kraamzorg-vragenlijst', 'zenz/ro-meerjarenplan'];
/** Every invalid sample of every form. */
const INVALID = FORMS.flatMap((form) =>
  readdirSync(join(ROOT, 'samples', form))
    .filter((name) => name.startsWith('invalid-'))
    .map((name) => ({ form, name })),
);

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of a sample in a fresh folder (never the samples themselves). */
function copy(form: string, name: string): { dir: string; file: string; original: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'zt-fix-'));
  const file = join(dir, name);
  copyFileSync(join(ROOT, 'samples', form, name), file);
  return { dir, file, original: readFileSync(file) };
}

describe('zorgtoets fix --dry-run on every invalid sample', () => {
  for (const { form, name } of INVALID) {
    test(`${form}/${name}: a unified diff on stdout, the summary on stderr, nothing written`, () => {
      const { dir, file, original } = copy(form, name);
      const mtime = statSync(file).mtimeMs;
      const result = run(['fix', '--dry-run', name], dir);
      assert.equal(result.code, 1, 'errors remain in every invalid sample');
      assert.ok(readFileSync(file).equals(original), 'the file is unchanged');
      assert.equal(statSync(file).mtimeMs, mtime);
      assert.deepEqual(readdirSync(dir), [name], 'no temporary files left behind');
      const expected = fixAll(engine(), original.toString('utf8'), { today: TODAY });
      if (expected.applied.length === 0) {
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /geen veilige oplossingen/);
        return;
      }
      assert.match(result.stdout, new RegExp(`^--- a/${name.replace('.', '\\.')}\\n\\+\\+\\+ b/${name.replace('.', '\\.')}\\n@@ `));
      const patched = applyPatch(original.toString('utf8'), parsePatch(result.stdout)[0]!);
      assert.equal(patched, expected.text, 'the diff applied to the original gives the fixed text');
      for (const fix of expected.applied) assert.ok(result.stderr.includes(`${name}:${fix.line + 1}:${fix.character + 1}  ${fix.id}`), `${fix.id} listed`);
      assert.match(result.stderr, /proefdraai: niets geschreven/);
    });
  }
});

describe('zorgtoets fix on every invalid sample', () => {
  for (const { form, name } of INVALID) {
    test(`${form}/${name}: writes the fixed text, lists the fixes, and a second run has nothing to do`, () => {
      const { dir, file, original } = copy(form, name);
      chmodSync(file, 0o640);
      const expected = fixAll(engine(), original.toString('utf8'), { today: TODAY });
      const result = run(['fix', name], dir);
      assert.equal(result.code, expected.after.findings.some((f) => f.severity === 'error') ? 1 : 0, result.stderr);
      assert.equal(readFileSync(file, 'utf8'), expected.text);
      assert.equal(statSync(file).mode & 0o777, 0o640, 'permissions kept');
      assert.deepEqual(readdirSync(dir), [name], 'no temporary files left behind');
      assert.match(result.stdout, expected.applied.length > 0 ? new RegExp(`${expected.applied.length} oplossing(en)? toegepast; nu`) : /geen veilige oplossingen/);
      // The written file re-checks with fewer findings (questions inserted by skeletons aside).
      const notQuestions = (findings: readonly { message: string }[]) => findings.filter((f) => !f.message.startsWith('Nog niet')).length;
      const before = engine().check(original.toString('utf8'), { today: TODAY }).findings;
      const after = engine().check(readFileSync(file, 'utf8'), { today: TODAY }).findings;
      if (expected.applied.length > 0) {
        assert.ok(notQuestions(after) <= notQuestions(before), `${notQuestions(before)} → ${notQuestions(after)}`);
        // Each fixed finding is gone as it was (a value put in quotes may still be too short: then
        // the same place gets the next, different message). Inserted sections are questions for the
        // consultant: their findings stay until the questions are answered.
        const answered = expected.applied.filter((a) => a.kind !== 'insert-section');
        const fixed = before.filter((f) => answered.some((a) => a.id === f.id && a.line === f.range.start.line && a.character === f.range.start.character));
        assert.equal(fixed.length > 0, answered.length > 0, 'the fixed findings were found before');
        for (const finding of fixed) assert.ok(!after.some((f) => f.id === finding.id && f.message === finding.message), `still there: ${finding.id} ${finding.message}`);
      }
      else assert.ok(readFileSync(file).equals(original));
      const again = run(['fix', name], dir);
      assert.match(again.stdout, /geen veilige oplossingen/);
      assert.equal(readFileSync(file, 'utf8'), expected.text);
    });
  }
});

describe('zorgtoets fix refuses and reports', () => {
  test('a file with syntax errors is not touched: exit 1 and the first error named', () => {
    const { dir, file } = copy('vgz/rho-regioplan', 'invalid-verklaringen.yaml');
    const broken = readFileSync(file, 'utf8').replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Stichting Huisartsenzorg Lingestroom\n    fout: ingesprongen');
    writeFileSync(file, broken);
    const result = run(['fix', 'invalid-verklaringen.yaml'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /invalid-verklaringen\.yaml: niet aangepast: het bestand bevat syntaxfouten \(10:9 ZT-YAML/);
    assert.equal(readFileSync(file, 'utf8'), broken);
  });

  test('a valid file: exit 0, nothing written', () => {
    const { dir, file, original } = copy('vgz/rho-regioplan', 'valid.yaml');
    const result = run(['fix', 'valid.yaml'], dir);
    assert.equal(result.code, 0);
    assert.ok(readFileSync(file).equals(original));
  });

  test('a folder: only submissions are fixed; a byte-order mark is kept', () => {
    const { dir, file } = copy('vgz/rho-regioplan', 'invalid-verklaringen.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(file)]));
    writeFileSync(join(dir, 'ander.yaml'), 'naam: ja\n');
    const result = run(['fix', '.'], dir);
    assert.equal(result.code, 1);
    assert.deepEqual([...readFileSync(file).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(readFileSync(file, 'utf8'), /informatie_afgelopen_3_jaar_beschikbaar: true/);
    assert.equal(readFileSync(join(dir, 'ander.yaml'), 'utf8'), 'naam: ja\n');
    assert.doesNotMatch(result.stdout, /ander\.yaml/);
  });

  test('usage errors exit 2', () => {
    assert.equal(run(['fix'], ROOT).code, 2);
    assert.equal(run(['fix', 'bestaat-niet.yaml'], ROOT).code, 2);
  });
});
