import { sample, TODAY, engine } from '../helpers/engine.js';
import { LspClient } from '../helpers/lsp-client.js';
import { rssMegabytes } from '../helpers/process-memory.js';
import { HOSTILE } from './hostile-inputs.js';

/**
 * What hostile texts cost (`npm run bench:hostile`; printed, never asserted): per text, one
 * engine check in-process (time, heap growth), then through the bundled server over stdio: time
 * from sending the text to its diagnostics, and how long a second, ordinary document waited for
 * its hover and for the check of an edit meanwhile — the editor's responsiveness.
 */

const VALID = sample('vgz/rho-regioplan');
const BYSTANDER = 'file:///bench/gewoon.yaml';

function engineRow(name: string, text: string): string {
  const e = engine();
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = e.check(text, { today: TODAY });
  const ms = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const limit = result.findings.find((f) => f.id === 'ZT-LIMIT');
  return `| ${name} | ${(text.length / 1024 / 1024).toFixed(1)} MB | ${ms.toFixed(0)} ms | ${heapMb.toFixed(0)} MB | ${result.findings.length} | ${limit ? limit.message.slice(0, 60) : '—'} |`;
}

async function main(): Promise<void> {
  engine().check(VALID, { today: TODAY });
  const texts = HOSTILE.map((h) => ({ name: h.name, text: h.text() }));
  console.log('Engine, in-process (one check; heap growth kept by the result)\n');
  console.log('| text | size | check | heap | findings | the ZT-LIMIT finding |');
  console.log('|---|---|---|---|---|---|');
  for (const { name, text } of texts) console.log(engineRow(name, text));

  const client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  await client.open(BYSTANDER, VALID);
  await client.waitForVersion(BYSTANDER, 1);
  let version = 1;
  console.log('\nServer over stdio (bystander: an ordinary regioplan open at the same time)\n');
  console.log('| text | diagnostics after | bystander hover after | bystander edit checked after | server RSS |');
  console.log('|---|---|---|---|---|');
  let n = 0;
  for (const { name, text } of texts) {
    const uri = `file:///bench/vijandig-${++n}.yaml`;
    const sent = performance.now();
    await client.open(uri, text);
    const hover = client.request('textDocument/hover', { textDocument: { uri: BYSTANDER }, position: { line: 3, character: 4 } }).then(() => performance.now() - sent);
    version++;
    await client.change(BYSTANDER, version, [{ text: version % 2 === 0 ? `${VALID}# ${version}\n` : VALID }]);
    const edit = client.waitForVersion(BYSTANDER, version, 300_000).then(() => performance.now() - sent);
    const own = client.waitForVersion(uri, 1, 300_000).then(() => performance.now() - sent);
    const [hoverMs, editMs, ownMs] = await Promise.all([hover, edit, own]);
    console.log(`| ${name} | ${ownMs.toFixed(0)} ms | ${hoverMs.toFixed(0)} ms | ${editMs.toFixed(0)} ms | ${rssMegabytes(client.child.pid)?.toFixed(0) ?? '?'} MB |`);
    await client.close(uri);
  }
  await client.shutdown();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
