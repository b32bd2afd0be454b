import type { Lang } from './types.js';

/**
 * Numbers, amounts, dates and lists as Dutch (nl-NL) and British English (en-GB) write them, for
 * messages and exports. Written out here instead of asked of `Intl`, for two reasons:
 *
 * - The same text on every Node: a Node built with small-icu knows English only (Dutch numbers
 *   would come out as 1,234.5), one using the system's ICU has that system's CLDR version.
 * - Memory: `Intl` maps in ICU's data on first use — about 6 MB of the language server's resident
 *   size for numbers, dates, lists and collation together (measured with fifty plans open).
 *
 * The notation is CLDR's for those locales; the tests compare it with `Intl` on random values
 * (notation.test.ts). Rounding is ICU's: half away from zero, applied to the shortest decimal
 * that reads back as the same double (2.675 → 2,68, where `toFixed` gives 2.67).
 */

interface Separators {
  group: string;
  decimal: string;
}

const SEPARATORS: Record<Lang, Separators> = { nl: { group: '.', decimal: ',' }, en: { group: ',', decimal: '.' } };

export interface DecimalOptions {
  /** Decimals always shown (padded with zeros). */
  minDecimals?: number;
  /** Decimals at most (rounded half away from zero). */
  maxDecimals: number;
  /** Thousands separators in the integer part (default true). */
  grouping?: boolean;
}

/** Beyond this the shortest form of a double has an exponent; such values are left to Intl. */
const PLAIN_LIMIT = 1e21;

const fallbacks = new Map<string, Intl.NumberFormat>();

/** Extreme values only (not finite, 1e21 and more): not worth a notation of their own. */
function intlDecimal(value: number, lang: Lang, options: DecimalOptions): string {
  const key = `${lang}:${options.minDecimals ?? 0}:${options.maxDecimals}:${options.grouping ?? true}`;
  let format = fallbacks.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      minimumFractionDigits: options.minDecimals ?? 0,
      maximumFractionDigits: options.maxDecimals,
      useGrouping: options.grouping ?? true,
    });
    fallbacks.set(key, format);
  }
  return format.format(value);
}

/**
 * The decimal digits of a non-negative finite double below 1e21 in its shortest round-trip form,
 * and the position of the decimal point in them: 1234.5 → '12345', 4; 1.5e-7 → '15', -6.
 */
function shortestDigits(abs: number): { digits: string; point: number } {
  const text = String(abs);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  if (dot < 0) return { digits: mantissa, point: mantissa.length + exponent };
  return { digits: mantissa.slice(0, dot) + mantissa.slice(dot + 1), point: dot + exponent };
}

/** A digit string plus one in its last place ('0999' → '1000', '99' → '100'). */
function incremented(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

function grouped(integer: string, separator: string): string {
  if (integer.length <= 3) return integer;
  const head = integer.length % 3 || 3;
  let out = integer.slice(0, head);
  for (let i = head; i < integer.length; i += 3) out += separator + integer.slice(i, i + 3);
  return out;
}

/** A number in the language's notation: 1234.5 → '1.234,5' (nl), '1,234.5' (en). */
export function formatDecimal(value: number, lang: Lang, options: DecimalOptions): string {
  if (!Number.isFinite(value) || Math.abs(value) >= PLAIN_LIMIT) return intlDecimal(value, lang, options);
  const minDecimals = options.minDecimals ?? 0;
  const separators = SEPARATORS[lang];
  let { digits, point } = shortestDigits(Math.abs(value));
  // At least one digit before the point: 0.05 → '005', 1.
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  const keep = point + options.maxDecimals;
  if (digits.length > keep) {
    const roundUp = digits.charCodeAt(keep) >= 53; // '5' or more: half away from zero
    digits = digits.slice(0, keep);
    if (roundUp) {
      const next = incremented(digits);
      if (next.length > digits.length) point++;
      digits = next;
    }
  }
  let integer = digits.slice(0, point).padEnd(point, '0').replace(/^0+(?=\d)/, '');
  let fraction = digits.slice(point).replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  if (options.grouping ?? true) integer = grouped(integer, separators.group);
  // Negative zero and negatives rounded to zero keep their sign, as Intl writes them.
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${integer}${fraction === '' ? '' : separators.decimal + fraction}`;
}

/** An amount in euros: '€ 1.234,50' (nl, with a no-break space), '€1,234.50' (en). */
export function formatEuroAmount(value: number, lang: Lang): string {
  if (!Number.isFinite(value) || Math.abs(value) >= PLAIN_LIMIT) return intlEuro(value, lang);
  const number = formatDecimal(Math.abs(value), lang, { minDecimals: 2, maxDecimals: 2 });
  const negative = value < 0 || Object.is(value, -0);
  if (lang === 'nl') return `€\u00a0${negative ? '-' : ''}${number}`;
  return `${negative ? '-' : ''}€${number}`;
}

/** Extreme values only, as for numbers. */
function intlEuro(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(value);
}

const MONTHS: Record<Lang, readonly string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A calendar date written out: (2025, 7, 15) → '15 juli 2025' (nl), '15 July 2025' (en); undefined
 * for a day that does not exist or a year before 1000.
 */
export function formatCalendarDate(year: number, month: number, day: number, lang: Lang): string | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysIn(year, month)) return undefined;
  return `${day} ${MONTHS[lang][month - 1]} ${year}`;
}

const JOINERS: Record<Lang, Record<'and' | 'or', { two: string; last: string }>> = {
  nl: { and: { two: ' en ', last: ' en ' }, or: { two: ' of ', last: ' of ' } },
  // English with the serial comma, as Intl.ListFormat('en') writes it.
  en: { and: { two: ' and ', last: ', and ' }, or: { two: ' or ', last: ', or ' } },
};

/** A list as prose: 'a, b en c' / 'a, b, and c' (and), 'a, b of c' / 'a, b, or c' (or). */
export function formatProseList(items: readonly string[], lang: Lang, kind: 'and' | 'or'): string {
  const joiner = JOINERS[lang][kind];
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]}${joiner.two}${items[1]}`;
  return `${items.slice(0, -1).join(', ')}${joiner.last}${items[items.length - 1]}`;
}

/**
 * Requirement IDs in a fixed order: by code unit, numbers inside them by value (VGZ-RHO-2 before
 * VGZ-RHO-10). The same order on every machine, whatever its locale.
 */
export function compareIds(a: string, b: string): number {
  const pattern = /(\d+)|(\D+)/g;
  const partsA = a.match(pattern) ?? [];
  const partsB = b.match(pattern) ?? [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i] as string;
    const y = partsB[i] as string;
    if (x === y) continue;
    const digitsX = /^\d/.test(x);
    const digitsY = /^\d/.test(y);
    if (digitsX && digitsY) {
      const trimmedX = x.replace(/^0+(?=\d)/, '');
      const trimmedY = y.replace(/^0+(?=\d)/, '');
      if (trimmedX.length !== trimmedY.length) return trimmedX.length - trimmedY.length;
      if (trimmedX !== trimmedY) return trimmedX < trimmedY ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return partsA.length - partsB.length;
}
