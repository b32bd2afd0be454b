import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { structuredPatch } from 'diff';
import { parse } from 'yaml';
import { applyTextEdits, Engine, fixAll, formatPath, type FixAllResult } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * `fixAll` (what `zorgtoets fix` and an editor's "fix all" apply) on every invalid sample: the text
 * outside the fixes stays byte-identical, the fixed findings are gone, nothing gets worse, and no
 * declaration is answered.
 */

const FORM = 'vgz/rho-regioplan';
const files = readdirSync(join(ROOT, 'samples', FORM)).filter((name) => name.startsWith('invalid-'));

/** Keys of declarations (schema properties with x-compliant) in every schema: the independent oracle. */
function declarationKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const properties = record['properties'];
    if (typeof properties === 'object' && properties !== null) {
      for (const [key, schema] of Object.entries(properties)) {
        if (typeof schema === 'object' && schema !== null && 'x-compliant' in schema) keys.add(key);
      }
    }
    Object.values(record).forEach(walk);
  };
  for (const insurer of readdirSync(join(ROOT, 'schemas'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    if (insurer === 'requirements') continue;
    for (const name of readdirSync(join(ROOT, 'schemas', insurer)).filter((n) => n.endsWith('.schema.json'))) {
      walk(JSON.parse(readFileSync(join(ROOT, 'schemas', insurer, name), 'utf8')));
    }
  }
  return keys;
}

/** Every [path, value] of boolean leaves under a declaration key. */
function answeredDeclarations(data: unknown, keys: Set<string>, path: (string | number)[] = [], out = new Map<string, boolean>()): Map<string, boolean> {
  if (Array.isArray(data)) data.forEach((item, i) => answeredDeclarations(item, keys, [...path, i], out));
  else if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data)) {
      if (keys.has(key) && typeof value === 'boolean') out.set(formatPath([...path, key]), value);
      answeredDeclarations(value, keys, [...path, key], out);
    }
  }
  return out;
}

const isQuestion = (message: string) => message.startsWith('Nog niet');

describe('fixAll on every invalid sample', () => {
  const declarations = declarationKeys();
  assert.ok(declarations.size > 20, 'the oracle finds the declarations');

  for (const file of files) {
    describe(file, () => {
      const text = sample(FORM, file);
      const outcome: FixAllResult = fixAll(engine(), text, { today: TODAY });

      test('replaying the applied edits round by round gives exactly the result: nothing else changed', () => {
        let replay = text;
        for (let round = 1; round <= outcome.rounds; round++) {
          replay = applyTextEdits(replay, outcome.applied.filter((a) => a.round === round).flatMap((a) => a.edits));
        }
        assert.equal(replay, outcome.text);
      });

      test('the diff touches only the lines of the first round of fixes, and adds only their text', () => {
        const first = applyTextEdits(text, outcome.applied.filter((a) => a.round === 1).flatMap((a) => a.edits));
        const touched = new Set(outcome.applied.filter((a) => a.round === 1).flatMap((a) => a.edits.flatMap((e) => range(e.range.start.line, e.range.end.line))));
        const pieces = outcome.applied.filter((a) => a.round === 1).flatMap((a) => a.edits.flatMap((e) => e.newText.split('\n').map((l) => l.trim()).filter(Boolean)));
        for (const hunk of structuredPatch('a', 'b', text, first).hunks) {
          let line = hunk.oldStart - 1;
          for (const row of hunk.lines) {
            if (row.startsWith('-')) assert.ok(touched.has(line), `removed line ${line + 1} was under a fix`);
            if (row.startsWith('+')) {
              const added = row.slice(1).trim();
              assert.ok(added === '' || pieces.some((piece) => added.includes(piece)), `added line "${added}" comes from a fix`);
            }
            if (!row.startsWith('+') && !row.startsWith('\\')) line++;
          }
        }
      });

      test('the fixed findings are gone (inserted questions stay asked), and nothing is reported more often', () => {
        const after = outcome.after.findings;
        for (const fix of outcome.applied) {
          const stillThere = after.filter((f) => f.id === fix.id && f.range.start.line === fix.line && !isQuestion(f.message));
          assert.deepEqual(stillThere.map((f) => f.message), [], `${fix.id} at line ${fix.line + 1} is fixed`);
        }
        const count = (findings: typeof after) => findings.filter((f) => !isQuestion(f.message)).length;
        if (outcome.applied.length > 0) assert.ok(count(after) < count(outcome.before.findings), `fewer findings outside the inserted questions: ${count(outcome.before.findings)} → ${count(after)}`);
        else assert.equal(outcome.text, text);
        const perId = (findings: typeof after) => {
          const map = new Map<string, number>();
          for (const f of findings.filter((x) => !isQuestion(x.message))) map.set(f.id, (map.get(f.id) ?? 0) + 1);
          return map;
        };
        const before = perId(outcome.before.findings);
        for (const [id, n] of perId(after)) assert.ok(n <= (before.get(id) ?? 0), `${id} is not reported more often (${before.get(id) ?? 0} → ${n})`);
      });

      test('no declaration is answered that the provider did not answer', () => {
        // Compared per path with list positions left out: a removed list item shifts the items after it.
        const counts = (answers: Map<string, boolean>) => {
          const map = new Map<string, number>();
          for (const [path, value] of answers) {
            const key = `${path.replace(/\[\d+\]/g, '[]')}=${value}`;
            map.set(key, (map.get(key) ?? 0) + 1);
          }
          return map;
        };
        const was = counts(answeredDeclarations(parse(text), declarations));
        const wasText = new Set([...text.matchAll(/^\s*([a-z0-9_]+):\s*["']?(ja|nee)["']?\s*(#.*)?$/gim)].map((m) => m[1]));
        for (const [answer, n] of counts(answeredDeclarations(parse(outcome.text), declarations))) {
          const key = answer.split('=')[0]?.split('.').pop()?.replace(/\[\]$/, '') ?? '';
          const renamedFrom = outcome.applied.some((a) => a.kind === 'rename-key' && a.edits.some((e) => e.newText === key));
          assert.ok(n <= (was.get(answer) ?? 0) || wasText.has(key) || renamedFrom, `${answer} (${n}×) was typed by the provider`);
        }
      });

      test('a second run finds nothing more to apply', () => {
        const again = fixAll(engine(), outcome.text, { today: TODAY });
        assert.deepEqual(again.applied, []);
        assert.equal(again.text, outcome.text);
      });
    });
  }

  test('the samples exercise every kind of safe fix', () => {
    const kinds = new Set(files.flatMap((file) => fixAll(engine(), sample(FORM, file), { today: TODAY }).applied.map((a) => a.kind)));
    assert.deepEqual([...kinds].sort(), ['boolean-literal', 'insert-section', 'remove-item', 'rename-key', 'replace-value']);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('what fixAll will not do', () => {
  test('a text with syntax errors is refused untouched', () => {
    const text = sample(FORM, 'invalid-verklaringen.yaml').replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Stichting Huisartsenzorg Lingestroom\n    fout: ingesprongen');
    const outcome = fixAll(engine(), text, { today: TODAY });
    assert.equal(outcome.refused, 'syntax');
    assert.equal(outcome.text, text);
    assert.deepEqual(outcome.applied, []);
  });

  test('a retired product whose successor is already requested is removed, not replaced by a duplicate', () => {
    const outcome = fixAll(engine(), sample(FORM, 'invalid-addenda.yaml'), { today: TODAY });
    assert.deepEqual(outcome.skipped, []);
    const retired = outcome.applied.filter((a) => a.id === 'VGZ-RHO-A2' || a.id === 'VGZ-RHO-A3').map((a) => `${a.id} ${a.kind}`);
    assert.deepEqual(retired, ['VGZ-RHO-A2 remove-item', 'VGZ-RHO-A3 remove-item']);
    assert.ok(!outcome.text.includes('  - Wijkmanagement\n'));
    assert.ok(!outcome.text.includes('  - Integrale keten DBC kwetsbare ouderen\n'));
    assert.equal(outcome.text.match(/^ {2}- naam: Praktijkmanagement regionaal$/gm)?.length, 1, 'the successor is listed once');
    assert.ok(outcome.text.includes('  - Digitaal meekijkconsult\n'), 'the did-you-mean next to it is applied');
  });

  test('a fix that would make a finding appear more often is left out and reported', () => {
    // A did-you-mean towards an addendum the plan already requests would list it twice (VGZ-RHO-A1).
    const text = sample(FORM).replace('  - Astma\n', '  - Astma\n  - Digitaal meekijkconsul\n');
    const outcome = fixAll(engine(), text, { today: TODAY });
    assert.deepEqual(outcome.skipped.map((s) => `${s.id} ${s.reason} ${s.ids?.join(',')}`), ['VGZ-RHO-A1 worse VGZ-RHO-A1']);
    assert.equal(outcome.text, text);
  });

  test('a finding explained under afwijkingen: keeps its text', () => {
    const text = `${sample(FORM, 'invalid-verklaringen.yaml')}\nafwijkingen:\n  - id: VGZ-ALG-13\n    toelichting: Het antwoord volgt uit het bestuursbesluit van 3 juni; zo aangeleverd op verzoek van de accountant.\n`;
    const outcome = fixAll(engine(), text, { today: TODAY });
    assert.ok(!outcome.applied.some((a) => a.id === 'VGZ-ALG-13'));
    assert.match(outcome.text, /informatie_afgelopen_3_jaar_beschikbaar: ja/);
  });

  test('a fix that would write true or false over a question is never applied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-answer-'));
    mkdirSync(join(dir, 'requirements'));
    mkdirSync(join(dir, 'vgz'));
    writeFileSync(join(dir, 'requirements', 'org.yaml'), 'insurer: mijn-org\nname: {nl: x, en: x}\npolicy: intern\nrequirements:\n  - id: ORG-A-01\n    severity: error\n    title: {nl: x, en: x}\n    source: intern\n    messages: {default: {nl: "beantwoord de Wtza-vraag", en: "answer the Wtza question"}}\n');
    writeFileSync(join(dir, 'vgz', 'rho-regioplan.rules.yaml'), "rules:\n  - id: ORG-A-01\n    assert: self.verklaringen.voldoet_aan_wtza != null\n    at: /verklaringen.voldoet_aan_wtza\n    fix: {kind: replace-value, value: 'true', title: did-you-mean}\n");
    const withAnswerFix = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: [new NodeDataFiles(dir)] });
    const text = sample(FORM).replace(/voldoet_aan_wtza: true /, 'voldoet_aan_wtza: null ');
    const finding = withAnswerFix.check(text, { today: TODAY }).findings.find((f) => f.id === 'ORG-A-01');
    assert.equal(finding?.fixes?.[0]?.edits[0]?.newText, 'true', 'the rule does offer the fix (the editor may show it)');
    const outcome = fixAll(withAnswerFix, text, { today: TODAY });
    assert.equal(outcome.text, text);
    assert.deepEqual(outcome.skipped.map((s) => `${s.id} ${s.reason}`), ['ORG-A-01 answer']);
  });

  test('a CRLF file stays CRLF, and an aligned comment keeps its column', () => {
    const lf = sample(FORM, 'invalid-verklaringen.yaml');
    const crlf = lf.replace(/\n/g, '\r\n');
    const fromLf = fixAll(engine(), lf, { today: TODAY }).text;
    const fromCrlf = fixAll(engine(), crlf, { today: TODAY }).text;
    assert.equal(fromCrlf, fromLf.replace(/\n/g, '\r\n'));
    const line = fromLf.split('\n').find((l) => l.includes('informatie_afgelopen_3_jaar_beschikbaar'));
    const before = lf.split('\n').find((l) => l.includes('informatie_afgelopen_3_jaar_beschikbaar'));
    assert.equal(line?.indexOf('#'), before?.indexOf('#'));
    assert.match(line ?? '', /: true +# ALG-13$/);
  });

  test('rounds are bounded', () => {
    const outcome = fixAll(engine(), sample(FORM, 'invalid-verklaringen.yaml'), { today: TODAY }, { maxRounds: 1 });
    assert.equal(outcome.rounds, 1);
    assert.ok(outcome.applied.every((a) => a.round === 1));
    assert.ok(outcome.after.findings.some((f) => f.id === 'VGZ-RHO-13' && formatPath(f.path).endsWith('kwaliteitsjaarverslag_document')), 'the skeleton waits for a later round');
  });
});
