import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sample } from '../helpers/engine.js';

/** Every sample of every form: the starting points of fuzzed documents. */
export function sampleCorpus(): string[] {
  return readdirSync(join(ROOT, 'samples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((insurer) =>
      readdirSync(join(ROOT, 'samples', insurer.name), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((form) =>
          readdirSync(join(ROOT, 'samples', insurer.name, form.name))
            .filter((file) => file.endsWith('.yaml'))
            .sort()
            .map((file) => sample(`${insurer.name}/${form.name}`, file)),
        ),
    );
}
