import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/engine.js';

/**
 * zod's `z` export is a namespace object that also holds every locale (~40 of them, ~590 kB of
 * the server bundle, parsed at every start); `import * as z from 'zod'` lets esbuild keep only what
 * is used. The server and CLI start measurably faster for it (README, Performance).
 */
test("sources import zod as a namespace, never its `z` object (which carries all of zod's locales)", () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && /import\s+(type\s+)?\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/.test(readFileSync(path, 'utf8'))) offenders.push(relative(ROOT, path));
    }
  };
  for (const dir of ['server/src', 'client/src']) walk(join(ROOT, dir));
  assert.deepEqual(offenders, [], "use `import * as z from 'zod'`");
});

test('the server bundle holds no zod locale but English', () => {
  // A message only zod's Dutch locale has: present when the whole `z` namespace is bundled.
  const bundle = readFileSync(join(ROOT, 'dist', 'server.cjs'), 'utf8');
  assert.ok(bundle.includes('Invalid input'), "zod's English messages are in the bundle");
  assert.equal(bundle.includes('Ongeldige invoer'), false, "zod's Dutch locale is not");
});
