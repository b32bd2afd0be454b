import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CompletionItem, Diagnostic } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import { DataFileError, type Engine } from '../../server/src/engine/index.js';
import { startServer } from '../../server/src/lsp/server.js';

/**
 * `startServer` in-process with a runtime whose engine fails, to show that failures are logged
 * and visible, and never take the server down.
 */

function harness(createEngine: () => Engine) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, { createEngine, today: () => '2026-11-23', name: 'zorgtoets-test', version: '0' });
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const diagnostics: { uri: string; diagnostics: Diagnostic[] }[] = [];
  const logs: string[] = [];
  let notify: (() => void) | undefined;
  client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.push(p);
    notify?.();
  });
  client.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  client.onNotification('window/showMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  client.onRequest(() => null);
  client.listen();
  const next = () => new Promise<void>((resolve) => (notify = resolve));
  return { client, diagnostics, logs, next, dispose: () => { client.dispose(); server.dispose(); } };
}

const OPEN = { textDocument: { uri: 'file:///x/aanvraag.yaml', languageId: 'yaml', version: 1, text: 'formulier: vgz/rho-regioplan\ncontractjaar: 2026\n' } };

test('an engine that cannot load: one visible ZT-INTERNAL diagnostic, the error logged, requests still answered', async () => {
  const h = harness(() => {
    throw new DataFileError('requirements/vgz.yaml', 'requirements[3].title', 'ontbreekt');
  });
  try {
    await h.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
    await h.client.sendNotification('initialized', {});
    const published = h.next();
    await h.client.sendNotification('textDocument/didOpen', OPEN);
    await published;
    const [first] = h.diagnostics;
    assert.equal(first?.diagnostics.length, 1);
    assert.equal(first?.diagnostics[0]?.code, 'ZT-INTERNAL');
    assert.match(String(first?.diagnostics[0]?.message), /requirements\/vgz\.yaml: requirements\[3\]\.title: ontbreekt/);
    const items = await h.client.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: OPEN.textDocument.uri }, position: { line: 0, character: 11 } });
    assert.deepEqual(items, [], 'a failing handler answers with nothing');
    assert.ok(h.logs.some((l) => l.includes('ontbreekt')), h.logs.join('\n'));
    assert.equal(await h.client.sendRequest('zorgtoets/summary', { uri: OPEN.textDocument.uri }), null);
  } finally {
    h.dispose();
  }
});
