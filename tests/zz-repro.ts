import { readFileSync } from 'node:fs';
import { engine, TODAY } from './helpers/engine.js';
const text = readFileSync('/tmp/zorgtoets-fuzz-27791-1795465218062.yaml', 'utf8');
const r = engine().check(text, { today: TODAY });
for (const f of r.findings.slice(0, 5)) console.log(f.id, JSON.stringify(f.range), f.message.slice(0, 100));
