import type { MessageParams, MessageValue } from './raw-finding.js';
import { formatCalendarDate, formatDecimal, formatEuroAmount, formatProseList } from './notation.js';
import type { Lang } from './types.js';

/**
 * Fills a catalogue message template. Placeholders are `{name}` or `{name|format}`:
 *   int, num      number in the language's notation (112.000 / 4,5)
 *   pct           a ratio 0..1 as a percentage with one decimal (88,5%)
 *   eur           an amount in euros (€ 1.234,50)
 *   date          an ISO date written out (15 juli 2025)
 *   list          a list joined as prose (a, b en c)
 *   or            a list of choices (a, b of c)
 *   suffix        " — text" when the value is non-empty, else nothing
 *   quote         the value in double quotes
 *   label:<list>  a closed-list value shown by its label (dmii → DMII (Diabetes Mellitus type 2))
 * Unknown placeholders stay visible as `{name}` so a data mistake shows instead of hiding.
 */
export type LabelLookup = (list: string, value: string, lang: Lang) => string | undefined;

export function formatNumber(value: number, lang: Lang, maxDecimals = 2): string {
  return formatDecimal(value, lang, { maxDecimals });
}

function formatUngrouped(value: number, lang: Lang): string {
  return formatDecimal(value, lang, { maxDecimals: 2, grouping: false });
}

export function formatPercentage(ratio: number, lang: Lang): string {
  return `${formatDecimal(ratio * 100, lang, { minDecimals: 1, maxDecimals: 1 })}%`;
}

export function formatEuro(value: number, lang: Lang): string {
  return formatEuroAmount(value, lang);
}

export function formatDate(iso: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  return formatCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]), lang) ?? iso;
}

export function formatList(items: readonly string[], lang: Lang): string {
  return formatProseList(items, lang, 'and');
}

export function formatChoice(items: readonly string[], lang: Lang): string {
  return formatProseList(items, lang, 'or');
}

function toNumber(value: MessageValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function formatValue(value: MessageValue, format: string | undefined, lang: Lang, labels?: LabelLookup): string {
  if (format?.startsWith('label:')) {
    const list = format.slice('label:'.length);
    const one = (v: MessageValue) => {
      const text = plain(v, lang);
      return labels?.(list, text, lang) ?? text;
    };
    return Array.isArray(value) ? formatList(value.map(one), lang) : one(value);
  }
  switch (format) {
    case 'int':
    case 'num': {
      const n = toNumber(value);
      return n === undefined ? plain(value, lang) : formatNumber(n, lang, format === 'int' ? 0 : 2);
    }
    case 'pct': {
      const n = toNumber(value);
      return n === undefined ? plain(value, lang) : formatPercentage(n, lang);
    }
    case 'eur': {
      const n = toNumber(value);
      return n === undefined ? plain(value, lang) : formatEuro(n, lang);
    }
    case 'date':
      return typeof value === 'string' ? formatDate(value, lang) : plain(value, lang);
    case 'list':
      return Array.isArray(value) ? formatList(value.map((v) => plain(v, lang)), lang) : plain(value, lang);
    case 'or':
      return Array.isArray(value) ? formatChoice(value.map((v) => plain(v, lang)), lang) : plain(value, lang);
    case 'suffix': {
      // An optional tail: " — text" when there is text, nothing otherwise.
      const text = value === null || value === undefined ? '' : plain(value, lang);
      return text === '' ? '' : ` — ${text}`;
    }
    case 'quote':
      return value === null || value === undefined ? plain(value, lang) : `"${plain(value, lang)}"`;
    default:
      return plain(value, lang);
  }
}

/** The default rendering: numbers in the language's notation, lists as prose, text as is. */
function plain(value: MessageValue, lang: Lang): string {
  if (value === null || value === undefined) return lang === 'nl' ? '(leeg)' : '(empty)';
  // No digit grouping by default: years and identifiers must read 2026, not 2.026. Counts and
  // amounts ask for grouping with |int, |num or |eur.
  if (typeof value === 'number') return formatUngrouped(value, lang);
  if (typeof value === 'bigint') return formatUngrouped(Number(value), lang);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return formatList(value.map((v) => plain(v, lang)), lang);
  // A localized text passed as a value ({nl, en}, e.g. a pattern's description) shows in the message's language.
  const localized = (value as { readonly [key: string]: MessageValue })[lang];
  if (typeof localized === 'string') return localized;
  return JSON.stringify(value);
}

const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)(?:\|([a-z]+(?::[a-zA-Z0-9_-]+)?))?\}/g;

export function fillTemplate(template: string, params: MessageParams, lang: Lang, labels?: LabelLookup): string {
  return template.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) =>
    Object.prototype.hasOwnProperty.call(params, name) ? formatValue(params[name], format, lang, labels) : whole,
  );
}

/** Placeholder names a template uses, for load-time checks of the catalogue. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}
