import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { ROOT, sample } from '../helpers/engine.js';
import { LspClient } from '../helpers/lsp-client.js';

/**
 * `.zorgtoets.yaml` in the language server, as in the CLI: the file nearest to each document
 * decides the language, the peildatum, the extra rules and their severities; an explicit editor
 * setting for the language wins; a change to the file (reported by the client's file watcher)
 * applies at once to the open documents; a broken file is one visible error naming file and field.
 */

const FORM = 'vgz/rho-regioplan';
const MANDATE = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));

function workspace(config: string): { dir: string; uri: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'zt-config-lsp-'));
  mkdirSync(join(dir, '.git'));
  cpSync(join(ROOT, 'tests', 'fixtures', 'org-regels'), join(dir, 'regels'), { recursive: true });
  writeFileSync(join(dir, '.zorgtoets.yaml'), config);
  return { dir, uri: (name) => pathToFileURL(join(dir, name)).href };
}

async function withServer(folder: string, options: Record<string, unknown>, run: (client: LspClient) => Promise<void>): Promise<void> {
  const client = new LspClient();
  try {
    await client.initialize({ debounceMs: 0, ...options }, null, [pathToFileURL(folder).href]);
    await run(client);
  } finally {
    assert.equal(await client.shutdown(), 0, client.log);
  }
}

describe('.zorgtoets.yaml in the language server', () => {
  test('language, extra rules and severity overrides come from the file next to the document', async () => {
    const { dir, uri } = workspace('taal: en\nextra_regels: [regels]\nernst:\n  ORG-LS-02: info\n');
    await withServer(dir, {}, async (client) => {
      const text = MANDATE.replace('m.verbeek@hz-lingestroom.nl', 'm.verbeek@example.org');
      await client.open(uri('plan.yaml'), text);
      const publish = await client.waitForVersion(uri('plan.yaml'), 1);
      assert.ok(publish.diagnostics.some((d) => /^Mandate 71\.9%/.test(messageOf(d))), 'English from the file');
      assert.equal(publish.diagnostics.find((d) => d.code === 'ORG-LS-01')?.severity, 1, 'the extra rules run');
      assert.equal(publish.diagnostics.find((d) => d.code === 'ORG-LS-02')?.severity, 3, 'the override applies');
    });
  });

  test('an explicit editor setting for the language wins over the file', async () => {
    const { dir, uri } = workspace('taal: en\n');
    await withServer(dir, { taal: 'nl' }, async (client) => {
      await client.open(uri('plan.yaml'), MANDATE);
      const publish = await client.waitForVersion(uri('plan.yaml'), 1);
      assert.ok(publish.diagnostics.some((d) => /^Mandaat 71,9%/.test(messageOf(d))));
    });
  });

  test('the peildatum of the file judges deadlines of a file without ingediend_op', async () => {
    const { dir, uri } = workspace('peildatum: 2025-12-01\n');
    await withServer(dir, {}, async (client) => {
      const undated = sample(FORM).replace(/^ingediend_op:.*\n/m, '');
      await client.open(uri('plan.yaml'), undated);
      const publish = await client.waitForVersion(uri('plan.yaml'), 1);
      assert.deepEqual(
        publish.diagnostics.map((d) => `${String(d.code)} ${messageOf(d)}`),
        ['VGZ-RHO-P1 Ingediend 1 december 2025 (peildatum, want ingediend_op ontbreekt), na de deadline van 15 juli 2025; de RHO had in 2025 een overeenkomst met VGZ; te laat of onvolledig kan tot afwijzing leiden'],
      );
    });
  });

  test('a changed file applies at once to the open documents (file watcher)', async () => {
    const { dir, uri } = workspace('taal: nl\n');
    await withServer(dir, {}, async (client) => {
      await client.open(uri('plan.yaml'), MANDATE);
      assert.ok((await client.waitForVersion(uri('plan.yaml'), 1)).diagnostics.some((d) => /^Mandaat /.test(messageOf(d))));
      const from = client.publishes.length;
      writeFileSync(join(dir, '.zorgtoets.yaml'), 'taal: en\nextra_regels: [regels]\n');
      await client.fileChanged(uri('.zorgtoets.yaml'));
      const english = await client.waitForDiagnostics(uri('plan.yaml'), (p) => p.diagnostics.some((d) => /^Mandate /.test(messageOf(d))), { from });
      assert.ok(english.diagnostics.some((d) => d.code === 'ORG-LS-02'), 'the extra rules of the new file run');
    });
  });

  test('a change in an extra rule folder reloads the rules', async () => {
    const { dir, uri } = workspace('extra_regels: [regels]\n');
    await withServer(dir, {}, async (client) => {
      await client.open(uri('plan.yaml'), MANDATE);
      assert.ok((await client.waitForVersion(uri('plan.yaml'), 1)).diagnostics.some((d) => d.code === 'ORG-LS-02'));
      const from = client.publishes.length;
      writeFileSync(join(dir, 'regels', 'vgz', 'rho-regioplan.rules.yaml'), 'rules:\n  - id: ORG-LS-01\n    assert: "false"\n    at: organisatie.naam\n    params: {email: "\'x\'"}\n');
      await client.fileChanged(uri('regels/vgz/rho-regioplan.rules.yaml'));
      const after = await client.waitForDiagnostics(uri('plan.yaml'), (p) => !p.diagnostics.some((d) => d.code === 'ORG-LS-02'), { from });
      assert.ok(after.diagnostics.some((d) => d.code === 'ORG-LS-01'));
    });
  });

  test('an untrusted workspace: the extra rules of its .zorgtoets.yaml do not run (the rest of the file applies)', async () => {
    const { dir, uri } = workspace('taal: en\nextra_regels: [regels]\nernst:\n  ORG-LS-02: info\n');
    await withServer(dir, { workspaceTrusted: false }, async (client) => {
      await client.open(uri('plan.yaml'), MANDATE.replace('m.verbeek@hz-lingestroom.nl', 'm.verbeek@example.org'));
      const publish = await client.waitForVersion(uri('plan.yaml'), 1);
      assert.deepEqual(publish.diagnostics.filter((d) => String(d.code).startsWith('ORG-')), []);
      assert.ok(publish.diagnostics.some((d) => /^Mandate 71\.9%/.test(messageOf(d))), 'the language still comes from the file');
      assert.match(client.log, /niet-vertrouwde werkruimte: extra_regels uit .*\.zorgtoets\.yaml worden niet gebruikt/);
    });
  });

  test('a broken file: one error naming the file and the field, as the CLI refuses it', async () => {
    const { dir, uri } = workspace('taal: fr\n');
    await withServer(dir, {}, async (client) => {
      await client.open(uri('plan.yaml'), MANDATE);
      const publish = await client.waitForDiagnostics(uri('plan.yaml'));
      assert.equal(publish.diagnostics.length, 1);
      assert.equal(publish.diagnostics[0]?.code, 'ZT-INTERNAL');
      assert.match(messageOf(publish.diagnostics[0]), /\.zorgtoets\.yaml: taal: moet nl of en zijn/);
      const from = client.publishes.length;
      writeFileSync(join(dir, '.zorgtoets.yaml'), 'taal: nl\n');
      await client.fileChanged(uri('.zorgtoets.yaml'));
      await client.waitForDiagnostics(uri('plan.yaml'), (p) => p.diagnostics.some((d) => d.code === 'VGZ-RHO-04c'), { from });
    });
  });
});
