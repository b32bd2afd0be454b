import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/**
 * Readers for the export tests: each output is read back with a real reader (exceljs, an unzip of
 * the Word XML, poppler's pdftotext), never by looking at what our writers were given.
 */

export async function readXlsx(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

/** The text of a .docx: its body paragraphs (one per line) and the text of its headers. */
export async function readDocx(bytes: Uint8Array): Promise<{ body: string; headers: string[]; xml: Record<string, string> }> {
  const zip = await JSZip.loadAsync(bytes);
  const xml: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    if (name.endsWith('.xml')) xml[name] = await (zip.files[name] as JSZip.JSZipObject).async('string');
  }
  const text = (source: string) =>
    source
      .split(/<\/w:p>/)
      .map((paragraph) => [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1] ?? '')).join(''))
      .filter((line) => line !== '')
      .join('\n');
  const headers = Object.keys(xml)
    .filter((name) => /^word\/header\d*\.xml$/.test(name))
    .sort()
    .map((name) => text(xml[name] ?? ''));
  return { body: text(xml['word/document.xml'] ?? ''), headers, xml };
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Whether poppler's pdftotext is installed (.ci/run installs poppler-utils). */
export function hasPdfToText(): boolean {
  return spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;
}

export const PDFTOTEXT_MISSING = 'pdftotext (poppler-utils) is not installed: apt-get install -y poppler-utils';

/** The text of each page of a PDF, through pdftotext. */
export function pdfPages(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'zt-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, bytes);
    const result = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
    return result.stdout.split('\f').filter((page, i, all) => i < all.length - 1 || page.trim() !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Evaluates a formula of a sheet the way a spreadsheet would, for what our exports use: numbers,
 * "text", cell references ('Sheet'!C5, C5), single-column ranges (C5:C12), SUM, SUMIF and
 * + - * /. Independent of the engine's own evaluator: the test recomputes each result from the
 * cells exceljs reads back.
 */
export function evaluateSheetFormula(workbook: ExcelJS.Workbook, sheetName: string, formula: string): number {
  const result = evaluate(workbook, sheetName, formula)[0];
  return typeof result === 'number' ? result : Number.NaN;
}

type Value = number | string;

function evaluate(workbook: ExcelJS.Workbook, sheetName: string, formula: string): Value[] {
  let pos = 0;
  const text = formula.replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '');
  const cellValue = (sheet: string, ref: string): Value => {
    const cell = workbook.getWorksheet(sheet)?.getCell(ref);
    if (!cell) throw new Error(`no sheet ${sheet}`);
    const value = cell.value;
    if (typeof value === 'number' || typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'formula' in value) return evaluate(workbook, sheet, value.formula ?? '')[0] ?? 0;
    return '';
  };
  const range = (sheet: string, from: string, to: string): Value[] => {
    const [, c1 = '', r1 = ''] = /^([A-Z]+)(\d+)$/.exec(from) ?? [];
    const [, c2 = '', r2 = ''] = /^([A-Z]+)(\d+)$/.exec(to) ?? [];
    if (c1 !== c2) throw new Error('only single-column ranges are expected');
    const values: Value[] = [];
    for (let r = Number(r1); r <= Number(r2); r++) values.push(cellValue(sheet, `${c1}${r}`));
    return values;
  };
  const num = (values: Value[]): number => (typeof values[0] === 'number' ? values[0] : 0);
  const reference = (): Value[] => {
    let sheet = sheetName;
    const quoted = /^'((?:[^']|'')+)'!/.exec(text.slice(pos));
    if (quoted) {
      sheet = (quoted[1] ?? '').replace(/''/g, "'");
      pos += quoted[0].length;
    }
    const match = /^([A-Z]+\d+)(?::([A-Z]+\d+))?/.exec(text.slice(pos));
    if (!match) throw new Error(`bad reference at ${text.slice(pos)}`);
    pos += match[0].length;
    return match[2] ? range(sheet, match[1] ?? '', match[2]) : [cellValue(sheet, match[1] ?? '')];
  };
  const args = (): Value[][] => {
    const list: Value[][] = [];
    for (;;) {
      list.push(expression());
      if (text[pos] === ',') pos++;
      else break;
    }
    pos++; // ')'
    return list;
  };
  const primary = (): Value[] => {
    if (text.startsWith('SUM(', pos)) {
      pos += 4;
      return [args().flat().reduce<number>((a, b) => a + (typeof b === 'number' ? b : 0), 0)];
    }
    if (text.startsWith('SUMIF(', pos)) {
      pos += 6;
      const [where = [], criterion = [], sums = []] = args();
      return [where.reduce<number>((total, value, i) => (value === criterion[0] && typeof sums[i] === 'number' ? total + (sums[i] as number) : total), 0)];
    }
    if (text[pos] === '(') {
      pos++;
      const inner = expression();
      pos++;
      return inner;
    }
    if (text[pos] === '"') {
      const end = text.indexOf('"', pos + 1);
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return [value];
    }
    const number = /^\d+(\.\d+)?/.exec(text.slice(pos));
    if (number) {
      pos += number[0].length;
      return [Number(number[0])];
    }
    return reference();
  };
  const term = (): Value[] => {
    let left = primary();
    while (text[pos] === '*' || text[pos] === '/') {
      const op = text[pos++];
      const right = num(primary());
      left = [op === '*' ? num(left) * right : num(left) / right];
    }
    return left;
  };
  const expression = (): Value[] => {
    let left = term();
    while (text[pos] === '+' || text[pos] === '-') {
      const op = text[pos++];
      const right = num(term());
      left = [op === '+' ? num(left) + right : num(left) - right];
    }
    return left;
  };
  const result = expression();
  if (pos !== text.length) throw new Error(`unparsed formula rest: ${text.slice(pos)}`);
  return result;
}
