import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/engine.js';
import { generateRegioplan } from '../bench/generate-regioplan.js';
import { workerCount } from '../../server/src/cli/parallel-check.js';

/**
 * `zorgtoets check` on worker threads gives exactly the output of the single-threaded run, in
 * every format, including the findings across files: `unique` entries (the same practice in two
 * RHOs' plans) and `lookup` entries (an offer comparing itself with what a plan published:
 * ZT-XDOC), whose closures live on the worker threads. (An organisation's own rules cannot
 * declare `cross:`; they run in a bounded worker of their own.)
 */

const CLI = join(ROOT, 'dist', 'cli.cjs');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ZORGTOETS_LANG: '' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A folder of submissions that meet each other: plans sharing practices, offers naming plans. */
function batchFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-parallel-'));
  for (let v = 1; v <= 24; v++) {
    // Every sixth plan also lists the first practice of the plan before it.
    writeFileSync(join(dir, `plan-${String(v).padStart(2, '0')}.yaml`), generateRegioplan(ROOT, 120, { variant: v, ...(v % 6 === 0 ? { sharePracticeOf: v - 1 } : {}) }));
  }
  const offer = readFileSync(join(ROOT, 'samples', 'vgz', 'verkennend-gesprek', 'valid.yaml'), 'utf8');
  for (const v of [2, 7, 13]) {
    const kvk = String(20000000 + v);
    const name = v === 7 ? `Stichting Huisartsenzorg Proefregio ${v}` : 'Huisartsen Proefregio (andere naam)';
    writeFileSync(join(dir, `offer-${v}.yaml`), offer.replace('"71845203"', `"${kvk}"`).replace(/^(organisatie:\n {2}naam: ).*$/m, `$1${name}`));
  }
  for (const name of ['invalid-mandaat-en-patienten.yaml', 'invalid-zorgketens.yaml']) {
    writeFileSync(join(dir, name), readFileSync(join(ROOT, 'samples', 'vgz', 'rho-regioplan', name), 'utf8'));
  }
  writeFileSync(join(dir, 'notities.yaml'), 'onderwerp: geen aanvraag\n');
  writeFileSync(join(dir, 'kapot.yaml'), Buffer.from([0x66, 0x6f, 0x72, 0x6d, 0x75, 0x6c, 0x69, 0x65, 0x72, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
  return dir;
}

describe('zorgtoets check on worker threads', () => {
  test('more workers only when there are enough files for each', () => {
    assert.equal(workerCount(10, 8), 0);
    assert.equal(workerCount(16, 8), 1);
    assert.equal(workerCount(32, 3), 2);
    assert.equal(workerCount(1000, 2), 1, "the main thread is the second");
    assert.equal(workerCount(1000, 1), 0);
  });

  test('the same output as the single-threaded run, in every format, with findings across files', () => {
    const dir = batchFolder();
    for (const format of ['json', 'text', 'sarif']) {
      const sequential = run(['check', dir, '--format', format, '--jobs', '1']);
      const parallel = run(['check', dir, '--format', format, '--jobs', '3']);
      assert.equal(sequential.code, 1, sequential.stderr);
      assert.equal(parallel.code, sequential.code, parallel.stderr);
      assert.equal(parallel.stdout, sequential.stdout, `${format} output differs`);
    }
    const report = JSON.parse(run(['check', dir, '--format', 'json', '--jobs', '3']).stdout) as {
      files: { path: string; findings: { id: string; message: string; related?: { uri?: string }[] }[] }[];
    };
    const findings = report.files.flatMap((file) => file.findings.map((finding) => ({ ...finding, file: file.path })));
    const shared = findings.filter((f) => f.id === 'VGZ-RHO-05' && f.related?.some((r) => r.uri));
    assert.equal(shared.length, 8, 'four pairs of plans share a practice: one finding in each plan');
    const named = findings.filter((f) => f.id === 'ZT-XDOC');
    assert.deepEqual(
      named.map((f) => f.file.replace(/^.*\//, '')).sort(),
      ['offer-13.yaml', 'offer-2.yaml'],
      'the offers naming a plan differently, not the one naming it the same',
    );
    assert.match(named[0]?.message ?? '', /Huisartsen Proefregio \(andere naam\).*Stichting Huisartsenzorg Proefregio (2|13)/);
    assert.ok(named.every((f) => f.related?.[0]?.uri?.includes('plan-')));
  });

  test('a bad --jobs is a usage error', () => {
    const result = run(['check', 'samples', '--jobs', 'nul']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--jobs/);
  });
});
