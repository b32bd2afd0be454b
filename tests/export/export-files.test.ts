import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import { exportSubmission, type ExportOptions } from '../../server/src/export/export-submission.js';
import { toWinAnsi } from '../../server/src/export/pdf-writer.js';
import { engine, sample, TODAY } from '../helpers/engine.js';
import { evaluateSheetFormula, hasPdfToText, PDFTOTEXT_MISSING, pdfPages, readDocx, readXlsx } from '../helpers/export-readers.js';

/**
 * Every export of the VGZ regioplan, written by the real writers and read back with real readers:
 * exceljs for the workbook (values, types, live formulas that add up to totals computed here from
 * the YAML), the Word XML, pdftotext for the PDF, a CSV parser for the CSV.
 */

const FORM = 'vgz/rho-regioplan';
const DRAFT_NL = 'concept — voldoet niet aan alle minimumeisen';
const valid = sample(FORM);
const data = parseYaml(valid) as {
  praktijken: { naam: string; aantal_ingeschreven_patienten: number; huisartsen: { naam: string; big_nummer: string; mandaat: boolean }[] }[];
  regio: { aantal_huisartsen_in_regio: number };
  addenda: (string | { naam: string; kostenregels?: { bedrag_eur: number }[] })[];
};
const expected = {
  patienten: data.praktijken.reduce((sum, p) => sum + p.aantal_ingeschreven_patienten, 0),
  huisartsen: data.praktijken.reduce((sum, p) => sum + p.huisartsen.length, 0),
  gemandateerd: data.praktijken.reduce((sum, p) => sum + p.huisartsen.filter((h) => h.mandaat).length, 0),
  ouderenKosten: data.addenda
    .flatMap((a) => (typeof a === 'object' && a.naam === 'Module Zorg voor kwetsbare ouderen' ? (a.kostenregels ?? []) : []))
    .reduce((sum, k) => sum + k.bedrag_eur, 0),
};
// A submission with errors: the mandate drops below 80 % (VGZ-RHO-04c).
const invalid = sample(FORM, 'invalid-mandaat-en-patienten.yaml');

async function exported(text: string, options: Partial<ExportOptions> & Pick<ExportOptions, 'format'>): Promise<Uint8Array> {
  const outcome = await exportSubmission(engine(), text, { lang: 'nl', today: TODAY, generator: 'zorgtoets test', ...options });
  if (!outcome.ok) throw new Error(`export refused: ${outcome.message}`);
  assert.deepEqual(outcome.files.length, 1);
  return (outcome.files[0] as { bytes: Uint8Array }).bytes;
}

function formulaOf(cell: ExcelJS.Cell): { formula: string; result: unknown } {
  const value = cell.value;
  assert.ok(value && typeof value === 'object' && 'formula' in value, `${cell.address} holds a formula, got ${JSON.stringify(value)}`);
  return { formula: value.formula ?? '', result: value.result };
}

/** The data row index of a column header in a sheet, found by its header text. */
function findCell(sheet: ExcelJS.Worksheet, text: string): ExcelJS.Cell {
  let found: ExcelJS.Cell | undefined;
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (!found && cell.value === text) found = cell;
    }),
  );
  assert.ok(found, `"${text}" on sheet ${sheet.name}`);
  return found;
}

describe('export offerteformat (xlsx)', () => {
  test('one sheet per section, the addenda and chains as tables, a sheet for deviations', async () => {
    const workbook = await readXlsx(await exported(valid, { format: 'xlsx' }));
    const names = workbook.worksheets.map((s) => s.name);
    for (const name of ['Aanvraag', 'Verklaringen VGZ', 'Regio', 'Praktijken', 'Zorgketens', 'Addenda', 'GLI volwassenen en kinderen', 'Afwijkingen']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const aanvraag = workbook.getWorksheet('Aanvraag') as ExcelJS.Worksheet;
    assert.equal(aanvraag.getCell('A1').value, 'Organisatie en aanvraag');
    const naam = findCell(aanvraag, 'Naam RHO');
    assert.equal(aanvraag.getCell(Number(naam.row), 2).value, 'Stichting Huisartsenzorg Lingestroom');
    // Real types: a date is a date, a year a number, an identifier text (leading zeros kept).
    const ingediend = aanvraag.getCell(Number(findCell(aanvraag, 'Ingediend op').row), 2);
    assert.ok(ingediend.value instanceof Date, 'ingediend_op is a date cell');
    assert.equal((ingediend.value as Date).toISOString().slice(0, 10), '2025-07-01');
    assert.equal(aanvraag.getCell(Number(findCell(aanvraag, 'Contractjaar').row), 2).value, 2026);
    assert.equal(aanvraag.getCell(Number(findCell(aanvraag, 'KvK-nummer').row), 2).value, '71845203');
    const ketens = workbook.getWorksheet('Zorgketens') as ExcelJS.Worksheet;
    assert.ok(findCell(ketens, 'DMII (Diabetes Mellitus type 2)'));
  });

  test('practice totals are live formulas over the practice rows that add up to the YAML totals', async () => {
    const workbook = await readXlsx(await exported(valid, { format: 'xlsx' }));
    const sheet = workbook.getWorksheet('Praktijken') as ExcelJS.Worksheet;
    const header = findCell(sheet, 'Ingeschreven patiënten');
    const first = findCell(sheet, data.praktijken[0]?.naam ?? '');
    // Each practice row holds its patients as a number.
    data.praktijken.forEach((p, i) => assert.equal(sheet.getCell(Number(first.row) + i, Number(header.col)).value, p.aantal_ingeschreven_patienten));
    const totalRow = Number(first.row) + data.praktijken.length;
    assert.equal(sheet.getCell(totalRow, 1).value, 'Totaal');
    for (const [column, want] of [
      [Number(header.col), expected.patienten],
      [Number(header.col) + 1, expected.huisartsen],
      [Number(header.col) + 2, expected.gemandateerd],
    ] as const) {
      const { formula, result } = formulaOf(sheet.getCell(totalRow, column));
      assert.match(formula, /^SUM\([A-Z]+\d+:[A-Z]+\d+\)$/);
      assert.equal(evaluateSheetFormula(workbook, sheet.name, formula), want, `${formula} sums to ${want}`);
      assert.equal(result, want, 'cached result');
    }
  });

  test('the mandate is a formula across sheets: gemandateerd ÷ huisartsen in de regio', async () => {
    const workbook = await readXlsx(await exported(valid, { format: 'xlsx' }));
    const regio = workbook.getWorksheet('Regio') as ExcelJS.Worksheet;
    const cell = regio.getCell(Number(findCell(regio, 'Mandaat (minimaal 80%)').row), 2);
    const { formula, result } = formulaOf(cell);
    const want = expected.gemandateerd / data.regio.aantal_huisartsen_in_regio;
    assert.ok(Math.abs(evaluateSheetFormula(workbook, 'Regio', formula) - want) < 1e-12, formula);
    assert.ok(Math.abs(Number(result) - want) < 1e-12);
    assert.equal(cell.numFmt, '0.0%');
    const som = regio.getCell(Number(findCell(regio, 'Ingeschreven patiënten (som van de praktijken)').row), 2);
    assert.match(formulaOf(som).formula, /^'Praktijken'!D\d+$/);
    assert.equal(evaluateSheetFormula(workbook, 'Regio', formulaOf(som).formula), expected.patienten);
  });

  test('the cost lines of the frail-elderly module are summed by a formula', async () => {
    const workbook = await readXlsx(await exported(valid, { format: 'xlsx' }));
    const sheet = workbook.getWorksheet('Addenda') as ExcelJS.Worksheet;
    const line = findCell(sheet, 'Coördinatie ouderenzorg regio');
    const bedrag = sheet.getCell(Number(line.row), 3);
    assert.equal(bedrag.value, 86000);
    assert.match(bedrag.numFmt, /€/);
    const total = sheet.getCell(Number(line.row) + 2, 3);
    assert.equal(evaluateSheetFormula(workbook, 'Addenda', formulaOf(total).formula), expected.ouderenKosten);
    assert.equal(formulaOf(total).result, expected.ouderenKosten);
  });

  test('booleans are booleans; the declarations keep the schema question order', async () => {
    const workbook = await readXlsx(await exported(valid, { format: 'xlsx' }));
    const sheet = workbook.getWorksheet('Verklaringen VGZ') as ExcelJS.Worksheet;
    const question = findCell(sheet, 'Voldoet de zorgaanbieder aan de Wet toetreding zorgaanbieders (Wtza)?');
    assert.equal(sheet.getCell(Number(question.row), 1).value, 1);
    assert.equal(sheet.getCell(Number(question.row), 3).value, true);
    assert.equal(sheet.getCell(Number(question.row) + 1, 4).value, 'verklaringen.wtza_vergunning_vereist');
    assert.equal(sheet.getCell(Number(question.row) + 1, 3).value, false);
  });

  test('a forced export marks every sheet as a draft, in the sheet and in its printed header', async () => {
    const workbook = await readXlsx(await exported(invalid, { format: 'xlsx', force: true }));
    assert.ok(workbook.worksheets.length > 5);
    for (const sheet of workbook.worksheets) {
      assert.equal(sheet.getCell('A1').value, DRAFT_NL, sheet.name);
      assert.match(sheet.headerFooter.oddHeader ?? '', /concept — voldoet niet aan alle minimumeisen/, sheet.name);
    }
  });
});

describe('export huisartsenlijst (csv)', () => {
  test('one row per GP, parsed back with a CSV parser; Dutch separator', async () => {
    const bytes = await exported(valid, { format: 'csv' });
    const rows = parseCsv(Buffer.from(bytes), { bom: true, delimiter: ';' }) as string[][];
    assert.deepEqual(rows[0], ['Praktijk', 'AGB-code praktijk', 'Gemeente', 'Huisarts', 'BIG-nummer', 'Mandaat']);
    assert.equal(rows.length - 1, expected.huisartsen);
    assert.deepEqual(rows[1], ['Gezondheidscentrum De Linge', '01051824', 'Lingedal', 'Anne de Vries', '49012345601', 'ja']);
    assert.equal(rows.filter((r) => r[5] === 'ja').length, expected.gemandateerd);
  });

  test('English uses commas and yes/no', async () => {
    const bytes = await exported(valid, { format: 'csv', lang: 'en' });
    const rows = parseCsv(Buffer.from(bytes), { bom: true, delimiter: ',' }) as string[][];
    assert.equal(rows[0]?.[3], 'GP');
    assert.equal(rows[1]?.[5], 'yes');
  });

  test('a forced CSV starts with the draft line', async () => {
    const rows = parseCsv(Buffer.from(await exported(invalid, { format: 'csv', force: true })), { bom: true, delimiter: ';', relax_column_count: true }) as string[][];
    assert.deepEqual(rows[0], [DRAFT_NL]);
  });
});

describe('export regioplan (docx)', () => {
  test('the Word XML holds the plan with Dutch numbers and dates', async () => {
    const { body, headers, xml } = await readDocx(await exported(valid, { format: 'docx' }));
    assert.match(body, /Stichting Huisartsenzorg Lingestroom \(stichting, KvK 71845203\) vraagt bij VGZ/);
    assert.match(body, /112\.000 patiënten op naam ingeschreven/);
    assert.match(body, /Ingediend op\n1 juli 2025/);
    assert.match(body, /Mandaat \(minimaal 80%\)\n88,5%/);
    assert.match(body, /Totaal\n112\.000\n52\n46/);
    assert.match(body, /3\. Zorgketen DMII \(Diabetes Mellitus type 2\)/);
    assert.match(body, /Afwijkingen en toelichting\nEr zijn geen afwijkingen opgegeven/);
    assert.ok(!headers.some((h) => h.includes('concept')), 'no draft mark on a valid submission');
    assert.match(xml['docProps/core.xml'] ?? '', /<dc:creator>zorgtoets test<\/dc:creator>/);
    assert.match(xml['docProps/core.xml'] ?? '', /<dcterms:created[^>]*>2025-07-01T00:00:00Z</);
  });

  test('a forced export carries the draft mark in the page header', async () => {
    const { headers } = await readDocx(await exported(invalid, { format: 'docx', force: true }));
    assert.ok(headers.length > 0);
    for (const header of headers) assert.equal(header, DRAFT_NL);
  });

  test('English with lang en', async () => {
    const { body } = await readDocx(await exported(valid, { format: 'docx', lang: 'en' }));
    assert.match(body, /applies to VGZ for the RHO care agreement 2026-2027/);
    assert.match(body, /Submitted on\n1 July 2025/);
    assert.match(body, /112,000 registered patients/);
  });
});

describe('export regioplan and report (pdf)', { skip: hasPdfToText() ? false : PDFTOTEXT_MISSING }, () => {
  test('the regioplan PDF reads back as text, every page numbered', async () => {
    const pages = pdfPages(await exported(valid, { format: 'pdf', kind: 'regioplan' }));
    const text = pages.join('\n');
    assert.match(text, /Regioplan Zorgovereenkomst Zorgverlening RHO's/);
    assert.match(text, /112\.000 patiënten op naam ingeschreven/);
    assert.match(text, /88,5%/);
    assert.match(text, /Gezondheidscentrum De Linge/);
    pages.forEach((page, i) => assert.match(page, new RegExp(`Pagina ${i + 1} van ${pages.length}`), `page ${i + 1}`));
  });

  test('a forced PDF has the draft mark on every page', async () => {
    const pages = pdfPages(await exported(invalid, { format: 'pdf', kind: 'regioplan', force: true }));
    assert.ok(pages.length > 1);
    pages.forEach((page, i) => assert.ok(page.includes(DRAFT_NL), `page ${i + 1} carries the draft mark`));
  });

  test('the compliance report lists every requirement of the form with its outcome and source', async () => {
    const version = engine().forms.version(FORM, 2026);
    assert.ok(version);
    const ids = engine().forms.requirementIds(version);
    const text = pdfPages(await exported(valid, { format: 'pdf', kind: 'rapport' })).join('\n');
    for (const id of ids) assert.ok(text.includes(id), `${id} in the report`);
    assert.match(text, /Nalevingsrapport — Stichting Huisartsenzorg Lingestroom/);
    assert.match(text, /004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.match(text, /Afwijkingen en toelichting/);
  });
});

describe('PDF text encoding', () => {
  test('the standard fonts’ WinAnsi keeps Dutch letters and € and spells out what it lacks', () => {
    assert.equal(toWinAnsi('Coördinatie € 1.450,00 — ≥ 80% ≤ 4,5 uur'), 'Coördinatie € 1.450,00 — >= 80% <= 4,5 uur');
    assert.equal(toWinAnsi('Kŵan'), 'Kwan');
    assert.equal(toWinAnsi('漢'), '?');
  });
});

describe('determinism: the same submission gives the same bytes', () => {
  const kinds = [
    ['xlsx', 'offerteformat'],
    ['csv', 'huisartsenlijst'],
    ['docx', 'regioplan'],
    ['pdf', 'regioplan'],
    ['md', 'regioplan'],
    ['pdf', 'rapport'],
    ['md', 'rapport'],
  ] as const;
  const runs: Uint8Array[][] = [];
  before(async () => {
    for (let run = 0; run < 2; run++) {
      // Two seconds apart: the zip format stores times in 2-second steps, PDF dates in seconds,
      // so any clock a writer embeds would differ between the runs.
      if (run === 1) await new Promise((resolve) => setTimeout(resolve, 2100));
      runs.push(await Promise.all(kinds.map(([format, kind]) => exported(valid, { format, kind }))));
    }
  });
  kinds.forEach(([format, kind], i) => {
    test(`${kind} as ${format}`, () => {
      const [first, second] = [runs[0]?.[i], runs[1]?.[i]];
      assert.ok(first && second && first.length > 500);
      assert.ok(Buffer.from(first).equals(Buffer.from(second)), `${kind}.${format}: two runs give equal bytes`);
    });
  });
});
