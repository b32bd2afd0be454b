import { engine, sample, TODAY } from './helpers/engine.js';
const e = engine();
e.check(sample('vgz/rho-regioplan'), { today: TODAY });
const HEAD = 'formulier: vgz/rho-regioplan\ncontractjaar: 2026\n';
const text = `${HEAD}${Array.from({ length: 199_000 }, (_, i) => `k${i}: 1`).join('\n')}\n`;
let t = performance.now();
const r = e.check(text, { today: TODAY, cacheKey: 'x' });
console.log('check', performance.now() - t, r.findings.length);
