import { LspClient } from '../helpers/lsp-client.js';
import { rssMegabytes } from '../helpers/process-memory.js';
import { sampleCorpus } from '../fuzz/corpus.js';

/**
 * Soak (`npm run soak`): a working day in a few minutes. The bundled server over stdio with 200
 * documents open (every sample of every form, each several times), then 10,000 edits as people
 * make them — a stretch of edits in one file, then another file — each waited for until its
 * diagnostics arrive, with a hover or a completion now and then. Printed per thousand edits:
 * latency (edit → diagnostics) p50/p95/p99 and the server's resident memory. Holds when p95 stays
 * level and RSS grows less than 10% from the first thousand edits to the last; exits 1 otherwise.
 *
 *   npm run soak
 *   ZT_SOAK_DOCS=50 ZT_SOAK_EDITS=2000 npm run soak
 */

const DOCS = Number(process.env['ZT_SOAK_DOCS'] ?? 200);
const EDITS = Number(process.env['ZT_SOAK_EDITS'] ?? 10_000);
const BLOCK = Math.max(1, Math.floor(EDITS / 10));

/** A small deterministic generator, so runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface OpenDocument {
  uri: string;
  text: string;
  version: number;
}

/** An edit someone makes: a value changed, a declaration flipped, a note typed and removed. */
function editOf(doc: OpenDocument, next: () => number): { start: number; end: number; text: string } {
  const text = doc.text;
  const choice = next();
  if (choice < 0.35) {
    const flips = [...text.matchAll(/: (true|false)\b/g)];
    const m = flips[Math.floor(next() * flips.length)];
    if (m?.index !== undefined) {
      const start = m.index + 2;
      return { start, end: start + (m[1] ?? '').length, text: m[1] === 'true' ? 'false' : 'true' };
    }
  }
  if (choice < 0.7) {
    const numbers = [...text.matchAll(/: (\d{2,6})\b/g)];
    const m = numbers[Math.floor(next() * numbers.length)];
    if (m?.index !== undefined) {
      const start = m.index + 2;
      const value = Number(m[1]);
      return { start, end: start + (m[1] ?? '').length, text: String(next() < 0.5 ? value + 1 : Math.max(0, value - 1)) };
    }
  }
  // A note at the end: typed a character at a time, or removed again.
  const note = text.lastIndexOf('\n# notitie:');
  if (note >= 0 && next() < 0.3) return { start: note, end: text.length - 1, text: '' };
  if (note >= 0) return { start: text.length - 1, end: text.length - 1, text: 'abcdefghij'[Math.floor(next() * 10)] ?? 'x' };
  return { start: text.length, end: text.length, text: '# notitie: \n' };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const corpus = sampleCorpus();
  const next = random(20261123);
  const client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  const docs: OpenDocument[] = [];
  const opened = performance.now();
  for (let i = 0; i < DOCS; i++) {
    const doc = { uri: `file:///soak/aanvraag-${i}.yaml`, text: `${corpus[i % corpus.length] ?? ''}# kopie ${i}\n`, version: 1 };
    docs.push(doc);
    await client.open(doc.uri, doc.text);
  }
  for (const doc of docs) await client.waitForVersion(doc.uri, 1, 120_000);
  const startRss = rssMegabytes(client.child.pid) ?? 0;
  console.log(`zorgtoets soak: ${DOCS} documents open in ${((performance.now() - opened) / 1000).toFixed(1)} s, server RSS ${startRss.toFixed(0)} MB; ${EDITS.toLocaleString('en')} edits`);
  console.log('\n| edits | p50 ms | p95 ms | p99 ms | max ms | server RSS MB (mean of the block) |');
  console.log('|---|---|---|---|---|---|');

  const blocks: { p95: number; rss: number }[] = [];
  let latencies: number[] = [];
  let rssSamples: number[] = [];
  let doc = docs[0] as OpenDocument;
  let stretch = 0;
  client.publishes.length = 0;
  for (let n = 1; n <= EDITS; n++) {
    if (stretch-- <= 0) {
      doc = docs[Math.floor(next() * docs.length)] as OpenDocument;
      stretch = 10 + Math.floor(next() * 40);
    }
    const edit = editOf(doc, next);
    const range = { start: positionAt(doc.text, edit.start), end: positionAt(doc.text, edit.end) };
    doc.text = doc.text.slice(0, edit.start) + edit.text + doc.text.slice(edit.end);
    doc.version++;
    const sent = performance.now();
    await client.change(doc.uri, doc.version, [{ range, text: edit.text }]);
    await client.waitForVersion(doc.uri, doc.version, 120_000);
    latencies.push(performance.now() - sent);
    client.publishes.length = 0;
    if (n % 25 === 0) {
      const position = positionAt(doc.text, Math.floor(next() * doc.text.length));
      await client.request(n % 50 === 0 ? 'textDocument/hover' : 'textDocument/completion', { textDocument: { uri: doc.uri }, position });
    }
    if (n % 50 === 0) rssSamples.push(rssMegabytes(client.child.pid) ?? 0);
    if (n % BLOCK === 0) {
      const rss = rssSamples.reduce((a, b) => a + b, 0) / Math.max(1, rssSamples.length);
      const p95 = percentile(latencies, 95);
      blocks.push({ p95, rss });
      console.log(`| ${n.toLocaleString('en')} | ${percentile(latencies, 50).toFixed(0)} | ${p95.toFixed(0)} | ${percentile(latencies, 99).toFixed(0)} | ${Math.max(...latencies).toFixed(0)} | ${rss.toFixed(0)} |`);
      latencies = [];
      rssSamples = [];
    }
  }
  const code = await client.shutdown();
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (!first || !last) throw new Error('no blocks measured');
  const growth = ((last.rss - first.rss) / first.rss) * 100;
  const p95Change = ((last.p95 - first.p95) / first.p95) * 100;
  const rssOk = growth < 10;
  // "Stable": the last thousand's p95 within half again of the first's (timing noise on a shared machine).
  const p95Ok = p95Change < 50;
  console.log(`\nRSS first → last ${BLOCK.toLocaleString('en')} edits: ${first.rss.toFixed(0)} → ${last.rss.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%; must stay under +10%): ${rssOk ? 'ok' : 'TOO MUCH'}`);
  console.log(`p95 first → last ${BLOCK.toLocaleString('en')} edits: ${first.p95.toFixed(0)} → ${last.p95.toFixed(0)} ms (${p95Change >= 0 ? '+' : ''}${p95Change.toFixed(0)}%): ${p95Ok ? 'stable' : 'NOT STABLE'}`);
  console.log(`server exit code ${String(code)}`);
  if (!rssOk || !p95Ok || code !== 0) process.exit(1);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
