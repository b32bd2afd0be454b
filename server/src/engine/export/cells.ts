import { formatDate, formatEuro, formatPercentage } from '../message-format.js';
import { formatDecimal } from '../notation.js';
import type { Lang } from '../types.js';
import type { ValueFormat } from './mapping.js';
import type { Cell, CellValue, NumberFormat } from './model.js';

/**
 * Submission values → typed cells with their Dutch (or English) display text. A number stays a
 * number and a date a date (the spreadsheet's cell type); `display` is how documents write it:
 * 112.000, € 1.450,00, 88,5%, 1 juli 2025, ja/nee.
 */

export type LabelFor = (list: string, value: string) => string | undefined;

const WORDS = {
  nl: { yes: 'ja', no: 'nee', unanswered: 'nog niet beantwoord' },
  en: { yes: 'yes', no: 'no', unanswered: 'not yet answered' },
} as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Amounts and counts are grouped (8.700, 112.000) so a column reads alike; years and identifiers
// ask for `year` or `text` and stay 2026.
function number(value: number, lang: Lang, decimals: number, grouping = true): string {
  return formatDecimal(value, lang, { maxDecimals: decimals, grouping });
}

export function displayNumber(value: number, format: NumberFormat, lang: Lang): string {
  switch (format) {
    case 'integer':
      return number(value, lang, 0);
    case 'decimal':
      return number(value, lang, 2);
    case 'eur':
      return formatEuro(value, lang);
    case 'percentage':
      return formatPercentage(value, lang);
    case 'year':
      return number(value, lang, 0, false);
  }
}

export function textCell(text: string, bold = false): Cell {
  return { value: text === '' ? { type: 'empty' } : { type: 'text', text }, display: text, ...(bold ? { bold: true } : {}) };
}

export function numberCell(value: number, format: NumberFormat, lang: Lang): Cell {
  return { value: { type: 'number', value, format }, display: displayNumber(value, format, lang) };
}

export function yesNo(value: boolean, lang: Lang): string {
  return value ? WORDS[lang].yes : WORDS[lang].no;
}

/** A value from the submission (or computed by CEL) as a cell in the given format. */
export function makeCell(raw: unknown, format: ValueFormat | undefined, lang: Lang, list?: string, labelFor?: LabelFor): Cell {
  const value = typeof raw === 'bigint' ? Number(raw) : raw;
  if (value === null || value === undefined) {
    if (format === 'answer') return textCell(WORDS[lang].unanswered);
    return textCell('');
  }
  const effective = format ?? inferFormat(value);
  switch (effective) {
    case 'integer':
    case 'decimal':
    case 'eur':
    case 'percentage':
    case 'year': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) return textCell(plainText(value, lang, list, labelFor));
      return numberCell(n, effective, lang);
    }
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value) && formatDate(value, lang) !== value) return { value: { type: 'date', iso: value }, display: formatDate(value, lang) };
      return textCell(plainText(value, lang, list, labelFor));
    case 'answer':
    case 'boolean':
      if (typeof value === 'boolean') return { value: { type: 'boolean', value }, display: yesNo(value, lang) };
      return textCell(plainText(value, lang, list, labelFor));
    default:
      return textCell(plainText(value, lang, list, labelFor));
  }
}

function inferFormat(value: unknown): ValueFormat {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  if (typeof value === 'boolean') return 'answer';
  if (typeof value === 'string' && ISO_DATE.test(value)) return 'date';
  return 'text';
}

/** Text for anything else: list labels, lists joined, nested values written out. */
function plainText(value: unknown, lang: Lang, list?: string, labelFor?: LabelFor): string {
  if (typeof value === 'string') return (list && labelFor?.(list, value)) || value;
  if (typeof value === 'number') return number(value, lang, 2, false);
  if (typeof value === 'bigint') return number(Number(value), lang, 0, false);
  if (typeof value === 'boolean') return yesNo(value, lang);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => plainText(v, lang, list, labelFor)).join(', ');
  if (value instanceof Map) return plainText(Object.fromEntries(value), lang, list, labelFor);
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['naam'] === 'string') return record['naam'];
    return Object.entries(record)
      .map(([k, v]) => `${k}: ${plainText(v, lang, list, labelFor)}`)
      .join('; ');
  }
  return String(value);
}

/** The value a formula sees in a cell. */
export function formulaInput(value: CellValue): number | string | boolean | undefined {
  switch (value.type) {
    case 'number':
      return value.value;
    case 'boolean':
      return value.value;
    case 'text':
      return value.text;
    case 'date':
      return value.iso;
    default:
      return undefined;
  }
}

export function unansweredText(lang: Lang): string {
  return WORDS[lang].unanswered;
}
