import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { NodeDataFiles, textHash } from '../../server/src/node/node-data-files.js';
import { ROOT } from '../helpers/engine.js';

/** The build's parsed-data cache speeds up start-up and is never used for a file that changed. */

test('a cache entry is used only while the file has the text it was made from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-cache-'));
  writeFileSync(join(dir, 'a.yaml'), 'x: 1\n');
  const cacheFile = join(dir, 'cache.json');
  writeFileSync(cacheFile, JSON.stringify({ files: { 'a.yaml': { sha1: textHash('x: 1\n'), data: { x: 'from cache' } } } }));
  const files = new NodeDataFiles(dir, cacheFile);
  assert.deepEqual(files.readData('a.yaml', 'x: 1\n'), { x: 'from cache' });
  assert.equal(files.readData('a.yaml', 'x: 2\n'), undefined, 'an edited file is parsed afresh');
  assert.equal(files.readData('b.yaml', 'y: 1\n'), undefined);
});

test('a damaged cache is ignored, not fatal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-cache-'));
  writeFileSync(join(dir, 'cache.json'), '{"files": ');
  assert.equal(new NodeDataFiles(dir, join(dir, 'cache.json')).readData('a.yaml', 'x: 1\n'), undefined);
});

test('the cache the build wrote holds the same data as parsing the catalogue', () => {
  const files = new NodeDataFiles(join(ROOT, 'schemas'), join(ROOT, 'dist', 'data-cache.json'));
  const text = files.read('requirements/vgz.yaml');
  assert.deepEqual(files.readData('requirements/vgz.yaml', text), parse(text));
});

test('a schema counts as vetted only with the text the build vetted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zt-cache-'));
  const cacheFile = join(dir, 'cache.json');
  const files = { 'a.schema.json': { sha1: textHash('{}'), data: {}, vetted: true }, 'b.schema.json': { sha1: textHash('{"type":"object"}'), data: { type: 'object' } } };
  writeFileSync(cacheFile, JSON.stringify({ files }));
  const data = new NodeDataFiles(dir, cacheFile);
  assert.equal(data.vettedSchema('a.schema.json', '{}'), true);
  assert.equal(data.vettedSchema('a.schema.json', '{ }'), false, 'an edited schema is checked again');
  assert.equal(data.vettedSchema('b.schema.json', '{"type":"object"}'), false, 'not vetted by the build');
  assert.equal(data.vettedSchema('c.schema.json', '{}'), false, 'not in the cache');
});

test('the build vetted every JSON Schema the product ships', () => {
  const files = new NodeDataFiles(join(ROOT, 'schemas'), join(ROOT, 'dist', 'data-cache.json'));
  const schemas = files.folders('').flatMap((folder) => files.list(folder).filter((name) => name.endsWith('.schema.json')).map((name) => `${folder}/${name}`));
  assert.ok(schemas.length >= 7, `found ${schemas.length} schemas`);
  const notVetted = schemas.filter((path) => !files.vettedSchema(path, files.read(path)));
  assert.deepEqual(notVetted, [], 'each shipped schema passes the 2020-12 meta-schema at build time');
});
