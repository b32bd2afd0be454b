import { Environment } from '@marcbachmann/cel-js';
import type { ClosedList } from './closed-lists.js';

/**
 * The CEL environment policy rules run in. CEL has no loops, I/O or side effects; on top of the
 * standard macros it gets a few functions a policy needs and CEL lacks (sums, duplicates, closed
 * lists, date arithmetic on ISO dates). Numbers from YAML arrive as JavaScript numbers (CEL double)
 * and counts from CEL as BigInt (CEL int); every function here accepts both.
 */

/** Structural bounds checked when a rule is parsed, so a rule file cannot smuggle in a giant program. */
export const CEL_LIMITS = { maxAstNodes: 2000, maxDepth: 64, maxListElements: 200, maxMapEntries: 100, maxCallArguments: 8 };

function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  return Number.NaN;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'bigint' || typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (value instanceof Map || typeof value === 'object') return 'map';
  return 'other';
}

/**
 * A comparable identity for list items in `duplicates` and `missing`: strings (trimmed) and
 * numbers stay themselves (a Map tells "1" from 1), anything else is compared as JSON.
 */
function identity(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return `\u0000json:${JSON.stringify(value)}`;
}

/**
 * An amount in euros as whole cents, rounded half away from zero, so totals compare exactly
 * (1320.00 and 1320 are equal; 0.285 is 29 cents although 0.285 × 100 is 28.4999… in binary).
 */
export function cents(euros: number): number {
  if (!Number.isFinite(euros)) return Number.NaN;
  return Math.sign(euros) * Math.round(Number((Math.abs(euros) * 100).toPrecision(15)));
}

function fieldOf(item: unknown, field: string): unknown {
  if (item instanceof Map) return item.get(field);
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) return (item as Record<string, unknown>)[field];
  return undefined;
}

function roundTo(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const places = Math.max(0, Math.min(10, digits));
  const magnitude = Math.abs(value);
  const text = String(magnitude);
  // Numbers ≥ 1e21 have no decimals left to round.
  if (magnitude >= 1e21) return value;
  // Through the decimal string, so 1.005 rounds to 1.01 as a person would expect; tiny numbers
  // (exponent notation) are far below any rounding step.
  const rounded = text.includes('e') ? Math.round(magnitude * 10 ** places) / 10 ** places : Number(`${Math.round(Number(`${text}e${places}`))}e-${places}`);
  return value < 0 ? -rounded : rounded;
}

function keysOf(value: unknown): string[] {
  if (value instanceof Map) return [...value.keys()].map(String);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.keys(value);
  return [];
}

/** A scalar as the YAML file writes it: true/false, a number, a (trimmed) text. */
function shown(value: string | number | bigint | boolean): string {
  return typeof value === 'string' ? value.trim() : String(value);
}

function isScalar(value: unknown): value is string | number | bigint | boolean {
  return ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

/**
 * Where two answers to the same questions disagree (an IGO's kraamzorg block and the provider's
 * own questionnaire): "pad: a ≠ b" for each scalar both sides answered, nested keys as dotted
 * paths. Lists are left out (their order and wording vary), and so are questions only one side
 * answered: each file's own checks report what is missing.
 */
function differences(a: unknown, b: unknown, prefix = '', out: string[] = []): string[] {
  for (const key of keysOf(a)) {
    const x = fieldOf(a, key);
    const y = fieldOf(b, key);
    const path = prefix ? `${prefix}.${key}` : key;
    if (kindOf(x) === 'map' && kindOf(y) === 'map') differences(x, y, path, out);
    else if (isScalar(x) && isScalar(y) && identity(x) !== identity(y)) out.push(`${path}: ${shown(x)} ≠ ${shown(y)}`);
  }
  return out;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIsoDate(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function createBaseEnvironment(): Environment {
  return new Environment({
    unlistedVariablesAreDyn: true,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
    limits: CEL_LIMITS,
  })
    .registerFunction('sum(list): double', (list: unknown[]) => list.reduce<number>((total, v) => total + (toNumber(v) || 0), 0))
    .registerFunction('num(dyn): double', (value: unknown) => toNumber(value))
    .registerFunction('cents(dyn): double', (value: unknown) => cents(toNumber(value)))
    .registerFunction('abs(dyn): double', (value: unknown) => Math.abs(toNumber(value)))
    // Rounds half away from zero to `digits` decimals, so money compares in cents without float noise.
    .registerFunction('round(dyn, int): double', (value: unknown, digits: bigint) => roundTo(toNumber(value), Number(digits)))
    .registerFunction('ratio(dyn, dyn): double', (a: unknown, b: unknown) => {
      const denominator = toNumber(b);
      return denominator === 0 ? 0 : toNumber(a) / denominator;
    })
    // A plain loop: Array.prototype.flatMap is several times slower on the 28,000 GPs of a large regioplan.
    .registerFunction('flatten(list): list', (list: unknown[]) => {
      const out: unknown[] = [];
      for (const item of list) {
        if (Array.isArray(item)) for (const inner of item as unknown[]) out.push(inner);
        else out.push(item);
      }
      return out;
    })
    .registerFunction('duplicates(list): list', (list: unknown[]) => {
      const seen = new Map<unknown, number>();
      const out: unknown[] = [];
      for (const item of list) {
        if (item === null || item === undefined || item === '') continue;
        const key = identity(item);
        const count = (seen.get(key) ?? 0) + 1;
        seen.set(key, count);
        if (count === 2) out.push(item);
      }
      return out;
    })
    .registerFunction('distinctBy(list, string): list', (list: unknown[], field: string) => {
      // The first item per value of `field`; items without the field are all kept (nothing to compare).
      const seen = new Set<unknown>();
      return list.filter((item) => {
        const value = fieldOf(item, field);
        if (value === null || value === undefined || value === '') return true;
        const key = identity(value);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    })
    .registerFunction('differences(dyn, dyn): list', (a: unknown, b: unknown) => differences(a, b))
    .registerFunction('missing(list, list): list', (required: unknown[], present: unknown[]) => {
      const have = new Set(present.map(identity));
      return required.filter((item) => !have.has(identity(item)));
    })
    .registerFunction('kind(dyn): string', (value: unknown) => kindOf(value))
    .registerFunction('isDate(dyn): bool', (value: unknown) => parseIsoDate(value) !== undefined)
    .registerFunction('addDays(string, int): string', (date: string, days: bigint) => {
      const parsed = parseIsoDate(date);
      if (!parsed) return date;
      parsed.setUTCDate(parsed.getUTCDate() + Number(days));
      return isoDate(parsed);
    })
    .registerFunction('firstOfMonth(string): string', (date: string) => {
      const parsed = parseIsoDate(date);
      return parsed ? `${isoDate(parsed).slice(0, 8)}01` : date;
    })
    .registerFunction('year(string): int', (date: string) => {
      const parsed = parseIsoDate(date);
      return BigInt(parsed ? parsed.getUTCFullYear() : 0);
    })
    // A requested product is a name, or a mapping with its `naam` and own data (forms/README.md).
    .registerFunction('nameOf(dyn): string', (value: unknown) => {
      const name = typeof value === 'string' ? value : fieldOf(value, 'naam');
      return typeof name === 'string' ? name : '';
    })
    .registerFunction('lower(string): string', (text: string) => text.toLowerCase())
    .registerFunction('trim(string): string', (text: string) => text.trim())
    .registerFunction('blank(dyn): bool', (value: unknown) => value === null || value === undefined || (typeof value === 'string' && value.trim() === ''));
}

let base: Environment | undefined;

/**
 * An environment for one form: the base functions plus the form's closed lists.
 *   canon(list, value)   canonical value for a name or alias, or "" when not in the list
 *   suggest(list, value) the nearest canonical value for a near miss, or ""
 *   group(list, value)   the group of the entry a value names, or ""
 *   values(list)         the canonical values
 */
export function createFormEnvironment(lists: ReadonlyMap<string, ClosedList>): Environment {
  base ??= createBaseEnvironment();
  const listFor = (name: string): ClosedList => {
    const list = lists.get(name);
    if (!list) throw new Error(`onbekende lijst "${name}"`);
    return list;
  };
  const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));
  return base
    .clone()
    .registerFunction('canon(string, dyn): string', (name: string, value: unknown) => listFor(name).resolve(text(value))?.value ?? '')
    .registerFunction('suggest(string, dyn): string', (name: string, value: unknown) => listFor(name).suggest(text(value)) ?? '')
    .registerFunction('group(string, dyn): string', (name: string, value: unknown) => listFor(name).resolve(text(value))?.group ?? '')
    .registerFunction('values(string): list', (name: string) => listFor(name).entries.map((e) => e.value));
}
