import { csvBlock, type Cell, type ExportDocument } from '../engine/export/index.js';

/**
 * Writes the one table a CSV export consists of (named by the mapping's `csv`), for entry into
 * an insurer's portal or a spreadsheet. RFC 4180 quoting and CRLF line ends; in Dutch the
 * separator is ";" and numbers use a decimal comma (what Dutch spreadsheet software expects), in
 * English "," and a decimal point. UTF-8 with a byte-order mark so spreadsheets read accents
 * right. A forced export starts with one line holding the draft mark.
 */

export class CsvExportError extends Error {}

export function writeCsv(document: ExportDocument): Uint8Array {
  const block = csvBlock(document);
  if (!block) throw new CsvExportError(document.lang === 'nl' ? `${document.kind} heeft geen tabel voor CSV` : `${document.kind} has no table for CSV`);
  const separator = document.lang === 'nl' ? ';' : ',';
  const lines: string[][] = [];
  if (document.draft) lines.push([document.draft]);
  if (block.kind === 'table') {
    lines.push(block.columns.map((c) => c.header.display));
    for (const row of block.rows) lines.push(row.map((cell) => csvValue(cell, document.lang)));
    if (block.totals) lines.push(block.totals.map((cell) => csvValue(cell, document.lang)));
  } else {
    for (const row of block.rows) lines.push([row.label.display, csvValue(row.value, document.lang)]);
  }
  const text = lines.map((cells) => cells.map((v) => quote(v, separator)).join(separator)).join('\r\n');
  return new TextEncoder().encode(`\ufeff${text}\r\n`);
}

/** Plain values for entry elsewhere: numbers without grouping, dates as dd-mm-jjjj (nl) or ISO (en). */
function csvValue(cell: Cell, lang: 'nl' | 'en'): string {
  const value = cell.value;
  switch (value.type) {
    case 'number': {
      const n = value.format === 'percentage' ? Math.round(value.value * 1000) / 10 : value.value;
      const text = String(Math.round(n * 1e6) / 1e6);
      return lang === 'nl' ? text.replace('.', ',') : text;
    }
    case 'date': {
      if (lang === 'en') return value.iso;
      const [y, m, d] = value.iso.split('-');
      return `${d}-${m}-${y}`;
    }
    default:
      return cell.display;
  }
}

function quote(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
