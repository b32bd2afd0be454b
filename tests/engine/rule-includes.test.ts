import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataFileError, Engine, type DataFiles, type Finding } from '../../server/src/engine/index.js';
import { cents } from '../../server/src/engine/cel-env.js';
import { ROOT, TODAY } from '../helpers/engine.js';
import { filesFromMap } from '../helpers/memory-files.js';

/**
 * Rule-file includes: a block's rules written once (with `self` = the block) and applied wherever
 * the block occurs, optionally reported under another requirement (`report_as`), with the schema
 * findings inside the block relabelled the same way. Tested on a toy form so the mechanism is
 * pinned down independently of any insurer's data.
 */

const CATALOGUE = `
insurer: toy
name: {nl: Toy, en: Toy}
policy: toy.txt
requirements:
  - id: TOY-BLK-01
    severity: error
    title: {nl: "Waarde minstens 10", en: "Value at least 10"}
    source: Blok
    messages:
      default: {nl: "Waarde {waarde} is lager dan 10 (jaar {jaar})", en: "Value {waarde} is below 10 (year {jaar})"}
    examples: []
  - id: TOY-BLK-02
    severity: warning
    title: {nl: "Akkoord", en: "Agreed"}
    source: Blok
    messages:
      default: {nl: "Niet akkoord", en: "Not agreed"}
  - id: TOY-WRAP
    severity: [error, warning]
    title: {nl: "Leden voldoen aan het blok", en: "Members meet the block"}
    source: Leden
    messages:
      default: {nl: "Een lid voldoet niet", en: "A member fails"}
      lid: {nl: "{naam}: {onderliggend} — {melding}", en: "{naam}: {onderliggend} — {melding}"}
`;

const BLOCK_RULES = `
rules:
  - id: TOY-BLK-01
    when: "kind(self.waarde) == 'number'"
    assert: self.waarde >= 10
    at: waarde
    params: {waarde: self.waarde, jaar: root.jaar}
`;

const FORM_RULES = `
include:
  - file: blok.rules.yaml
    for: eigen
    when: "self.soort == 'a'"
  - file: blok.rules.yaml
    for: leden[*].blok
    report_as: {id: TOY-WRAP, message: lid, params: {naam: item0.naam}}
rules: []
`;

const BLOCK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    waarde: { type: 'number' },
    akkoord: { type: ['boolean', 'null'], 'x-requirement': 'TOY-BLK-02', 'x-compliant': true },
  },
};

const SCHEMA = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://zorgtoets.nl/schemas/toy/form.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    formulier: { const: 'toy/form' },
    contractjaar: { type: 'integer' },
    jaar: { type: 'integer' },
    soort: { type: 'string' },
    eigen: { $ref: '#/$defs/blok' },
    leden: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { naam: { type: 'string' }, blok: { $ref: '#/$defs/blok' } } } },
  },
  $defs: { blok: BLOCK_SCHEMA },
});

const MANIFEST = `
form: toy/form
title: {nl: Toy, en: Toy}
short: {nl: Toy, en: Toy}
years:
  "2027": {schema: form.schema.json, rules: [form.rules.yaml], template: form.template.yaml}
`;

function toyFiles(overrides: Record<string, string> = {}): DataFiles {
  const files = new Map<string, string>([
    ['requirements/zorgtoets.yaml', readFileSync(join(ROOT, 'schemas/requirements/zorgtoets.yaml'), 'utf8')],
    ['requirements/toy.yaml', CATALOGUE],
    ['toy/form.form.yaml', MANIFEST],
    ['toy/form.schema.json', SCHEMA],
    ['toy/form.rules.yaml', FORM_RULES],
    ['toy/blok.rules.yaml', BLOCK_RULES],
    ['toy/form.template.yaml', 'formulier: toy/form\ncontractjaar: 2027\n'],
    ...Object.entries(overrides),
  ]);
  return filesFromMap(files);
}

const SUBMISSION = `formulier: toy/form
contractjaar: 2027
jaar: 2031
soort: a
eigen:
  waarde: 4
leden:
  - naam: Anna
    blok:
      waarde: 12
      akkoord: true
  - naam: Bram
    blok:
      waarde: 3
      akkoord: false
      kleur: rood
`;

function run(text = SUBMISSION, files = toyFiles(), lang: 'nl' | 'en' = 'nl'): Finding[] {
  const result = new Engine({ files }).check(text, { today: TODAY, strict: true, lang });
  assert.deepEqual(result.problems, [], 'no rule evaluation problems');
  return result.findings;
}

const show = (f: Finding) => `${f.id}${f.underlying ? `/${f.underlying}` : ''}@${f.path.join('.')}`;

describe('rule-file includes', () => {
  test('an included block sees itself as self, the submission as root, and reports under its own path', () => {
    const own = run().find((f) => f.id === 'TOY-BLK-01');
    assert.ok(own, 'the plain include fires');
    assert.deepEqual(own.path, ['eigen', 'waarde']);
    assert.equal(own.message, 'Waarde 4 is lager dan 10 (jaar 2031)');
    assert.equal(own.range.start.line, 5, 'the range is that of eigen.waarde');
    assert.equal(own.underlying, undefined);
  });

  test("the include's when gates it on the including file's self", () => {
    const findings = run(SUBMISSION.replace('soort: a', 'soort: b'));
    assert.equal(findings.filter((f) => f.id === 'TOY-BLK-01').length, 0);
  });

  test('report_as relabels the block rules per item, naming the item and the underlying ID', () => {
    const wrapped = run().filter((f) => f.id === 'TOY-WRAP');
    const rule = wrapped.find((f) => f.underlying === 'TOY-BLK-01');
    assert.ok(rule, wrapped.map(show).join(', '));
    assert.deepEqual(rule.path, ['leden', 1, 'blok', 'waarde']);
    assert.equal(rule.message, 'Bram: TOY-BLK-01 — Waarde 3 is lager dan 10 (jaar 2031)');
    assert.equal(rule.severity, 'error');
    assert.ok(!wrapped.some((f) => f.path[1] === 0), 'Anna meets the block: nothing reported for her');
  });

  test('schema findings inside the block are relabelled too, keeping the underlying severity', () => {
    const findings = run();
    const schema = findings.find((f) => f.id === 'TOY-WRAP' && f.underlying === 'TOY-BLK-02');
    assert.ok(schema, findings.map(show).join(', '));
    assert.deepEqual(schema.path, ['leden', 1, 'blok', 'akkoord']);
    assert.equal(schema.severity, 'warning', 'TOY-BLK-02 is a warning, so the relabelled finding is one');
    assert.equal(schema.message, 'Bram: TOY-BLK-02 — Niet akkoord');
    assert.ok(!findings.some((f) => f.id === 'TOY-BLK-02'), 'never reported under its own ID inside the block');
  });

  test("the product's own checks are never relabelled", () => {
    const key = run().find((f) => f.id === 'ZT-KEY');
    assert.ok(key);
    assert.deepEqual(key.path, ['leden', 1, 'blok', 'kleur']);
    assert.equal(key.underlying, undefined);
  });

  test('report_as ids limit which IDs are relabelled', () => {
    const files = toyFiles({ 'toy/form.rules.yaml': FORM_RULES.replace('params: {naam: item0.naam}}', 'params: {naam: item0.naam}, ids: [TOY-BLK-01]}') });
    const findings = run(SUBMISSION, files);
    assert.ok(findings.some((f) => f.id === 'TOY-WRAP' && f.underlying === 'TOY-BLK-01'));
    assert.ok(findings.some((f) => f.id === 'TOY-BLK-02' && f.path.join('.') === 'leden.1.blok.akkoord'), findings.map(show).join(', '));
  });

  test('messages of relabelled findings are localized as a whole', () => {
    const rule = run(SUBMISSION, toyFiles(), 'en').find((f) => f.underlying === 'TOY-BLK-01');
    assert.equal(rule?.message, 'Bram: TOY-BLK-01 — Value 3 is below 10 (year 2031)');
  });

  test('the registry knows the IDs an include reports under', () => {
    const engine = new Engine({ files: toyFiles() });
    const version = engine.forms.version('toy/form', 2027);
    assert.ok(version);
    const ids = engine.forms.requirementIds(version);
    for (const id of ['TOY-WRAP', 'TOY-BLK-01', 'TOY-BLK-02']) assert.ok(ids.includes(id), id);
  });

  test('a block that is not a mapping is left to the schema', () => {
    const findings = run(SUBMISSION.replace('  - naam: Bram\n    blok:\n      waarde: 3\n      akkoord: false\n      kleur: rood\n', '  - naam: Bram\n    blok: geen\n'));
    assert.deepEqual(findings.filter((f) => f.id === 'TOY-WRAP').map(show), []);
    assert.ok(findings.some((f) => f.id === 'ZT-TYPE' && f.path.join('.') === 'leden.1.blok'));
  });
});

describe('broken includes are refused with file and field', () => {
  function loadError(overrides: Record<string, string>): DataFileError {
    try {
      new Engine({ files: toyFiles(overrides) }).loadAll();
    } catch (error) {
      assert.ok(error instanceof DataFileError, String(error));
      return error;
    }
    assert.fail('loading succeeded');
  }

  test('a missing file', () => {
    const error = loadError({ 'toy/form.rules.yaml': FORM_RULES.replace('file: blok.rules.yaml\n    for: eigen', 'file: blokk.rules.yaml\n    for: eigen') });
    assert.equal(error.file, 'toy/form.rules.yaml');
    assert.match(error.field, /include\[0\]\.file/);
    assert.match(error.problem, /toy\/blokk\.rules\.yaml/);
  });

  test('a cycle', () => {
    const error = loadError({ 'toy/blok.rules.yaml': `include: [{file: form.rules.yaml}]\n${BLOCK_RULES}` });
    assert.match(error.problem, /kringverwijzing: .*form\.rules\.yaml → .*blok\.rules\.yaml → .*form\.rules\.yaml/);
  });

  test('report_as on two levels of nesting', () => {
    const error = loadError({
      'toy/blok.rules.yaml': `include: [{file: diep.rules.yaml, for: sub, report_as: {id: TOY-WRAP}}]\n${BLOCK_RULES}`,
      'toy/diep.rules.yaml': 'rules: []\n',
    });
    assert.match(error.problem, /report_as op meer dan één niveau/);
  });

  test('a broken for pattern or CEL expression', () => {
    assert.match(loadError({ 'toy/form.rules.yaml': FORM_RULES.replace('for: eigen', 'for: "eigen[x"') }).field, /include\[0\]\.for/);
    assert.match(loadError({ 'toy/form.rules.yaml': FORM_RULES.replace("when: \"self.soort == 'a'\"", 'when: "self.soort =="') }).field, /include\[0\]\.when/);
  });
});

test('cents: whole cents, half away from zero, also where binary fractions fall short', () => {
  assert.equal(cents(1320), 132000);
  assert.equal(cents(1320.0), cents(1320));
  assert.equal(cents(0.285), 29, '0.285 × 100 is 28.4999… in binary');
  assert.equal(cents(-0.285), -29);
  assert.equal(cents(64.5), 6450);
  assert.equal(cents(1950275.004), 195027500);
  assert.ok(Number.isNaN(cents(Number.NaN)));
});
