// A child process for the kill test of `zorgtoets fix`'s writes: rewrites a file over and over
// with writeFileAtomic, alternating between two texts, until it is killed.
// Usage: node --import tsx rewrite-child.ts <target> <file-with-text-a> <file-with-text-b>
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../server/src/node/atomic-write.js';

const [target = '', a = '', b = ''] = process.argv.slice(2);
const texts = [readFileSync(a), readFileSync(b)];
process.stdout.write('writing\n');
for (let i = 0; ; i++) writeFileAtomic(target, texts[(i + 1) % 2] as Buffer, texts[i % 2]);
