import type { Lang } from '../types.js';

/**
 * The format-neutral export model: what a file says, not how a format encodes it. The engine
 * builds it from a submission, the form's export mapping and the check result; the writers on the
 * Node side (xlsx, docx, pdf, csv, md) only place it. Everything a reader sees is decided here:
 * localized labels, numbers and dates already written in the language's notation (`display`),
 * the typed value a spreadsheet cell holds (`value`), formulas with their cell addresses and the
 * result they evaluate to, and the grid position of every cell in a workbook.
 */

/** `year`: a whole number written without grouping (2026, not 2.026). */
export type NumberFormat = 'integer' | 'decimal' | 'eur' | 'percentage' | 'year';

/** The typed value of a cell: what a spreadsheet stores (a number stays a number, a date a date). */
export type CellValue =
  | { type: 'empty' }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number; format: NumberFormat }
  | { type: 'date'; iso: string }
  | { type: 'boolean'; value: boolean };

export interface Cell {
  value: CellValue;
  /** The value as a document shows it, in the export's language ("112.000", "1 juli 2025", "ja"). */
  display: string;
  /** A live spreadsheet formula without the leading "=" ("SUM(C5:C12)"); `value` is its result. */
  formula?: string;
  /** The spreadsheet error a formula evaluates to ("#DIV/0!"); `display` shows it too. */
  formulaError?: string;
  /** Workbook position (1-based), set by the layout for workbook exports. */
  address?: { row: number; column: number };
  /** Emphasis for labels, headers and totals. */
  bold?: boolean;
}

export interface HeadingBlock {
  kind: 'heading';
  text: string;
  /** Workbook row (1-based) for workbook exports. */
  row?: number;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
  /** A notice that stands out (the "no deviations" line, an empty list). */
  muted?: boolean;
  row?: number;
}

export interface ListBlock {
  kind: 'list';
  items: string[];
  /** Workbook row of the first item. */
  row?: number;
}

/** Label/value pairs, one per row (a form's fields, or a submission's answers). */
export interface FieldsBlock {
  kind: 'fields';
  id?: string;
  title?: string;
  rows: { label: Cell; value: Cell; id?: string }[];
}

/** A table: a list in the submission becomes its rows. */
export interface TableBlock {
  kind: 'table';
  id?: string;
  title?: string;
  columns: { id: string; header: Cell; width?: number }[];
  rows: Cell[][];
  /** The totals row (first cell usually its label), or none. */
  totals?: Cell[];
  /** Shown instead of an empty table. */
  empty?: string;
}

export type Block = HeadingBlock | ParagraphBlock | ListBlock | FieldsBlock | TableBlock;

export interface Section {
  title: string;
  /** Worksheet name (unique, at most 31 characters, no []:*?/\) for workbook exports. */
  sheet: string;
  blocks: Block[];
  /** A workbook cell for the section title (row 1, or row 2 under a draft banner). */
  titleCell?: Cell;
}

export interface ExportDocument {
  /** The kind of export (`offerteformat`, `regioplan`, `rapport`): also the default file suffix. */
  kind: string;
  layout: 'workbook' | 'document';
  lang: Lang;
  title: string;
  /** Lines under the title in documents: form, organisation, contract year, status. */
  subtitle: string[];
  /**
   * Set when the export was forced despite errors: every page and sheet carries this text
   * ("concept — voldoet niet aan alle minimumeisen").
   */
  draft?: string;
  sections: Section[];
  /** The id of the table or fields block a CSV export consists of (named by the mapping). */
  csvBlock?: string;
  /** Fixed metadata so the same submission gives the same bytes. */
  metadata: {
    title: string;
    subject: string;
    author: string;
    creator: string;
    /** ISO date embedded as creation and modification date (the submission's reference date). */
    date: string;
    keywords: string[];
  };
}

/** The table or fields block a CSV is made of, named by the mapping's `csv` entry. */
export function csvBlock(document: ExportDocument): TableBlock | FieldsBlock | undefined {
  if (document.csvBlock === undefined) return undefined;
  for (const section of document.sections) {
    for (const block of section.blocks) {
      if ((block.kind === 'table' || block.kind === 'fields') && block.id === document.csvBlock) return block;
    }
  }
  return undefined;
}
