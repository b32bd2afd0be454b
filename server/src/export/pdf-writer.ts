import PDFDocument from 'pdfkit';
import type { Block, Cell, ExportDocument, FieldsBlock, TableBlock } from '../engine/export/index.js';

/**
 * Writes a document export as PDF with pdfkit: A4, the standard Helvetica fonts (nothing to embed,
 * nothing downloaded), headings, paragraphs, lists and tables that break across pages with their
 * header row repeated. Every page gets a header (the draft text in red for a forced export, else
 * the title) and a footer "Pagina n van m". The creation date is the export's date, so the same
 * submission gives the same bytes.
 */

const MARGIN = { top: 64, bottom: 60, left: 50, right: 50 };
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const GREY = '#5A6570';
const RED = '#C00000';
const LINE = '#B8C2CC';
const HEADER_FILL = '#E8EEF4';
const PAGE = { nl: 'Pagina', en: 'Page' } as const;
const OF = { nl: 'van', en: 'of' } as const;
const CELL_PAD = 3;
const BODY = 9.5;

/**
 * The standard PDF fonts encode text as WinAnsi: Latin-1 plus a few signs (€, –, —, ‘’“”, …).
 * Anything else is written as its nearest ASCII so no character silently disappears.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '≠': '!=', '\u202f': ' ', '\u2009': ' ', '\u2011': '-', '−': '-' };
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) || char === '\n') out += char;
    else out += REPLACEMENTS[char] ?? (char.normalize('NFKD').replace(/[^\x20-\x7e]/g, '') || '?');
  }
  return out;
}

export async function writePdf(document: ExportDocument): Promise<Uint8Array> {
  const date = new Date(`${document.metadata.date}T00:00:00Z`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: document.lang === 'nl' ? 'nl-NL' : 'en-GB',
    info: {
      Title: toWinAnsi(document.metadata.title),
      Subject: toWinAnsi(document.metadata.subject),
      Author: toWinAnsi(document.metadata.author),
      Keywords: toWinAnsi(document.metadata.keywords.join(', ')),
      Creator: document.metadata.creator,
      Producer: document.metadata.creator,
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('end', () => resolve());
    pdf.on('error', reject);
  });

  new PdfLayout(pdf, document).write();
  pdf.end();
  await finished;
  return new Uint8Array(Buffer.concat(chunks));
}

class PdfLayout {
  private readonly width: number;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly document: ExportDocument,
  ) {
    this.width = pdf.page.width - MARGIN.left - MARGIN.right;
  }

  write(): void {
    const { pdf, document } = this;
    pdf.font(FONT.bold).fontSize(17).fillColor('black').text(toWinAnsi(document.title), MARGIN.left, MARGIN.top, { width: this.width });
    pdf.moveDown(0.4);
    pdf.font(FONT.regular).fontSize(BODY).fillColor(GREY);
    for (const line of document.subtitle) pdf.text(toWinAnsi(line), { width: this.width });
    pdf.fillColor('black');
    for (const section of document.sections) {
      this.ensure(60);
      pdf.moveDown(1);
      pdf.font(FONT.bold).fontSize(13).text(toWinAnsi(section.title), MARGIN.left, pdf.y, { width: this.width });
      pdf.moveDown(0.4);
      for (const block of section.blocks) this.block(block);
    }
    this.decoratePages();
  }

  private get bottom(): number {
    return this.pdf.page.height - MARGIN.bottom;
  }

  /** Starts a new page when fewer than `height` points are left. */
  private ensure(height: number): void {
    if (this.pdf.y + height > this.bottom) {
      this.pdf.addPage();
      this.pdf.y = MARGIN.top;
    }
  }

  private block(block: Block): void {
    const { pdf } = this;
    switch (block.kind) {
      case 'heading':
        this.ensure(40);
        pdf.moveDown(0.4);
        pdf.font(FONT.bold).fontSize(11).fillColor('black').text(toWinAnsi(block.text), MARGIN.left, pdf.y, { width: this.width });
        pdf.moveDown(0.2);
        return;
      case 'paragraph':
        this.ensure(24);
        pdf.font(block.muted ? FONT.italic : FONT.regular).fontSize(BODY).fillColor(block.muted ? GREY : 'black').text(toWinAnsi(block.text), MARGIN.left, pdf.y, { width: this.width });
        pdf.fillColor('black').moveDown(0.5);
        return;
      case 'list':
        pdf.font(FONT.regular).fontSize(BODY).fillColor('black');
        for (const item of block.items) {
          this.ensure(14);
          pdf.text(`•  ${toWinAnsi(item)}`, MARGIN.left + 8, pdf.y, { width: this.width - 8 });
        }
        pdf.moveDown(0.5);
        return;
      case 'fields':
        this.title(block);
        this.table(
          [0.36, 0.64],
          null,
          block.rows.map((row) => [row.label, row.value]),
          [],
        );
        return;
      case 'table':
        this.title(block);
        this.table(
          block.columns.map((c) => c.width ?? 1),
          block.columns.map((c) => c.header),
          block.rows.length > 0 ? block.rows : [block.columns.map((_, c) => ({ value: { type: 'empty' }, display: c === 0 ? (block.empty ?? '') : '' }) as Cell)],
          block.totals ?? [],
        );
        return;
    }
  }

  private title(block: FieldsBlock | TableBlock): void {
    if (!block.title) return;
    this.ensure(50);
    this.pdf.moveDown(0.3);
    this.pdf.font(FONT.bold).fontSize(10.5).fillColor('black').text(toWinAnsi(block.title), MARGIN.left, this.pdf.y, { width: this.width });
    this.pdf.moveDown(0.2);
  }

  /** A table with wrapped cells; rows never split, the header row repeats on each new page. */
  private table(weights: number[], header: Cell[] | null, rows: Cell[][], totals: Cell[]): void {
    const { pdf } = this;
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (this.width * w) / sum);
    const fontSize = weights.length > 6 ? 7.5 : BODY - 1;
    const measure = (row: Cell[], bold: boolean) => {
      pdf.font(bold ? FONT.bold : FONT.regular).fontSize(fontSize);
      return Math.max(...row.map((cell, c) => pdf.heightOfString(toWinAnsi(cell.display) || ' ', { width: (widths[c] ?? 0) - 2 * CELL_PAD }))) + 2 * CELL_PAD;
    };
    const draw = (row: Cell[], kind: 'header' | 'body' | 'totals') => {
      const bold = kind !== 'body';
      const height = measure(row, bold);
      if (pdf.y + height > this.bottom) {
        pdf.addPage();
        pdf.y = MARGIN.top;
        if (header && kind !== 'header') draw(header, 'header');
      }
      const top = pdf.y;
      let x = MARGIN.left;
      row.forEach((cell, c) => {
        const width = widths[c] ?? 0;
        if (kind === 'header') pdf.rect(x, top, width, height).fillColor(HEADER_FILL).fill();
        pdf.rect(x, top, width, height).lineWidth(0.5).strokeColor(LINE).stroke();
        const numeric = cell.value.type === 'number';
        pdf.font(bold || cell.bold ? FONT.bold : FONT.regular).fontSize(fontSize).fillColor('black');
        pdf.text(toWinAnsi(cell.display), x + CELL_PAD, top + CELL_PAD, { width: width - 2 * CELL_PAD, align: numeric ? 'right' : 'left' });
        x += width;
      });
      pdf.x = MARGIN.left;
      pdf.y = top + height;
    };
    this.ensure(40);
    if (header) draw(header, 'header');
    for (const row of rows) draw(row, 'body');
    if (totals.length > 0) draw(totals, 'totals');
    pdf.y += 10;
    pdf.x = MARGIN.left;
  }

  /** Header (draft mark or title) and page numbers on every page, once the page count is known. */
  private decoratePages(): void {
    const { pdf, document } = this;
    const range = pdf.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      pdf.switchToPage(i);
      const margins = pdf.page.margins;
      const savedBottom = margins.bottom;
      margins.bottom = 0;
      if (document.draft) {
        pdf.font(FONT.bold).fontSize(10).fillColor(RED).text(toWinAnsi(document.draft), MARGIN.left, 28, { width: this.width, align: 'center', lineBreak: false });
      } else {
        pdf.font(FONT.regular).fontSize(7.5).fillColor(GREY).text(toWinAnsi(document.title), MARGIN.left, 30, { width: this.width, lineBreak: false, ellipsis: true });
      }
      pdf.font(FONT.regular).fontSize(7.5).fillColor(GREY).text(`${PAGE[document.lang]} ${i + 1} ${OF[document.lang]} ${range.count}`, MARGIN.left, pdf.page.height - 40, { width: this.width, align: 'right', lineBreak: false });
      margins.bottom = savedBottom;
    }
    pdf.fillColor('black');
  }
}
