import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import type { Engine } from '../../server/src/engine/index.js';
import { startServer } from '../../server/src/lsp/server.js';
import { engine as realEngine, sample } from '../helpers/engine.js';

/**
 * Every internal error the server meets is logged with its context (uri, version, stack) and
 * becomes one visible "zorgtoets kon dit bestand niet controleren" diagnostic — never silence,
 * never a stalled server. `startServer` in-process, over an engine stub that fails on demand.
 */

/** What the stub should break next. */
const breaks = { checkOn: '', summary: false, hover: false };

/** The real engine, except where `breaks` says otherwise; methods run on the real engine. */
function stubEngine(): Engine {
  const real = realEngine();
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'check') {
        return (text: string, options: Parameters<Engine['check']>[1]) => {
          if (breaks.checkOn && text.includes(breaks.checkOn)) throw new TypeError('stub: de controle is kapot');
          return target.check(text, options);
        };
      }
      // complianceSummary starts with summarize; hover reads the catalogue.
      if (prop === 'summarize' && breaks.summary) throw new RangeError('stub: de samenvatting is kapot');
      if (prop === 'catalogue' && breaks.hover) throw new Error('stub: de catalogus is weg');
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function harness() {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, { createEngine: stubEngine, today: () => '2026-11-23', name: 'zorgtoets-test', version: '0' });
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const publishes: { uri: string; version?: number; diagnostics: Diagnostic[] }[] = [];
  const logs: string[] = [];
  let waiters: { test: (p: (typeof publishes)[number]) => boolean; resolve: () => void }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: (typeof publishes)[number]) => {
    publishes.push(p);
    waiters = waiters.filter((w) => (w.test(p) ? (w.resolve(), false) : true));
  });
  client.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  client.onRequest(() => null);
  client.listen();
  const published = (test: (p: (typeof publishes)[number]) => boolean) =>
    new Promise<void>((resolve, reject) => {
      if (publishes.some(test)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics\n${logs.join('\n')}`)), 20000);
      waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { client, publishes, logs, published, dispose: () => (client.dispose(), server.dispose()) };
}

const h = harness();
after(() => h.dispose());
let n = 0;
const open = async (text: string) => {
  const uri = `file:///werk/intern-${++n}.yaml`;
  await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 3, text } });
  return uri;
};
const internal = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'ZT-INTERNAL');

describe('internal errors in the server', () => {
  test('initialize', async () => {
    await h.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
    await h.client.sendNotification('initialized', {});
  });

  test('a check that throws: one visible diagnostic, logged with uri, version and stack; the next document is checked', async () => {
    breaks.checkOn = '#boem';
    try {
      const broken = await open(`${sample('vgz/rho-regioplan')}#boem\n`);
      await h.published((p) => p.uri === broken);
      const diagnostics = h.publishes.filter((p) => p.uri === broken).flatMap((p) => p.diagnostics);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]?.code, 'ZT-INTERNAL');
      assert.equal(diagnostics[0]?.message, 'zorgtoets kon dit bestand niet controleren (stub: de controle is kapot); zie het log');
      const entry = h.logs.find((l) => l.includes(broken));
      assert.ok(entry, h.logs.join('\n'));
      assert.match(entry, /interne fout bij controle van file:\/\/\/werk\/intern-\d+\.yaml \(versie 3\)/);
      assert.match(entry, /TypeError: stub: de controle is kapot\n\s+at /, 'the stack is logged');

      const fine = await open(sample('vgz/rho-regioplan', 'invalid-mandaat-en-patienten.yaml'));
      await h.published((p) => p.uri === fine && p.diagnostics.length > 0);
    } finally {
      breaks.checkOn = '';
    }
  });

  test('a failure after the check (the summary): visible, logged, and the queue keeps going', async () => {
    breaks.summary = true;
    let first: string;
    try {
      first = await open(sample('vgz/rho-regioplan'));
      await h.published((p) => p.uri === first);
      const diagnostics = h.publishes.filter((p) => p.uri === first).flatMap((p) => p.diagnostics);
      assert.deepEqual(internal(diagnostics).map((d) => d.message), ['zorgtoets kon dit bestand niet controleren (stub: de samenvatting is kapot); zie het log']);
      assert.ok(h.logs.some((l) => l.includes(first) && l.includes('RangeError: stub: de samenvatting is kapot')), h.logs.join('\n'));
    } finally {
      breaks.summary = false;
    }
    const next = await open(sample('vgz/rho-regioplan', 'invalid-mandaat-en-patienten.yaml'));
    await h.published((p) => p.uri === next && p.diagnostics.some((d) => d.code === 'VGZ-RHO-04c'));
  });

  test('a request handler that throws: answered with nothing; the findings stay and one ZT-INTERNAL joins them', async () => {
    const uri = await open(sample('vgz/rho-regioplan', 'invalid-mandaat-en-patienten.yaml'));
    await h.published((p) => p.uri === uri && p.diagnostics.length > 0);
    const findings = h.publishes.filter((p) => p.uri === uri).at(-1)?.diagnostics ?? [];
    assert.ok(findings.length > 1);
    breaks.hover = true;
    try {
      const line = sample('vgz/rho-regioplan', 'invalid-mandaat-en-patienten.yaml').split('\n').findIndex((l) => l.includes('aantal_huisartsen_in_regio'));
      const count = h.publishes.length;
      assert.equal(await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } }), null);
      await h.published((p) => p.uri === uri && h.publishes.indexOf(p) >= count);
      // A second failure replaces the first: still exactly one.
      assert.equal(await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } }), null);
      await h.published((p) => p.uri === uri && h.publishes.indexOf(p) >= count + 1);
    } finally {
      breaks.hover = false;
    }
    const last = h.publishes.filter((p) => p.uri === uri).at(-1);
    assert.equal(last?.version, 3);
    assert.deepEqual(internal(last?.diagnostics ?? []).map((d) => d.message), ['zorgtoets kon dit bestand niet controleren (hover: stub: de catalogus is weg); zie het log']);
    assert.deepEqual(last?.diagnostics.slice(1), findings, 'the findings are kept as they were');
    assert.ok(h.logs.some((l) => /interne fout bij hover van file:\/\/\/werk\/intern-\d+\.yaml \(versie 3\): Error: stub: de catalogus is weg\n\s+at /.test(l)), h.logs.join('\n'));
  });
});
