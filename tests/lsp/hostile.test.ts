import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover } from 'vscode-languageserver';
import { HOSTILE } from '../bench/hostile-inputs.js';
import { sample } from '../helpers/engine.js';
import { LspClient } from '../helpers/lsp-client.js';
import { rssMegabytes } from '../helpers/process-memory.js';

/**
 * Hostile YAML through the bundled server over stdio: each text gets one clear ZT-LIMIT finding,
 * and a second document stays served meanwhile — its hover answered and an edit of it checked
 * while the hostile one is being received and processed. The bounds here are generous (a loaded
 * 2-core machine); before the engine bounded such texts, some took minutes and blocked every other
 * document for as long. The measured times are in tests/bench/hostile-bench.ts.
 */

const BOUND_MS = 30_000;
const VALID = sample('vgz/rho-regioplan');
const BYSTANDER = 'file:///werk/gewoon.yaml';
let client: LspClient;
let bystanderVersion = 1;

const messages = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`);

before(async () => {
  client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  await client.open(BYSTANDER, VALID);
  await client.waitForVersion(BYSTANDER, 1);
});

after(async () => {
  const code = await client.shutdown();
  assert.equal(code, 0, client.log);
  assert.doesNotMatch(client.log, /onverwachte fout|interne fout/);
});

/**
 * While the server takes in and checks a hostile document: the bystander's hover and a check of
 * its next version. Returns how long each took from the moment the hostile text was sent.
 */
async function bystanderMeanwhile(sent: number): Promise<{ hoverMs: number; editMs: number }> {
  const line = VALID.split('\n').findIndex((l) => l.includes('aantal_huisartsen_in_regio'));
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: BYSTANDER }, position: { line, character: 4 } });
  const hoverMs = performance.now() - sent;
  assert.ok(hover, 'the bystander still gets its hover');
  bystanderVersion++;
  const wrong = bystanderVersion % 2 === 0;
  const text = wrong ? VALID.replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70') : VALID;
  await client.change(BYSTANDER, bystanderVersion, [{ text }]);
  const publish = await client.waitForVersion(BYSTANDER, bystanderVersion, BOUND_MS);
  assert.equal(publish.diagnostics.some((d) => d.code === 'VGZ-RHO-04c'), wrong, 'the bystander is checked as usual');
  return { hoverMs, editMs: performance.now() - sent };
}

describe('hostile YAML through the server', () => {
  let n = 0;
  for (const hostile of HOSTILE.filter((h) => !h.benchOnly)) {
    test(`${hostile.name}: one clear finding; the other document is served meanwhile`, async () => {
      const uri = `file:///werk/vijandig-${++n}.yaml`;
      const text = hostile.text();
      const sent = performance.now();
      await client.open(uri, text);
      const [meanwhile, publish] = await Promise.all([bystanderMeanwhile(sent), client.waitForVersion(uri, 1, BOUND_MS)]);
      const limits = publish.diagnostics.filter((d) => d.code === 'ZT-LIMIT');
      assert.equal(limits.length, 1, messages(publish.diagnostics).join('\n'));
      assert.match(messages(limits)[0] ?? '', hostile.message);
      assert.ok(meanwhile.hoverMs < BOUND_MS && meanwhile.editMs < BOUND_MS, JSON.stringify(meanwhile));
      // Every request on the hostile document itself is answered too, within the bound.
      const asked = performance.now();
      const lines = text.split('\n').length;
      const textDocument = { uri };
      for (const position of [{ line: 2, character: 3 }, { line: lines - 1, character: 0 }]) {
        await client.request('textDocument/completion', { textDocument, position });
        await client.request('textDocument/hover', { textDocument, position });
      }
      await client.request('textDocument/documentSymbol', { textDocument });
      await client.request('textDocument/codeLens', { textDocument });
      await client.request('textDocument/codeAction', { textDocument, range: limits[0]?.range, context: { diagnostics: limits } });
      assert.ok(performance.now() - asked < BOUND_MS);
      await client.close(uri);
    });
  }

  test('invalid UTF-8 bytes: one finding at the place they were, the rest is checked', async () => {
    const uri = 'file:///werk/latin1.yaml';
    const at = VALID.indexOf('Lingestroom');
    // "Lingestroom" with an ISO-8859-1 "ë" (0xEB) and a stray continuation byte: not UTF-8.
    client.openRaw(uri, VALID.slice(0, at), Buffer.from([0x4c, 0x69, 0xeb, 0x6e, 0x67, 0x80]), VALID.slice(at + 5).replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70'));
    const publish = await client.waitForVersion(uri, 1, BOUND_MS);
    const limits = publish.diagnostics.filter((d) => d.code === 'ZT-LIMIT');
    assert.equal(limits.length, 1, messages(publish.diagnostics).join('\n'));
    assert.match(messages(limits)[0] ?? '', /geen geldige tekst is \(U\+FFFD\)/);
    const line = VALID.slice(0, at).split('\n').length - 1;
    assert.equal(limits[0]?.range.start.line, line);
    assert.ok(publish.diagnostics.some((d) => d.code === 'VGZ-RHO-04c'), 'the other checks ran');
    await client.close(uri);
  });

  test('after all of it: the server answers at once and holds no hostile text', async () => {
    const started = performance.now();
    assert.ok(await client.request('zorgtoets/summary', { uri: BYSTANDER }));
    const ms = performance.now() - started;
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    const rss = rssMegabytes(client.child.pid);
    // Informative (printed); the soak test (npm run soak) is where memory growth is judged.
    console.log(`server RSS after the hostile texts (all closed): ${rss?.toFixed(0) ?? '?'} MB`);
  });
});
