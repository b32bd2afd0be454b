import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Block, Cell, ExportDocument, FieldsBlock, TableBlock } from '../engine/export/index.js';
import { deterministicZip } from './deterministic-zip.js';

/**
 * Writes a document export with `docx` (Word): the title and its lines, one heading per section,
 * paragraphs, bullet lists, label/value tables and data tables with a repeated header row and a
 * totals row. Numbers and dates appear as the model writes them (Dutch notation by default). A
 * forced export carries the draft text in the header of every page.
 */

const PAGE = { nl: 'Pagina', en: 'Page' } as const;
const OF = { nl: 'van', en: 'of' } as const;
const GREY = '5A6570';
const RED = 'C00000';
const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'B8C2CC' };
const BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER, insideHorizontal: CELL_BORDER, insideVertical: CELL_BORDER };

export async function writeDocx(document: ExportDocument): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  children.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(document.title)] }));
  for (const line of document.subtitle) children.push(new Paragraph({ children: [new TextRun({ text: line, color: GREY })] }));
  for (const section of document.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 360 }, children: [new TextRun(section.title)] }));
    for (const block of section.blocks) children.push(...blockContent(block));
  }
  const lang = document.lang;
  const doc = new Document({
    title: document.metadata.title,
    subject: document.metadata.subject,
    creator: document.metadata.creator,
    lastModifiedBy: document.metadata.creator,
    keywords: document.metadata.keywords.join(', '),
    description: document.subtitle.join('\n'),
    revision: 1,
    styles: { default: { document: { run: { font: 'Calibri', size: 21 } } } },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              document.draft
                ? new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: document.draft, bold: true, color: RED })] })
                : new Paragraph({ children: [new TextRun({ text: document.title, color: GREY, size: 16 })] }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ children: [`${PAGE[lang]} `, PageNumber.CURRENT, ` ${OF[lang]} `, PageNumber.TOTAL_PAGES], color: GREY, size: 16 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(doc);
  return deterministicZip(new Uint8Array(buffer), document.metadata.date);
}

function blockContent(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(block.text)] })];
    case 'paragraph':
      return [new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: block.text, ...(block.muted ? { italics: true, color: GREY } : {}) })] })];
    case 'list':
      return block.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(item)] }));
    case 'fields':
      return [...titleOf(block), fieldsTable(block), spacer()];
    case 'table':
      return [...titleOf(block), dataTable(block), spacer()];
  }
}

function titleOf(block: FieldsBlock | TableBlock): Paragraph[] {
  return block.title ? [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(block.title)] })] : [];
}

function spacer(): Paragraph {
  return new Paragraph({ children: [] });
}

function cellParagraph(cell: Cell, options: { bold?: boolean; right?: boolean } = {}): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        ...(options.right ? { alignment: AlignmentType.RIGHT } : {}),
        children: [new TextRun({ text: cell.display, bold: options.bold ?? cell.bold ?? false })],
      }),
    ],
  });
}

function isNumeric(cell: Cell): boolean {
  return cell.value.type === 'number';
}

function fieldsTable(block: FieldsBlock): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [3600, 5400],
    borders: BORDERS,
    rows: block.rows.map((row) => new TableRow({ children: [cellParagraph(row.label, { bold: true }), cellParagraph(row.value, { bold: false })] })),
  });
}

function dataTable(block: TableBlock): Table {
  const total = block.columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
  const columnWidths = block.columns.map((c) => Math.round((9000 * (c.width ?? 1)) / total));
  const header = new TableRow({
    tableHeader: true,
    children: block.columns.map(
      (column) =>
        new TableCell({
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E8EEF4' },
          children: [new Paragraph({ children: [new TextRun({ text: column.header.display, bold: true })] })],
        }),
    ),
  });
  const rows = block.rows.map((row) => new TableRow({ children: row.map((cell) => cellParagraph(cell, { right: isNumeric(cell) })) }));
  if (block.rows.length === 0) {
    rows.push(
      new TableRow({
        children: block.columns.map((_, c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c === 0 ? (block.empty ?? '') : '', italics: true, color: GREY })] })] })),
      }),
    );
  }
  if (block.totals) rows.push(new TableRow({ children: block.totals.map((cell) => cellParagraph(cell, { bold: true, right: isNumeric(cell) })) }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths, borders: BORDERS, rows: [header, ...rows] });
}
