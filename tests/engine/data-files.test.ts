import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataFileError, Engine } from '../../server/src/engine/index.js';
import { ROOT, TODAY } from '../helpers/engine.js';
import { productFilesWith } from '../helpers/memory-files.js';

/** A broken data file is a clear error naming the file and the field, never a crash later. */


const catalogue = readFileSync(join(ROOT, 'schemas/requirements/vgz.yaml'), 'utf8');
const rules = readFileSync(join(ROOT, 'schemas/vgz/rho-regioplan.rules.yaml'), 'utf8');

function loadError(overrides: Record<string, string>, use = false): DataFileError {
  try {
    const engine = new Engine({ files: productFilesWith(overrides) });
    if (use) engine.loadAll();
  } catch (error) {
    assert.ok(error instanceof DataFileError, `a DataFileError, not ${String(error)}`);
    return error;
  }
  assert.fail('loading succeeded');
}

test('a catalogue entry without an English title names file and field', () => {
  const error = loadError({ 'requirements/vgz.yaml': catalogue.replace('en: "Complies with the NZa transparency regulation for providers"', 'xx: "x"') });
  assert.equal(error.file, 'requirements/vgz.yaml');
  assert.match(error.field, /VGZ-ALG-02\)\.title/);
});

test('a catalogue file that is not YAML names the file', () => {
  const error = loadError({ 'requirements/vgz.yaml': 'requirements: [\n' });
  assert.equal(error.file, 'requirements/vgz.yaml');
  assert.match(error.problem, /geen geldige YAML/);
});

test('a rule with a broken CEL expression names file and rule', () => {
  const error = loadError({ 'vgz/rho-regioplan.rules.yaml': rules.replace('assert: self.regio.aantal_ingeschreven_patienten >= 100000', 'assert: self.regio.aantal_ingeschreven_patienten >= ') }, true);
  assert.equal(error.file, 'vgz/rho-regioplan.rules.yaml');
  assert.match(error.field, /VGZ-RHO-04a\)\.assert/);
});

test('a rule naming an unknown requirement ID is refused', () => {
  const error = loadError({ 'vgz/rho-regioplan.rules.yaml': rules.replace('  - id: VGZ-RHO-01\n', '  - id: VGZ-RHO-99\n') }, true);
  assert.match(error.message, /VGZ-RHO-99/);
});

test('a schema naming an unknown requirement ID is refused', () => {
  const schema = readFileSync(join(ROOT, 'schemas/vgz/rho-regioplan.schema.json'), 'utf8').replace('"x-requirement": "VGZ-RHO-03"', '"x-requirement": "VGZ-RHO-3"');
  const error = loadError({ 'vgz/rho-regioplan.schema.json': schema }, true);
  assert.match(error.message, /VGZ-RHO-3/);
});

// A meta-schema violation ajv still compiles: only the meta-schema check can find it.
const metaInvalid = readFileSync(join(ROOT, 'schemas/vgz/rho-regioplan.schema.json'), 'utf8').replace('"type": "object"', '"type": "object", "minProperties": -1');

test('a form schema that breaks the JSON Schema meta-schema is refused, naming the file', () => {
  assert.notEqual(metaInvalid, readFileSync(join(ROOT, 'schemas/vgz/rho-regioplan.schema.json'), 'utf8'), 'the test edit applies');
  const error = loadError({ 'vgz/rho-regioplan.schema.json': metaInvalid }, true);
  assert.equal(error.file, 'vgz/rho-regioplan.schema.json');
  assert.match(error.problem, /ongeldig JSON Schema: .*minProperties/);
});

test('a schema the build vetted against the meta-schema is not checked against it again', () => {
  // The data files say this very text was vetted, so the engine trusts that and compiles it:
  // what makes start-up cheaper; the test above shows the check runs for any text not vetted.
  const files = productFilesWith({ 'vgz/rho-regioplan.schema.json': metaInvalid });
  const vetted = { ...files, vettedSchema: (path: string, text: string) => path === 'vgz/rho-regioplan.schema.json' && text === metaInvalid };
  const engine = new Engine({ files: vetted });
  assert.doesNotThrow(() => engine.loadAll(), 'compiled without the meta-schema check');
});

test('a message whose placeholders differ between nl and en is refused', () => {
  const error = loadError({ 'requirements/vgz.yaml': catalogue.replace('({gemandateerd} of {huisartsen} GPs', '({gemandateerden} of {huisartsen} GPs') });
  assert.match(error.field, /VGZ-RHO-04c\.messages\.default/);
});

test('broken form data met on first use becomes one ZT-INTERNAL finding, not a crash', () => {
  const engine = new Engine({ files: productFilesWith({ 'vgz/rho-regioplan.rules.yaml': 'rules: [{id: VGZ-RHO-01}]\n' }) });
  const text = readFileSync(join(ROOT, 'samples/vgz/rho-regioplan/valid.yaml'), 'utf8');
  const result = engine.check(text, { today: TODAY });
  assert.deepEqual(result.findings.map((f) => f.id), ['ZT-INTERNAL']);
  assert.match(result.findings[0]?.message ?? '', /rho-regioplan\.rules\.yaml/);
  assert.ok(result.internalError);
});
