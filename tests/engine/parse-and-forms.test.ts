import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { check, engine, ids, ROOT, sample, TODAY } from '../helpers/engine.js';
import { join } from 'node:path';

const VALID = sample('vgz/rho-regioplan');

describe('parsing', () => {
  test('a syntax error is a finding with its range, not an exception', () => {
    const text = VALID.replace('  naam: Lingestroom\n', '  naam: "Lingestroom\n');
    const findings = check(text);
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.id === 'ZT-YAML'), ids(findings).join());
    const line = text.split('\n').findIndex((l) => l.includes('naam: "Lingestroom'));
    assert.ok(findings.some((f) => f.range.start.line >= line), 'reported at or after the broken line');
  });

  test('duplicate keys are reported at the second key', () => {
    const text = VALID.replace('contractjaar: 2026', 'contractjaar: 2026\ncontractjaar: 2026');
    const findings = check(text);
    const duplicate = findings.find((f) => f.id === 'ZT-YAML');
    assert.ok(duplicate);
    assert.equal(duplicate.range.start.line, text.split('\n').findIndex((l) => l.startsWith('contractjaar')) + 1);
    assert.match(duplicate.message, /twee keer/);
  });

  test('an alias bomb is refused with one ZT-LIMIT finding', () => {
    const bomb = ['formulier: vgz/rho-regioplan', 'contractjaar: 2026', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) {
      bomb.push(`${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    const started = performance.now();
    const findings = check(bomb.join('\n'));
    assert.ok(performance.now() - started < 5000, 'bounded time');
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.match(findings[0]?.message ?? '', /alias/);
  });

  test('a file over the size limit is refused before parsing, with one finding', () => {
    const small = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), limits: { maxChars: 1000 } });
    const findings = small.check(VALID, { today: TODAY }).findings;
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.match(findings[0]?.message ?? '', /te groot/);
  });

  test('a file over the size limit without formulier: near its start is not ours', () => {
    const small = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), limits: { maxChars: 10 } });
    assert.equal(small.check('a: 1\nb: 2\nc: 3\n', { today: TODAY }).ours, false);
  });

  test('10,000-deep nesting gives one ZT-LIMIT finding', () => {
    const text = `formulier: vgz/rho-regioplan\ncontractjaar: 2026\nx: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const findings = check(text);
    assert.equal(findings.filter((f) => f.id === 'ZT-LIMIT').length, 1);
  });

  test('a very long line gives one ZT-LIMIT finding', () => {
    const text = `formulier: vgz/rho-regioplan\ncontractjaar: 2026\nx: ${'a'.repeat(70000)}\n`;
    const findings = check(text);
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.equal(findings[0]?.range.start.line, 2);
  });

  test('several documents in one file: one finding, the first document is still checked', () => {
    const text = `${VALID}---\nformulier: vgz/rho-regioplan\n---\nx: 1\n`;
    const findings = check(text);
    assert.deepEqual(ids(findings), ['ZT-LIMIT']);
    assert.match(findings[0]?.message ?? '', /3 YAML-documenten/);
  });

  test('a byte-order mark and CRLF line ends do not shift ranges', () => {
    const crlf = `\uFEFF${VALID.replace(/\n/g, '\r\n')}`.replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
    const finding = check(crlf).find((f) => f.id === 'VGZ-RHO-04c');
    assert.ok(finding);
    const lines = crlf.split('\r\n');
    const line = lines.findIndex((l) => l.includes('aantal_huisartsen_in_regio: 70'));
    assert.equal(finding.range.start.line, line);
    assert.equal(finding.range.start.character, (lines[line] ?? '').indexOf('70'));
    assert.equal(finding.range.end.character, (lines[line] ?? '').indexOf('70') + 2);
  });
});

describe('forms registry', () => {
  test('a YAML file without formulier: is not ours: no findings at all', () => {
    const result = engine().check('naam: iets anders\nlijst: [1, 2\n', { today: TODAY });
    assert.equal(result.ours, false);
    assert.deepEqual(result.findings, []);
  });

  test('named explicitly, a file without formulier: gets ZT-FORM listing the known forms', () => {
    const findings = check('naam: iets\n', { explicit: true });
    assert.deepEqual(ids(findings), ['ZT-FORM']);
    assert.match(findings[0]?.message ?? '', /vgz\/rho-regioplan/);
  });

  test('an unknown form gets one ZT-FORM with a did-you-mean fix', () => {
    const text = VALID.replace('formulier: vgz/rho-regioplan', 'formulier: vgz/rho-regio');
    const findings = check(text);
    assert.deepEqual(ids(findings), ['ZT-FORM']);
    assert.match(findings[0]?.message ?? '', /bedoelt u vgz\/rho-regioplan/);
    const edit = findings[0]?.fixes?.[0]?.edits[0];
    assert.equal(edit?.newText, 'vgz/rho-regioplan');
  });

  test('an unsupported or missing contractjaar gets one ZT-YEAR listing the supported years', () => {
    const wrong = check(VALID.replace('contractjaar: 2026 ', 'contractjaar: 2024 '));
    assert.deepEqual(ids(wrong), ['ZT-YEAR']);
    assert.match(wrong[0]?.message ?? '', /2024.*2026/);
    const missing = check(VALID.replace(/^contractjaar: 2026.*\n/m, ''));
    assert.deepEqual(ids(missing), ['ZT-YEAR']);
    assert.match(missing[0]?.message ?? '', /ontbreekt/);
  });

  test('the valid sample of every form passes with zero findings', () => {
    for (const form of engine().forms.formIds()) {
      const result = engine().check(sample(form), { today: TODAY, strict: true });
      assert.deepEqual(result.findings.map((f) => `${f.id} ${f.message}`), [], form);
    }
  });

  test('messages switch to English', () => {
    const findings = check(VALID.replace('contractjaar: 2026 ', 'contractjaar: 2024 '), { lang: 'en' });
    assert.match(findings[0]?.message ?? '', /is not supported/);
  });

  test('unfilled placeholders of a value are never left in a message', () => {
    const text = VALID.replace('  aantal_ingeschreven_patienten: 112000', '  aantal_ingeschreven_patienten: "112.000"');
    const finding = check(text).find((f) => f.path.join('.') === 'regio.aantal_ingeschreven_patienten');
    assert.ok(finding);
    assert.match(finding.message, /schrijf 112000/);
    assert.equal(finding.fixes?.[0]?.edits[0]?.newText, '112000');
  });
});
