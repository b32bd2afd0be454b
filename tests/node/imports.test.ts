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

/**
 * V8 keeps a script's source for the script's lifetime, one byte per character only when all of
 * it fits in Latin-1. The build writes the comments esbuild keeps in Latin-1 (scripts/latin1-comments.mjs);
 * one arrow left in a comment would make the server's 2 MB bundle a 4 MB string in its memory.
 */
test('every bundle is Latin-1 text, and the build changed nothing but comments to make it so', async () => {
  for (const name of readdirSync(join(ROOT, 'dist')).filter((file) => file.endsWith('.cjs'))) {
    const text = readFileSync(join(ROOT, 'dist', name), 'utf8');
    const beyond = /[^\u0000-\u00ff]/.exec(text);
    assert.equal(beyond?.index, undefined, `${name}: ${JSON.stringify(beyond?.[0])} at ${beyond?.index} (${JSON.stringify(text.slice((beyond?.index ?? 0) - 40, (beyond?.index ?? 0) + 10))})`);
  }
  // The replacement itself: comments change, code that would change is refused.
  const { latin1Bundle } = await import('../../scripts/latin1-comments.mjs');
  assert.equal(await latin1Bundle('// a → b … “c” 😀\nconst x = 1; /* ≤ */ module.exports = x;'), '// a > b . "c" ??\nconst x = 1; /* < */ module.exports = x;');
  assert.equal(await latin1Bundle('// µ é ×\nmodule.exports = 1;'), '// µ é ×\nmodule.exports = 1;', 'Latin-1 stays');
  assert.equal(await latin1Bundle('module.exports = /→/;'), undefined, 'a character in code is not replaced');
});
