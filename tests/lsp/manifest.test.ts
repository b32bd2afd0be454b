import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/engine.js';

/** The extension manifest: every %key% and every runtime UI string has its texts, in both languages. */

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');

test('every %key% in package.json has an English and a Dutch text, and no text is unused', () => {
  const keys = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''));
  for (const file of ['package.nls.json', 'package.nls.nl.json']) {
    const texts = read(file);
    assert.deepEqual(Object.keys(texts).sort(), [...keys].sort(), file);
  }
});

test('every vscode.l10n.t string of the client has a Dutch translation', () => {
  const sources = readdirSync(join(ROOT, 'client', 'src')).map((name) => readFileSync(join(ROOT, 'client', 'src', name), 'utf8'));
  const strings = new Set(sources.flatMap((source) => [...source.matchAll(/l10n\.t\('([^']*)'/g)].map((m) => m[1] ?? '')));
  assert.ok(strings.size > 3);
  assert.deepEqual(Object.keys(read('l10n/bundle.l10n.nl.json')).sort(), [...strings].sort());
});

test('commands sit under the category "zorgtoets" and the manifest declares its workspace support', () => {
  const pkg = read('package.json') as {
    main: string;
    contributes: { commands: { category: string }[]; configuration: { properties: Record<string, unknown> } };
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    engines: { vscode: string };
  };
  assert.equal(pkg.main, './dist/extension.cjs');
  assert.equal(pkg.engines.vscode, '^1.99.0');
  assert.ok(pkg.contributes.commands.every((c) => c.category === 'zorgtoets'));
  assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), ['zorgtoets.extraSchemaFolders', 'zorgtoets.peildatum', 'zorgtoets.taal', 'zorgtoets.trace.server']);
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['zorgtoets.extraSchemaFolders']);
});
