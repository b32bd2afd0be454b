import ExcelJS from 'exceljs';
import type { Block, Cell, ExportDocument, NumberFormat, Section } from '../engine/export/index.js';
import { deterministicZip } from './deterministic-zip.js';

/**
 * Writes a workbook export with exceljs: one worksheet per section, each cell at the position the
 * model's layout gave it, with its real type (numbers, dates, booleans), a number format, and live
 * formulas with their cached results. A forced export carries the draft text in a red banner on
 * row 1 and in the printed header of every sheet.
 */

const NUMBER_FORMATS: Record<NumberFormat, string> = {
  integer: '#,##0',
  decimal: '#,##0.##',
  eur: '"€" #,##0.00',
  percentage: '0.0%',
  year: '0',
};

const DATE_FORMAT = { nl: 'dd-mm-yyyy', en: 'yyyy-mm-dd' } as const;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
const DRAFT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9AA5B1' } };

export async function writeXlsx(document: ExportDocument): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const date = new Date(`${document.metadata.date}T00:00:00Z`);
  workbook.creator = document.metadata.creator;
  workbook.lastModifiedBy = document.metadata.creator;
  workbook.created = date;
  workbook.modified = date;
  workbook.title = document.metadata.title;
  workbook.subject = document.metadata.subject;
  workbook.keywords = document.metadata.keywords.join(', ');
  workbook.company = document.metadata.author;
  // Excel recalculates the live formulas when the file is opened; the cached results are for readers that do not.
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const section of document.sections) writeSheet(workbook, section, document);
  const buffer = await workbook.xlsx.writeBuffer();
  return deterministicZip(new Uint8Array(buffer as ArrayBuffer), document.metadata.date);
}

function writeSheet(workbook: ExcelJS.Workbook, section: Section, document: ExportDocument): void {
  const sheet = workbook.addWorksheet(section.sheet, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    headerFooter: {
      oddHeader: document.draft ? `&C&"-,Bold"&KC00000${escapeHeader(document.draft)}` : `&L${escapeHeader(document.title)}`,
      oddFooter: `&L${escapeHeader(section.title)}&R&P / &N`,
    },
  });
  const widths = new Map<number, number>();
  const measure = (column: number, text: string) => widths.set(column, Math.max(widths.get(column) ?? 8, Math.min(60, text.length + 2)));
  if (document.draft) {
    const banner = sheet.getCell(1, 1);
    banner.value = document.draft;
    banner.font = { bold: true, color: { argb: 'FFC00000' } };
    banner.fill = DRAFT_FILL;
  }
  if (section.titleCell?.address) {
    const title = sheet.getCell(section.titleCell.address.row, section.titleCell.address.column);
    title.value = section.titleCell.display;
    title.font = { bold: true, size: 14 };
  }
  for (const block of section.blocks) writeBlock(sheet, block, document, measure);
  for (const [column, width] of widths) sheet.getColumn(column).width = width;
}

function writeBlock(sheet: ExcelJS.Worksheet, block: Block, document: ExportDocument, measure: (column: number, text: string) => void): void {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      if (block.row === undefined) return;
      sheet.getCell(block.row, 1).value = block.text;
      sheet.getCell(block.row, 1).font = block.kind === 'heading' ? { bold: true, size: 12 } : block.muted ? { italic: true, color: { argb: 'FF5A6570' } } : {};
      return;
    case 'list':
      if (block.row === undefined) return;
      block.items.forEach((item, i) => {
        sheet.getCell((block.row as number) + i, 1).value = `• ${item}`;
        measure(1, item);
      });
      return;
    case 'fields': {
      const first = block.rows[0]?.label.address;
      if (block.title && first) {
        sheet.getCell(first.row - 1, 1).value = block.title;
        sheet.getCell(first.row - 1, 1).font = { bold: true, size: 12 };
      }
      for (const row of block.rows) {
        writeCell(sheet, row.label, document, measure);
        writeCell(sheet, row.value, document, measure);
      }
      return;
    }
    case 'table': {
      const header = block.columns[0]?.header.address;
      if (block.title && header) {
        sheet.getCell(header.row - 1, 1).value = block.title;
        sheet.getCell(header.row - 1, 1).font = { bold: true, size: 12 };
      }
      for (const column of block.columns) {
        const cell = writeCell(sheet, column.header, document, measure);
        if (cell) {
          cell.fill = HEADER_FILL;
          cell.border = { bottom: THIN };
          cell.alignment = { wrapText: true, vertical: 'top' };
        }
      }
      for (const row of block.rows) for (const cell of row) writeCell(sheet, cell, document, measure);
      if (block.rows.length === 0 && block.empty && header) {
        sheet.getCell(header.row + 1, 1).value = block.empty;
        sheet.getCell(header.row + 1, 1).font = { italic: true, color: { argb: 'FF5A6570' } };
      }
      for (const cell of block.totals ?? []) {
        const written = writeCell(sheet, cell, document, measure);
        if (written) written.border = { top: THIN };
      }
      return;
    }
  }
}

function writeCell(sheet: ExcelJS.Worksheet, cell: Cell, document: ExportDocument, measure: (column: number, text: string) => void): ExcelJS.Cell | undefined {
  if (!cell.address) return undefined;
  const target = sheet.getCell(cell.address.row, cell.address.column);
  const value = cell.value;
  let plain: ExcelJS.CellValue = null;
  switch (value.type) {
    case 'number':
      plain = value.value;
      target.numFmt = NUMBER_FORMATS[value.format];
      break;
    case 'date':
      plain = new Date(`${value.iso}T00:00:00Z`);
      target.numFmt = DATE_FORMAT[document.lang];
      break;
    case 'boolean':
      plain = value.value;
      break;
    case 'text':
      plain = value.text;
      break;
    case 'empty':
      plain = null;
      break;
  }
  if (cell.formula !== undefined) {
    const result = cell.formulaError ? { error: cell.formulaError as ExcelJS.CellErrorValue['error'] } : (plain ?? undefined);
    target.value = result === undefined ? { formula: cell.formula } : { formula: cell.formula, result: result as ExcelJS.CellFormulaValue['result'] };
  } else {
    target.value = plain;
  }
  if (cell.bold) target.font = { bold: true };
  if (value.type === 'text' && value.text.length > 60) target.alignment = { wrapText: true, vertical: 'top' };
  measure(cell.address.column, cell.display);
  return target;
}

/** Header/footer text: "&" starts a code there. */
function escapeHeader(text: string): string {
  return text.replace(/&/g, '&&');
}
