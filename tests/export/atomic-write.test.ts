import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OutputExistsError, removeStaleTemps, writeFileAtomic } from '../../server/src/export/atomic-write.js';
import { ROOT } from '../helpers/engine.js';

/** Writes are all or nothing: no partial file on failure or interruption, no overwrite without consent. */

const folder = () => mkdtempSync(join(tmpdir(), 'zt-atomic-'));
const CHILD = join(ROOT, 'tests', 'helpers', 'slow-write-child.ts');

function startSlowWriter(target: string, overwrite = false): { child: ReturnType<typeof spawn>; writing: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, '400', '25', ...(overwrite ? ['overwrite'] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const writing = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('writing') && resolve());
    child.on('exit', () => reject(new Error('the writer exited before writing')));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, writing, exited };
}

describe('writeFileAtomic', () => {
  test('writes the bytes under the final name and leaves nothing else', async () => {
    const dir = folder();
    const target = join(dir, 'uit.xlsx');
    await writeFileAtomic(target, new TextEncoder().encode('inhoud'), { overwrite: false });
    assert.equal(readFileSync(target, 'utf8'), 'inhoud');
    assert.deepEqual(readdirSync(dir), ['uit.xlsx']);
  });

  test('never overwrites without consent; with --overwrite it replaces the file whole', async () => {
    const dir = folder();
    const target = join(dir, 'uit.pdf');
    writeFileSync(target, 'eerder werk');
    await assert.rejects(writeFileAtomic(target, new TextEncoder().encode('nieuw'), { overwrite: false }), OutputExistsError);
    assert.equal(readFileSync(target, 'utf8'), 'eerder werk');
    await writeFileAtomic(target, new TextEncoder().encode('nieuw'), { overwrite: true });
    assert.equal(readFileSync(target, 'utf8'), 'nieuw');
    assert.deepEqual(readdirSync(dir), ['uit.pdf']);
  });

  test('a file that appears during the write is not overwritten either', async () => {
    const dir = folder();
    const target = join(dir, 'uit.docx');
    async function* racing(): AsyncIterable<Uint8Array> {
      yield new TextEncoder().encode('ons ');
      writeFileSync(target, 'van iemand anders');
      yield new TextEncoder().encode('bestand');
    }
    await assert.rejects(writeFileAtomic(target, racing(), { overwrite: false }), OutputExistsError);
    assert.equal(readFileSync(target, 'utf8'), 'van iemand anders');
    assert.deepEqual(readdirSync(dir), ['uit.docx']);
  });

  test('a writer that fails halfway leaves no file at all', async () => {
    const dir = folder();
    const target = join(dir, 'uit.xlsx');
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(4096);
      yield new Uint8Array(4096);
      throw new Error('schijf vol (gesimuleerd)');
    }
    await assert.rejects(writeFileAtomic(target, failing(), { overwrite: false }), /schijf vol/);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a process killed with SIGKILL mid-write leaves no output file; its temporary file is cleaned up later', async () => {
    const dir = folder();
    const target = join(dir, 'regioplan.offerteformat.xlsx');
    const { child, writing, exited } = startSlowWriter(target);
    await writing;
    const during = readdirSync(dir);
    assert.equal(during.length, 1, 'only the hidden temporary file exists while writing');
    assert.match(during[0] ?? '', /^\.regioplan\.offerteformat\.xlsx\.zorgtoets-\d+-[0-9a-f]+\.tmp$/);
    child.kill('SIGKILL');
    await exited;
    assert.ok(!existsSync(target), 'no file under the final name');
    assert.deepEqual(removeStaleTemps(dir), during, 'the dead writer’s temporary file is removed');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('replacing an existing file with consent, killed with SIGKILL mid-write: the old file is there whole', async () => {
    const dir = folder();
    const target = join(dir, 'regioplan.pdf');
    writeFileSync(target, 'de vorige versie, compleet');
    const { child, writing, exited } = startSlowWriter(target, true);
    await writing;
    child.kill('SIGKILL');
    await exited;
    assert.equal(readFileSync(target, 'utf8'), 'de vorige versie, compleet');
    removeStaleTemps(dir);
    assert.deepEqual(readdirSync(dir), ['regioplan.pdf']);
  });

  test('SIGTERM (or Ctrl-C) mid-write removes the temporary file at once', async () => {
    const dir = folder();
    const target = join(dir, 'rapport.pdf');
    const { child, writing, exited } = startSlowWriter(target);
    await writing;
    child.kill('SIGTERM');
    assert.equal(await exited, 143);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a temporary file of a live process is left alone', () => {
    const dir = folder();
    const mine = `.x.pdf.zorgtoets-${process.pid}-abcd1234.tmp`;
    writeFileSync(join(dir, mine), '');
    assert.deepEqual(removeStaleTemps(dir), []);
    assert.deepEqual(readdirSync(dir), [mine]);
  });
});
