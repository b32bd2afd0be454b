// A child process for the atomicity tests: writes a file slowly through writeFileAtomic, so the
// parent can kill it mid-write. Usage: node --import tsx slow-write-child.ts <target> <chunks> <delay-ms> [overwrite]
import { writeFileAtomic } from '../../server/src/export/atomic-write.js';

const [target = '', chunks = '200', delay = '20', overwrite = ''] = process.argv.slice(2);

async function* slowly(): AsyncIterable<Uint8Array> {
  for (let i = 0; i < Number(chunks); i++) {
    yield new Uint8Array(1024).fill(65 + (i % 26));
    if (i === 0) process.stdout.write('writing\n');
    await new Promise((resolve) => setTimeout(resolve, Number(delay)));
  }
}

await writeFileAtomic(target, slowly(), { overwrite: overwrite === 'overwrite' });
process.stdout.write('done\n');
