import { readFileSync } from 'node:fs';
import { engine, TODAY } from '../helpers/engine.js';
import { editorLines, rangeInside } from './server-session.js';

/**
 * Replays a failed server fuzz session on the engine alone, as the server checks it (one cache
 * key, so incremental parsing sees the same versions), and prints the findings outside the text.
 * Usage: node --import tsx tests/fuzz/replay.ts <file.json>
 */
const file = process.argv[2];
if (!file) throw new Error('usage: replay.ts <file.json>');
const { history } = JSON.parse(readFileSync(file, 'utf8')) as { text: string; history: string[] };
history.forEach((text, version) => {
  const result = engine().check(text, { today: TODAY, cacheKey: 'replay' });
  const fresh = engine().check(text, { today: TODAY });
  const lines = editorLines(text);
  const outside = result.findings.filter((f) => !rangeInside(f.range, lines));
  const differs = JSON.stringify(result.findings) !== JSON.stringify(fresh.findings);
  console.log(`version ${version + 1}: ${result.findings.length} findings, ${outside.length} outside${differs ? ', DIFFERS from a check from scratch' : ''}`);
  for (const f of outside) console.log(`  ${f.id} ${JSON.stringify(f.range)} ${f.message.slice(0, 120)}`);
});
