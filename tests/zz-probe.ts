import { LspClient } from './helpers/lsp-client.js';
import { ROOT } from './helpers/engine.js';
import { generateRegioplan } from './bench/generate-regioplan.js';
const HEAD = 'formulier: vgz/rho-regioplan\ncontractjaar: 2026\n';
const client = new LspClient();
await client.initialize({ debounceMs: 0 });
const cases: [string, string][] = [
  ['gen50k', generateRegioplan(ROOT, 50000)],
  ['items-{} 100k', `${HEAD}praktijken:\n${'  - {}\n'.repeat(100_000)}`],
  ['items-{} 199k', `${HEAD}praktijken:\n${'  - {}\n'.repeat(199_000)}`],
  ['keys 100k', `${HEAD}${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`],
  ['keys 199k', `${HEAD}${Array.from({ length: 199_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`],
];
let n = 0;
for (const [name, text] of cases) {
  const uri = `file:///p/${++n}.yaml`;
  const t = performance.now();
  await client.open(uri, text);
  const p = await client.waitForVersion(uri, 1, 600000);
  const t2 = performance.now();
  await client.change(uri, 2, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '#\n' }]);
  await client.waitForVersion(uri, 2, 600000);
  console.log(name, 'open', (t2 - t).toFixed(0), 'edit', (performance.now() - t2).toFixed(0), p.diagnostics.length);
  await client.close(uri);
}
await client.shutdown();
