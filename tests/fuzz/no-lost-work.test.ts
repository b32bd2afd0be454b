import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runFix } from '../../server/src/cli/fix-command.js';
import { applyTextEdits, fixAll, type TextEdit } from '../../server/src/engine/index.js';
import { Workspace } from '../../server/src/node/workspace.js';
import { engine, TODAY } from '../helpers/engine.js';
import { sampleCorpus } from './corpus.js';
import { applyMutation, mutation } from './mutations.js';

/**
 * No lost work: a quick fix changes exactly what its edits say and not a byte more — on every
 * sample of every form (as written, and with CRLF line ends and a byte-order mark), on fuzzed
 * texts, through fixAll (the editor's "fix all") and through `zorgtoets fix` on disk.
 *
 * The check is independent of the engine's own text arithmetic: positions are turned into
 * offsets by the LSP library, the expected text is rebuilt piece by piece from the unchanged
 * stretches and the new texts, and it must equal what the engine and an editor make of the edits.
 */

const corpus = sampleCorpus();
const bom = (text: string) => `\uFEFF${text}`;
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const VARIANTS: [string, (text: string) => string][] = [
  ['as written', (t) => t],
  ['CRLF + BOM', (t) => bom(crlf(t))],
];

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The text after `edits`, rebuilt from the untouched stretches between them; throws when an
 * edit lies outside the text, splits a character or a line break, or overlaps another.
 */
function rebuild(text: string, edits: readonly TextEdit[], label: string): string {
  const doc = TextDocument.create('file:///x.yaml', 'yaml', 1, text);
  const lines = text.split(/\r\n|\r|\n/);
  const spans = edits.map((edit) => {
    for (const p of [edit.range.start, edit.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= (lines[p.line] ?? '').length, `${label}: position ${JSON.stringify(p)} outside the text`);
    }
    const start = doc.offsetAt(edit.range.start);
    const end = doc.offsetAt(edit.range.end);
    assert.ok(start <= end, `${label}: range ends before it starts`);
    for (const at of [start, end]) {
      assert.ok(!(isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at))), `${label}: an edit splits a character at ${at}`);
      assert.ok(!(text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10), `${label}: an edit splits a CR LF at ${at}`);
    }
    return { start, end, newText: edit.newText };
  });
  const ordered = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const span of ordered) {
    assert.ok(span.start >= at, `${label}: edits overlap at ${span.start}`);
    out += text.slice(at, span.start) + span.newText;
    at = span.end;
  }
  return out + text.slice(at);
}

/** Every fix of every finding of a text: what it changes is exactly its edits. Returns how many. */
function checkFixesOf(text: string, label: string): number {
  let count = 0;
  for (const finding of engine().check(text, { today: TODAY, explicit: true }).findings) {
    for (const fix of finding.fixes ?? []) {
      const name = `${label}: ${finding.id} "${fix.title}"`;
      const expected = rebuild(text, fix.edits, name);
      if (/\r\n/.test(text) && !/(^|[^\r])\n/.test(text)) {
        for (const edit of fix.edits) assert.ok(!/(^|[^\r])\n/.test(edit.newText), `${name}: a CR LF file gets CR LF line ends from its fixes`);
      }
      assert.equal(applyTextEdits(text, fix.edits), expected, `${name}: the engine applies it as its edits say`);
      assert.equal(TextDocument.applyEdits(TextDocument.create('file:///x.yaml', 'yaml', 1, text), [...fix.edits]), expected, `${name}: an editor applies it as its edits say`);
      count++;
    }
  }
  return count;
}

/** fixAll's result is the input with each round's listed edits and nothing else. */
function checkFixAll(text: string, label: string): number {
  const result = fixAll(engine(), text, { today: TODAY });
  let current = text;
  for (let round = 1; round <= result.rounds; round++) {
    const edits = result.applied.filter((a) => a.round === round).flatMap((a) => a.edits);
    current = rebuild(current, edits, `${label}, round ${round}`);
  }
  assert.equal(result.text, current, `${label}: fixAll changed more than the fixes it lists`);
  return result.applied.length;
}

describe('no lost work', () => {
  for (const [variant, transform] of VARIANTS) {
    test(`every quick fix on every sample of every form (${variant}) changes exactly its edits`, () => {
      let fixes = 0;
      corpus.forEach((text, i) => (fixes += checkFixesOf(transform(text), `sample ${i}`)));
      assert.ok(fixes > 20, `quick fixes were checked (${fixes})`);
    });

    test(`fixAll on every sample of every form (${variant}) changes exactly the fixes it lists`, () => {
      let applied = 0;
      corpus.forEach((text, i) => (applied += checkFixAll(transform(text), `sample ${i}`)));
      assert.ok(applied > 10, `fixes were applied (${applied})`);
    });
  }

  test('on fuzzed texts: every quick fix and fixAll change exactly what they say', () => {
    let fixes = 0;
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, mutations) => {
        const text = mutations.reduce(applyMutation, base);
        fixes += checkFixesOf(text, 'fuzzed');
        checkFixAll(text, 'fuzzed');
      }),
      { numRuns: Number(process.env['ZT_FUZZ_RUNS'] ?? 120), seed: Number(process.env['ZT_FUZZ_SEED'] ?? 20261125) },
    );
    assert.ok(fixes > 0);
  });

  test('zorgtoets fix on disk: the file becomes the text plus the listed fixes, byte-order mark and CR LF kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-geen-verlies-'));
    const files = corpus.flatMap((text, i) =>
      VARIANTS.map(([variant, transform], v) => {
        const path = join(dir, `aanvraag-${i}-${v}.yaml`);
        writeFileSync(path, transform(text));
        return { path, variant, bytes: readFileSync(path) };
      }),
    );
    const reports = runFix(new Workspace({ lang: 'nl' }), files.map((f) => f.path), { today: TODAY, dryRun: false });
    let written = 0;
    for (const file of files) {
      const report = reports.find((r) => r.path === file.path);
      assert.ok(report, basename(file.path));
      const hasBom = file.bytes[0] === 0xef && file.bytes[1] === 0xbb && file.bytes[2] === 0xbf;
      const text = file.bytes.subarray(hasBom ? 3 : 0).toString('utf8');
      let expected = text;
      for (let round = 1; round <= Math.max(0, ...report.applied.map((a) => a.round)); round++) {
        expected = rebuild(expected, report.applied.filter((a) => a.round === round).flatMap((a) => a.edits), `${basename(file.path)}, round ${round}`);
      }
      const now = readFileSync(file.path);
      const want = Buffer.concat([hasBom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(expected, 'utf8')]);
      assert.ok(now.equals(want), `${basename(file.path)} (${file.variant}): the file holds exactly the listed fixes`);
      if (file.variant === 'CRLF + BOM') assert.ok(!/(^|[^\r])\n/.test(now.toString('utf8')), `${basename(file.path)}: no bare LF after fixing a CR LF file`);
      if (report.written) written++;
    }
    assert.ok(written > 5, `files were fixed (${written})`);
  });
});
