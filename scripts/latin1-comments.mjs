// esbuild plugin: the comments a bundle keeps are written in Latin-1 only.
//
// Why: V8 keeps a script's source text in memory for as long as the script lives (lazy
// compilation, Function.prototype.toString), one byte per character when every character fits in
// Latin-1, two bytes otherwise. esbuild escapes non-ASCII characters in strings, templates and
// regular expressions, but keeps comments as written, and our comments (and some libraries') say
// → … — “ ”. One such character makes the language server's 2 MB bundle a 4 MB string.
//
// Each character outside Latin-1 in a comment becomes one ASCII character per UTF-16 unit, so
// every line and column stays where it was and the source map stays right. The result is checked:
// minified, it must be exactly the minified original (minifying drops comments, nothing else
// here can differ). If a character sits elsewhere (code esbuild could not escape), the bundle is
// left as esbuild wrote it and the build says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { transform } from 'esbuild';

const LOOK_ALIKES = new Map([
  ['→', '>'],
  ['←', '<'],
  ['…', '.'],
  ['—', '-'],
  ['–', '-'],
  ['−', '-'],
  ['“', '"'],
  ['”', '"'],
  ['‘', "'"],
  ['’', "'"],
  ['≤', '<'],
  ['≥', '>'],
  ['≠', '!'],
]);

/** Every UTF-16 unit above U+00FF replaced by one ASCII character. */
export function toLatin1(text) {
  return text.replace(/[^\u0000-\u00ff]/g, (char) => LOOK_ALIKES.get(char) ?? '?');
}

/**
 * The bundle with its comments in Latin-1, or undefined when that would change more than
 * comments: minified (which drops comments), both must be the same program.
 */
export async function latin1Bundle(code) {
  const latin1 = toLatin1(code);
  if (latin1 === code) return code;
  const minified = (text) => transform(text, { minify: true, legalComments: 'none', format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
  const [before, after] = await Promise.all([minified(code), minified(latin1)]);
  return before.code === after.code ? latin1 : undefined;
}

/** @param root the build's absWorkingDir (the metafile's output paths are relative to it). */
export function latin1Comments(root) {
  return {
    name: 'latin1-comments',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        const files = Object.keys(result.metafile?.outputs ?? {}).filter((file) => file.endsWith('.cjs'));
        for (const file of files) {
          const path = isAbsolute(file) ? file : join(root, file);
          const original = readFileSync(path, 'utf8');
          const latin1 = await latin1Bundle(original);
          if (latin1 === undefined) {
            console.warn(`latin1-comments: ${file} has characters beyond Latin-1 outside comments; left as written (V8 keeps its source as two-byte text)`);
          } else if (latin1 !== original) {
            writeFileSync(path, latin1);
          }
        }
      });
    },
  };
}
