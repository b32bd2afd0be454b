import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import type { Limits } from './limits.js';
import type { ParsedSubmission } from './parse.js';
import { TextIndex } from './text-index.js';
import { exceedsValues, roughValueCount } from './value-count.js';

/**
 * The data of a submission without its yaml tree, for `zorgtoets check` on many files, where most
 * files have no findings and the `yaml` library's tree (kept for ranges and fixes) costs ~75% of
 * a check. js-yaml builds the plain data about fifteen times faster. A clean result from this data is
 * the result; as soon as anything is found, the caller checks again with the full parse, so every
 * finding still has its range and fixes from the yaml tree.
 *
 * That is only right when both parsers give the same data. So this parse is refused (undefined)
 * for anything where they could differ or where the full parse would report something:
 * - text the screen below does not pass: tabs, carriage returns, a byte order mark, directives and
 *   document markers, anchors, aliases, tags, complex keys and flow collections as keys, merge
 *   keys, reserved indicators, a `#` right after a closing bracket or quote (js-yaml takes it as
 *   a comment, yaml as an error), `__proto__`; anything js-yaml refuses (syntax errors, duplicate
 *   keys, several documents) and an empty document;
 * - text at or past a limit (size, values, line length, keys per mapping) or with unreadable
 *   characters, which the full parse reports;
 * - data with a key the two turn into different strings (a null key: "" in yaml, "null" here).
 * Plain scalars resolve with the `yaml` library's YAML 1.2 core schema rules, copied below.
 * tests/engine/quick-parse.test.ts compares both parsers' data on the samples and on thousands of
 * mutated texts; the CLI tests compare whole runs.
 */
export function quickParse(text: string, limits: Limits): ParsedSubmission | undefined {
  if (text.length > limits.maxChars || SCREEN.test(text) || UNREADABLE.test(text)) return undefined;
  if (roughValueCount(text) > limits.maxValues || hasLongLine(text, limits.maxLineLength)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: CORE_AS_YAML });
  } catch {
    // Syntax errors, duplicate keys, several documents, nesting past the stack: the full parse says.
    return undefined;
  }
  // An empty document: yaml's data is null, js-yaml's undefined; nothing to gain here.
  if (data === undefined) return undefined;
  if (exceedsValues(data, limits.maxValues) !== undefined || !plainKeys(data, limits.maxKeysPerMapping)) return undefined;
  return { text, index: TextIndex.of(text), data, findings: [], unusable: false, dataOnly: true };
}

/**
 * Constructs either parser may read differently, or that make the full parse report something.
 * Indicators count only where a node can start (line start, after a space or a flow bracket or
 * comma) and followed by a name: "Zorg & Welzijn" passes, `&anker` does not.
 */
const SCREEN = new RegExp(
  [
    '[\\t\\r\\uFEFF]',
    '^(?:---|\\.\\.\\.|%)',
    '(?:^|[\\s,\\[\\{])[&*!][^\\s,\\[\\]\\{\\}]',
    '(?:^|[\\s,\\[\\{])\\?(?:\\s|$)',
    '(?:^|[\\s,\\[\\{])[@`]',
    '[\\]\\}] *:(?:\\s|$)',
    '[\\]\\}"\']#',
    '<<',
    '__proto__',
  ].join('|'),
  'm',
);

/** As parse.ts: text that is not valid Unicode gets a finding from the full parse. */
const UNREADABLE = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** As parse.ts measures lines: a line's length includes its line break (only LF gets here). */
function hasLongLine(text: string, max: number): boolean {
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const next = lf < 0 ? text.length : lf + 1;
    if (next - start > max) return true;
    start = next;
  }
  return false;
}

/** No mapping with a key yaml would spell differently, or with more keys than the limit. */
function plainKeys(data: unknown, maxKeys: number): boolean {
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length > maxKeys) return false;
      for (const key of keys) {
        if (key === 'null' || key === '') return false;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

// The `yaml` library's core schema (yaml/dist/schema/core and common/null), rule for rule, so a
// plain scalar means the same here as in the full parse.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar of one core-schema type, when `construct` gives a value for it. */
function coreType(tag: string, construct: (source: string) => unknown): Type {
  return new Type(tag, { kind: 'scalar', resolve: (source: string) => construct(source) !== NOT_THIS, construct });
}

/** construct's answer for a scalar of another type (resolve then says no). */
const NOT_THIS = Symbol('not this type');

const nullType = coreType('tag:yaml.org,2002:null', (source) => (NULL.test(source) ? null : NOT_THIS));

const boolType = coreType('tag:yaml.org,2002:bool', (source) => (BOOL.test(source) ? source[0] === 't' || source[0] === 'T' : NOT_THIS));

const intType = coreType('tag:yaml.org,2002:int', (source) => {
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT_DEC.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  return NOT_THIS;
});

const floatType = coreType('tag:yaml.org,2002:float', (source) => {
  if (FLOAT_SPECIAL.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return NOT_THIS;
});

const CORE_AS_YAML = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
