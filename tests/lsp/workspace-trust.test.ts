import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { effectiveSettings } from '../../server/src/lsp/settings.js';
import { Workspace } from '../../server/src/node/workspace.js';
import { ROOT, sample, TODAY } from '../helpers/engine.js';
import { LspClient } from '../helpers/lsp-client.js';

/**
 * Untrusted workspaces: the server itself (not only the VS Code client) loads no extra rule
 * folders while the workspace is not trusted — from settings or from a `.zorgtoets.yaml` — and
 * starts using them once trust is granted.
 */

const ORG = join(ROOT, 'tests', 'fixtures', 'org-regels');
const privateMail = sample('vgz/rho-regioplan').replace('m.verbeek@hz-lingestroom.nl', 'marjolein@gmail.com');

describe('the server in an untrusted workspace', () => {
  test('settings: extra folders are dropped when workspaceTrusted is false, whatever the client sends', () => {
    assert.deepEqual(effectiveSettings({ extraSchemaFolders: [ORG], workspaceTrusted: false }, undefined, null).extraFolders, []);
    assert.deepEqual(effectiveSettings({ workspaceTrusted: false }, { extraSchemaFolders: [ORG] }, null).extraFolders, [], 'also from the pulled configuration');
    assert.deepEqual(effectiveSettings({ extraSchemaFolders: [ORG] }, undefined, null).extraFolders, [ORG], 'a client that says nothing is taken as trusted');
    assert.deepEqual(effectiveSettings({ workspaceTrusted: false }, { extraSchemaFolders: [ORG], workspaceTrusted: true }, null).extraFolders, [ORG], 'trust granted later');
  });

  test('a .zorgtoets.yaml with extra_regels and ernst: ignored by an untrusted Workspace, used by a trusted one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-trust-'));
    mkdirSync(join(dir, 'regels', 'requirements'), { recursive: true });
    mkdirSync(join(dir, 'regels', 'vgz'), { recursive: true });
    copyFileSync(join(ORG, 'requirements', 'lingestroom.yaml'), join(dir, 'regels', 'requirements', 'lingestroom.yaml'));
    copyFileSync(join(ORG, 'vgz', 'rho-regioplan.rules.yaml'), join(dir, 'regels', 'vgz', 'rho-regioplan.rules.yaml'));
    writeFileSync(join(dir, '.zorgtoets.yaml'), 'extra_regels: [regels]\nernst:\n  ORG-LS-01: warning\n');
    writeFileSync(join(dir, 'aanvraag.yaml'), privateMail);
    const ids = (workspace: Workspace) => {
      const setup = workspace.setupFor(join(dir, 'aanvraag.yaml'));
      return setup.engine.check(readFileSync(join(dir, 'aanvraag.yaml'), 'utf8'), { today: TODAY }).findings.map((f) => `${f.severity} ${f.id}`);
    };
    assert.deepEqual(ids(new Workspace({ trusted: false })), []);
    assert.deepEqual(ids(new Workspace()), ['warning ORG-LS-01']);
  });

  test('over stdio: no own rules while untrusted, a log line saying so; trust granted: they run', async () => {
    const client = new LspClient();
    try {
      await client.initialize({ debounceMs: 0, extraSchemaFolders: [ORG], workspaceTrusted: false });
      const uri = 'file:///werk/vertrouwen.yaml';
      await client.open(uri, privateMail);
      assert.deepEqual((await client.waitForVersion(uri, 1)).diagnostics, []);
      assert.match(client.log, /werkruimte niet vertrouwd: eigen regelmappen .* worden genegeerd/);
      const from = client.publishes.length;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { zorgtoets: { extraSchemaFolders: [ORG], workspaceTrusted: true } } });
      const after = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, { from });
      assert.deepEqual(after.diagnostics.map((d) => d.code), ['ORG-LS-01']);
    } finally {
      await client.shutdown();
    }
  });
});
