import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { exportSubmission } from '../../server/src/export/export-submission.js';
import type { ExportResult } from '../../server/src/lsp/protocol.js';
import { createNodeEngine, localToday, productVersion } from '../../server/src/node/create-engine.js';
import { ROOT, sample } from '../helpers/engine.js';

/**
 * The language server as the VSIX ships it (scripts/server-for-vsix.mjs), in a folder outside the
 * repository so no node_modules can be found: "zorgtoets: Export…" must still write xlsx, docx and
 * PDF, with the same bytes as the CLI.
 */

// Bundling exceljs, docx and pdfkit takes a while on the 2-core machine.
const dir = mkdtempSync(join(tmpdir(), 'zt-vsix-server-'));
let child: ReturnType<typeof spawn> | undefined;
let connection: MessageConnection | undefined;

before(async () => {
  const { bundleServerWithWriters } = (await import(join(ROOT, 'scripts', 'server-for-vsix.mjs'))) as { bundleServerWithWriters: (root: string, dist: string) => Promise<void> };
  await bundleServerWithWriters(ROOT, join(dir, 'dist'));
  cpSync(join(ROOT, 'dist', 're2.wasm'), join(dir, 'dist', 're2.wasm'));
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  child = spawn(process.execPath, [join(dir, 'dist', 'server.cjs'), '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: '' } });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onRequest(() => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
});

after(() => {
  connection?.dispose();
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('the packaged server exports xlsx, docx and PDF without node_modules, byte for byte as the CLI', async () => {
  assert.ok(connection);
  const uri = `file://${join(dir, 'regioplan.yaml')}`;
  const text = sample('vgz/rho-regioplan');
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const engine = createNodeEngine();
  for (const [kind, format] of [['offerteformat', 'xlsx'], ['regioplan', 'docx'], ['regioplan', 'pdf']] as const) {
    const result = await connection.sendRequest<ExportResult>('zorgtoets/export', { uri, kind, format });
    assert.ok(result.ok, `${kind}.${format}: ${result.ok ? '' : result.message}`);
    const cli = await exportSubmission(engine, text, { format, kind, lang: 'nl', today: localToday(), generator: `zorgtoets ${productVersion()}` });
    assert.ok(cli.ok);
    assert.ok(Buffer.from(result.data, 'base64').equals(Buffer.from(cli.files[0]?.bytes ?? [])), `${kind}.${format}: the same bytes`);
  }
});
