import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateRegioplan } from '../bench/generate-regioplan.js';
import { ROOT } from '../helpers/engine.js';

/**
 * `zorgtoets fix` rewrites the consultant's own file (server/src/node/atomic-write.ts). Killed
 * outright (kill -9) at any moment, the file holds the text before or the text after, whole —
 * never a mix, never a truncated file. A child rewrites a 1 MB submission back and forth; it is
 * killed at random moments and the file checked each time. (Export writes: tests/export/atomic-write.test.ts.)
 */

const CHILD = join(ROOT, 'tests', 'helpers', 'rewrite-child.ts');
const KILLS = 12;

test(`kill -9 while rewriting a submission, ${KILLS} times at random moments: the file is always one of the two texts, whole`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-rewrite-'));
  const before = generateRegioplan(ROOT, 20_000);
  const after = before.replace(/ja\b/g, 'true').replace(/^(\s+)naam: Huisartsenpraktijk/gm, '$1naam: "Huisartsenpraktijk') + '# gecorrigeerd\n';
  writeFileSync(join(dir, 'a.txt'), before);
  writeFileSync(join(dir, 'b.txt'), after);
  const target = join(dir, 'regioplan.yaml');
  let kills = 0;
  while (kills < KILLS) {
    writeFileSync(target, before);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, join(dir, 'a.txt'), join(dir, 'b.txt')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 300)));
    child.kill('SIGKILL');
    await exited;
    const now = readFileSync(target, 'utf8');
    assert.ok(now === before || now === after, `after kill ${kills + 1}: ${now.length} characters, neither text whole`);
    kills++;
  }
});
