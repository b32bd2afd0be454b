import { createRequire } from 'node:module';

/**
 * Regular expressions from schemas must not backtrack catastrophically (`^(a+)+$` on a long
 * string hangs a JavaScript RegExp). Patterns whose cost is provably linear — no groups, no
 * backreferences, no lookaround, at most one unbounded quantifier — run on the native engine, which
 * is two orders of magnitude faster; every other pattern runs on RE2 (linear time by construction).
 */

interface RegExpLike {
  test(input: string): boolean;
}

/** The shape ajv's `code.regExp` option expects (it also reads `.code` for standalone output). */
export interface RegExpEngine {
  (pattern: string, flags: string): RegExpLike;
  code: string;
}

export function isProvablyLinear(pattern: string): boolean {
  if (/[()|]/.test(pattern.replace(/\\./g, '').replace(/\[(?:\\.|[^\]\\])*\]/g, ''))) return false;
  if (/\\[1-9k]/.test(pattern)) return false;
  const withoutClasses = pattern.replace(/\\./g, 'x').replace(/\[(?:\\.|[^\]\\])*\]/g, 'x');
  const unbounded = withoutClasses.match(/[*+]|\{\d+,\}/g)?.length ?? 0;
  return unbounded <= 1;
}

type Re2Constructor = new (pattern: string, flags: string) => RegExpLike;
let re2: Re2Constructor | undefined;

function loadRe2(): Re2Constructor {
  if (!re2) {
    // Loaded on first use: compiling the WebAssembly module costs ~20 ms and the shipped schemas
    // never need it. The literal `require` lets the bundler include the module in the CommonJS
    // bundles; unbundled ES modules (tests under tsx) have no `require` and take the other branch.
    const loaded: unknown = typeof require === 'function' ? require('re2-wasm') : createRequire(import.meta.url)('re2-wasm');
    re2 = (loaded as { RE2: Re2Constructor }).RE2;
  }
  return re2;
}

export const safeRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    if (isProvablyLinear(pattern)) return new RegExp(pattern, flags);
    const Re2 = loadRe2();
    // RE2 requires the unicode flag.
    return new Re2(pattern, flags.includes('u') ? flags : `${flags}u`);
  },
  { code: 'safeRegExp' },
);
