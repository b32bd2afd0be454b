import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import { buildExport } from '../../server/src/engine/export/build.js';
import { loadExportMapping } from '../../server/src/engine/export/mapping.js';
import type { ExportDocument, FieldsBlock, TableBlock } from '../../server/src/engine/export/model.js';
import { SchemaLookup } from '../../server/src/engine/export/schema-lookup.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { writeCsv } from '../../server/src/export/csv-writer.js';
import { writeXlsx } from '../../server/src/export/xlsx-writer.js';
import { engine, ROOT } from '../helpers/engine.js';
import { evaluateSheetFormula, readXlsx } from '../helpers/export-readers.js';

/**
 * The export mappings of the forms other work is adding (VGZ Verkennend gesprek, a.s.r. IGO and
 * kraamzorg, Z&Z RO): they load, and run over the complete valid example of each form's
 * specification (../shared/forms/*.md) with the right totals. Without the form's schema the
 * labels are the keys; once the form lands its manifest names the mapping and the product tests
 * run it over the form's own samples.
 */

const SHARED = join(ROOT, '..', 'shared', 'forms');
const files = new NodeDataFiles(join(ROOT, 'schemas'));

function example(spec: string): Record<string, unknown> {
  const text = readFileSync(join(SHARED, spec), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(block, `a yaml example in ${spec}`);
  return parseYaml(block) as Record<string, unknown>;
}

function build(mappingPath: string, kindName: string, data: Record<string, unknown>): ExportDocument {
  const mapping = loadExportMapping(files, mappingPath, new Map());
  const kind = mapping.kinds.find((k) => k.name === kindName);
  assert.ok(kind, `${kindName} in ${mappingPath}`);
  const result = buildExport({
    kind,
    data,
    lang: 'nl',
    labels: () => undefined,
    schema: new SchemaLookup({ root: {}, resolveRef: () => undefined }, engine().catalogue),
    title: kindName,
    subtitle: [],
    deviations: [],
    metadata: { title: kindName, subject: '', author: '', creator: 'zorgtoets test', date: '2026-01-01', keywords: [] },
  });
  assert.deepEqual(result.problems, [], 'every mapping expression evaluates on the example');
  return result.document;
}

function field(document: ExportDocument, label: RegExp, section?: string): FieldsBlock['rows'][number] {
  for (const s of document.sections) {
    if (section !== undefined && s.title !== section) continue;
    for (const block of s.blocks) if (block.kind === 'fields') for (const row of block.rows) if (label.test(row.label.display)) return row;
  }
  assert.fail(`field ${label} ${section ?? ''}`);
}

function cellAt(workbook: ExcelJS.Workbook, sheet: string, label: RegExp): ExcelJS.Cell {
  const ws = workbook.getWorksheet(sheet);
  assert.ok(ws, sheet);
  let found: ExcelJS.Cell | undefined;
  ws.eachRow((row) => {
    const first = row.getCell(1).value;
    if (!found && typeof first === 'string' && label.test(first)) found = row.getCell(2);
  });
  assert.ok(found, `${label} on ${sheet}`);
  return found;
}

function formula(cell: ExcelJS.Cell): string {
  const value = cell.value;
  assert.ok(value && typeof value === 'object' && 'formula' in value, `${cell.address} is a formula`);
  return value.formula ?? '';
}

describe('export mappings of the forms being added', { skip: existsSync(SHARED) ? false : `../shared/forms is not beside the project (${SHARED})` }, () => {
  test('vgz/verkennend-gesprek: offerte total = aantal gesprekken × tarief, a live formula', async () => {
    const data = example('vgz-verkennend-gesprek.md');
    const offerte = data['offerte'] as { aantal_gesprekken: number; tarief_per_gesprek_eur: number; uitvoerders: unknown[] };
    const want = offerte.aantal_gesprekken * offerte.tarief_per_gesprek_eur;
    const document = build('vgz/verkennend-gesprek.export.yaml', 'offerte', data);
    const totaal = field(document, /^Totaal \(aantal × tarief\)$/);
    assert.equal(totaal.value.value.type === 'number' && totaal.value.value.value, want);
    assert.equal(totaal.value.display, '€ 163.125,00'.replace(' ', '\u00a0'));
    const workbook = await readXlsx(await writeXlsx(document));
    const cell = cellAt(workbook, 'Offerte', /^Totaal/);
    assert.match(formula(cell), /^B\d+\*B\d+$/);
    assert.equal(evaluateSheetFormula(workbook, 'Offerte', formula(cell)), want);
    const uitvoerders = document.sections[0]?.blocks.find((b): b is TableBlock => b.kind === 'table' && b.id === 'uitvoerders');
    assert.equal(uitvoerders?.rows.length, offerte.uitvoerders.length);
  });

  test('asr/igo-offerte: kostenopbouw with SUMIF per component and the grand total', async () => {
    const data = example('asr-igo-offerte.md');
    const componenten = (data['offerte'] as { componenten: { naam: string; totaal_eur: number; kostenregels: { bedrag_eur: number }[] }[]; totaal_eur: number }).componenten;
    const sums = componenten.map((c) => c.kostenregels.reduce((a, k) => a + k.bedrag_eur, 0));
    const grand = sums.reduce((a, b) => a + b, 0);
    assert.equal(grand, (data['offerte'] as { totaal_eur: number }).totaal_eur, 'the example is consistent');
    const workbook = await readXlsx(await writeXlsx(build('asr/igo-offerte.export.yaml', 'kostenopbouw', data)));
    const sheet = workbook.getWorksheet('Kostenopbouw') as ExcelJS.Worksheet;
    let checked = 0;
    sheet.eachRow((row) => {
      const name = row.getCell(1).value;
      const index = componenten.findIndex((c) => c.naam === name);
      const berekend = row.getCell(5);
      if (index < 0 || !(berekend.value && typeof berekend.value === 'object' && 'formula' in berekend.value)) return;
      assert.match(formula(berekend), /^SUMIF\(A\d+:A\d+,A\d+,C\d+:C\d+\)$/);
      assert.equal(evaluateSheetFormula(workbook, 'Kostenopbouw', formula(berekend)), sums[index]);
      assert.equal(evaluateSheetFormula(workbook, 'Kostenopbouw', formula(row.getCell(6))), 0, 'stated total = sum of lines');
      checked++;
    });
    assert.equal(checked, componenten.length);
    assert.equal(evaluateSheetFormula(workbook, 'Kostenopbouw', formula(cellAt(workbook, 'Kostenopbouw', /^Som van de componenten/))), grand);
    const baseline = (data['offerte'] as { huidige_kosten_monodisciplinair_eur: number }).huidige_kosten_monodisciplinair_eur;
    assert.equal(evaluateSheetFormula(workbook, 'Kostenopbouw', formula(cellAt(workbook, 'Kostenopbouw', /^Besparing/))), baseline - grand);
    // The offer document: one chapter per component with its cost lines.
    const offer = build('asr/igo-offerte.export.yaml', 'offerte', data);
    assert.equal(offer.sections.filter((s) => s.title.startsWith('3. ')).length, componenten.length);
  });

  test('asr/kraamzorg-vragenlijst: the answers as CSV in question order, only the blocks the contract type asks', () => {
    const data = example('asr-kraamzorg-vragenlijst.md');
    const rows = parseCsv(Buffer.from(writeCsv(build('asr/kraamzorg-vragenlijst.export.yaml', 'antwoorden', data))), { bom: true, delimiter: ';' }) as string[][];
    assert.deepEqual(rows[0], ['Nr.', 'Vraag', 'Antwoord', 'Veld']);
    const fields = rows.slice(1).map((r) => r[3]);
    assert.equal(fields[0], 'organisatie.naam');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), rows.slice(1).map((_, i) => String(i + 1)), 'numbered in order');
    const at = (path: string) => fields.indexOf(path);
    assert.ok(at('contracttype') < at('kraamzorgvoorwaarden.indicatiemethodiek') && at('kraamzorgvoorwaarden.indicatiemethodiek') < at('plusovereenkomst.kraamverzorgingen_2025.loondienst'));
    assert.ok(at('partusassistentie.in_ziekenhuis_of_geboortecentrum') < at('verklaringen.zorgbrede_governancecode_ingevoerd'));
    assert.ok(!fields.some((f) => f?.startsWith('bemiddelingsbureau')), 'a Plus file has no bemiddelingsbureau answers');
    const row = rows.find((r) => r[3] === 'kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat_geldig_tot');
    assert.equal(row?.[2], '30-04-2028', 'dates as dd-mm-jjjj');
    assert.equal(rows.find((r) => r[3] === 'kraamzorgvoorwaarden.verklaringen.hkz_iso_certificaat')?.[2], 'ja');
    assert.equal(rows.find((r) => r[3] === 'kraamzorgvoorwaarden.vsv[1].vorm')?.[2], 'vertegenwoordiging');
  });

  test('zenz/ro-meerjarenplan: begroting per year, tarief = jaarbudget ÷ ION as formulas across sheets', async () => {
    const data = example('zenz-ro-meerjarenplan.md');
    const ion = (data['wijksamenwerkingsverbanden'] as { praktijken: { aantal_ion: number }[] }[]).flatMap((w) => w.praktijken).reduce((a, p) => a + p.aantal_ion, 0);
    const jaren = (data['meerjarenbegroting'] as { jaren: { jaar: number; tarief_per_ion_eur: number; vaste_kosten: { bedrag_eur: number }[]; variabele_kosten: { bedrag_eur: number; financieringsbron?: string }[] }[] }).jaren;
    const workbook = await readXlsx(await writeXlsx(build('zenz/ro-meerjarenplan.export.yaml', 'begroting', data)));
    assert.deepEqual(workbook.worksheets.map((s) => s.name), ['ION', ...jaren.map((j) => `Begroting ${j.jaar}`), 'Afwijkingen']);
    for (const jaar of jaren) {
      const budget = jaar.vaste_kosten.reduce((a, k) => a + k.bedrag_eur, 0) + jaar.variabele_kosten.filter((k) => !k.financieringsbron || k.financieringsbron === 'o-en-i-regiomanagement').reduce((a, k) => a + k.bedrag_eur, 0);
      const sheet = `Begroting ${jaar.jaar}`;
      assert.equal(evaluateSheetFormula(workbook, sheet, formula(cellAt(workbook, sheet, /^Jaarbudget/))), budget);
      assert.match(formula(cellAt(workbook, sheet, /^ION$/)), /^'ION'!D\d+$/);
      const tarief = cellAt(workbook, sheet, /^Tarief per ION/);
      assert.match(formula(tarief), /^B\d+\/B\d+$/);
      const computed = evaluateSheetFormula(workbook, sheet, formula(tarief));
      assert.ok(Math.abs(computed - budget / ion) < 1e-9);
      assert.ok(Math.abs(computed - jaar.tarief_per_ion_eur) <= 0.01, `${jaar.jaar}: computed ${computed} matches the stated ${jaar.tarief_per_ion_eur}`);
    }
    const plan = build('zenz/ro-meerjarenplan.export.yaml', 'meerjarenplan', data);
    assert.equal(field(plan, /^Tarief per ION/, '7. Begroting 2026').value.display, '€\u00a012,00');
  });
});
