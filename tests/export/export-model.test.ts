import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataFileError, Engine, type DataFiles } from '../../server/src/engine/index.js';
import { evaluateFormula, parseFormula, planExport, renderFormula, requirementRows, type ExportDocument, type TableBlock } from '../../server/src/engine/export/index.js';
import { FormulaSyntaxError, FormulaValueError } from '../../server/src/engine/export/formula.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { writeMarkdown } from '../../server/src/export/markdown-writer.js';
import { engine, ROOT, sample, TODAY } from '../helpers/engine.js';

/** The pure export model: mapping validation, formulas, refusal and draft, the compliance report. */

const FORM = 'vgz/rho-regioplan';
const MAPPING = 'vgz/rho-regioplan.export.yaml';

function plan(text: string, options: { format?: 'xlsx' | 'docx' | 'pdf' | 'csv' | 'md'; kind?: string; force?: boolean; lang?: 'nl' | 'en' } = {}) {
  const e = engine();
  const result = e.check(text, { today: TODAY, explicit: true });
  return planExport(e, result, { format: options.format ?? 'md', lang: options.lang ?? 'nl', referenceDate: TODAY, generator: 'zorgtoets test', ...(options.kind ? { kind: options.kind } : {}), ...(options.force ? { force: true } : {}) });
}

function documentOf(result: ReturnType<typeof plan>): ExportDocument {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.document;
}

/** The product's data with the RHO export mapping replaced by `text`. */
function engineWithMapping(text: string): Engine {
  const disk = new NodeDataFiles(join(ROOT, 'schemas'));
  const files: DataFiles = {
    read: (path) => (path === MAPPING ? text : disk.read(path)),
    list: (dir) => disk.list(dir),
    folders: (dir) => disk.folders(dir),
    exists: (path) => disk.exists(path),
  };
  return new Engine({ files });
}

const MINIMAL = (body: string) => `exports:\n  test:\n    title: Test\n    layout: workbook\n    formats: [xlsx]\n    sections:\n      - title: Blad\n        blocks:\n${body}`;

describe('export mapping validation: a broken mapping names its file and field', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown formula reference', `          - fields:\n              - {id: a, label: A, value: self.contractjaar}\n              - {label: B, formula: "[a] * [nope]"}\n`, /exports\.test\.sections\[0\]\.blocks\[0\]\.fields\[1\]\.formula: \[nope\]: geen veld met id nope/],
    ['invalid CEL', `          - fields:\n              - {label: A, value: "self.contractjaar +"}\n`, /exports\.test\.sections\[0\]\.blocks\[0\]\.fields\[0\]\.value: ongeldige CEL-expressie/],
    ['formula syntax', `          - fields:\n              - {label: A, formula: "SUMX(1)"}\n`, /fields\[0\]\.formula: ongeldige formule "SUMX\(1\)": onbekende functie SUMX/],
    ['unknown closed list', `          - fields:\n              - {label: A, value: self.organisatie.rechtsvorm, list: vormen}\n`, /fields\[0\]\.list: onbekende lijst "vormen"/],
    ['totals of an unknown column', `          - table:\n              rows: praktijken[*]\n              columns: [{id: naam, header: Naam, value: item.naam}]\n              totals: {label: Totaal, patienten: "SUM(1)"}\n`, /table\.totals\.patienten: geen kolom patienten/],
    ['[@column] outside a table', `          - fields:\n              - {label: A, formula: "[@naam]"}\n`, /kan alleen in een kolomformule van een tabel/],
  ];
  for (const [name, body, message] of cases) {
    test(name, () => {
      assert.throws(
        () => engineWithMapping(MINIMAL(body)).loadAll(),
        (error: unknown) => error instanceof DataFileError && error.file === MAPPING && message.test(error.message),
      );
    });
  }
  test('a CSV export must name its table', () => {
    const text = MINIMAL(`          - paragraph: Tekst\n`).replace('formats: [xlsx]', 'formats: [xlsx, csv]');
    assert.throws(() => engineWithMapping(text).loadAll(), /exports\.test\.csv: ontbreekt: noem het id van de tabel/);
  });
  test('an unknown key is a zod error with its path', () => {
    assert.throws(() => engineWithMapping(MINIMAL(`          - paragraph: Tekst\n            kleur: rood\n`)).loadAll(), (error: unknown) => error instanceof DataFileError && error.file === MAPPING && /sections\[0\]\.blocks\[0\]/.test(error.message));
  });
  test('the product mapping itself loads', () => {
    const e = engineWithMapping(new NodeDataFiles(join(ROOT, 'schemas')).read(MAPPING));
    e.loadAll();
    const version = e.forms.version(FORM, 2026);
    assert.ok(version);
    assert.deepEqual(e.exportMapping(version)?.kinds.map((k) => k.name), ['offerteformat', 'huisartsenlijst', 'regioplan']);
  });
});

describe('formulas', () => {
  const cells: Record<string, number | string | (number | string)[]> = { a: 3, b: 4, 'k.bedrag': [10, 20, 30], 'k.bron': ['o-en-i', 'gemeente', 'o-en-i'], nul: 0 };
  const resolve = (ref: string) => cells[ref];
  const address = (ref: string) => ({ a: 'B2', b: 'B3', 'k.bedrag': "'Begroting 2026'!C5:C7", 'k.bron': "'Begroting 2026'!D5:D7", nul: 'B9' })[ref] ?? '?';
  test('parse, render with addresses, evaluate', () => {
    const tree = parseFormula('ROUND(SUMIF([k.bron], "o-en-i", [k.bedrag]) / ([a] + 1), 2)');
    assert.equal(renderFormula(tree, address), `ROUND(SUMIF('Begroting 2026'!D5:D7,"o-en-i",'Begroting 2026'!C5:C7)/(B2+1),2)`);
    assert.equal(evaluateFormula(tree, resolve), 10);
    assert.equal(evaluateFormula(parseFormula('[a] * [b] - 2'), resolve), 10);
    assert.equal(evaluateFormula(parseFormula('SUM([k.bedrag], [a])'), resolve), 63);
    assert.equal(evaluateFormula(parseFormula('IF([a] > [b], "meer", "minder")'), resolve), 'minder');
    assert.equal(evaluateFormula(parseFormula('ROUND(2.675, 2)'), resolve), 2.68);
  });
  test('division by zero is the spreadsheet error, not a number', () => {
    assert.throws(() => evaluateFormula(parseFormula('[a] / [nul]'), resolve), (e: unknown) => e instanceof FormulaValueError && e.message === '#DIV/0!');
  });
  test('syntax errors explain themselves', () => {
    assert.throws(() => parseFormula('SUM([a]'), FormulaSyntaxError);
    assert.throws(() => parseFormula('[A1]'), /ongeldige verwijzing/);
    assert.throws(() => parseFormula('ROUND(1)'), /ROUND verwacht 2 argumenten/);
  });
});

describe('refusal and the draft mark', () => {
  const invalid = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
  test('a submission with errors is refused, with its errors', () => {
    const result = plan(invalid, { format: 'xlsx' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reason === 'errors');
    assert.ok(result.errors.some((f) => f.id === 'VGZ-RHO-04c' && f.severity === 'error'));
    assert.match(result.message, /fout\(en\): de aanvraag voldoet niet aan alle minimumeisen en wordt niet geëxporteerd/);
  });
  test('forced, the model carries the draft text; without errors it does not', () => {
    assert.equal(documentOf(plan(invalid, { format: 'xlsx', force: true })).draft, 'concept — voldoet niet aan alle minimumeisen');
    assert.equal(documentOf(plan(invalid, { format: 'xlsx', force: true, lang: 'en' })).draft, 'draft — does not meet all minimum requirements');
    assert.equal(documentOf(plan(sample(FORM), { format: 'xlsx' })).draft, undefined);
  });
  test('a format or kind the form does not have is a usage error naming what it has', () => {
    const wrong = plan(sample(FORM), { format: 'csv', kind: 'regioplan' });
    assert.ok(!wrong.ok && wrong.reason === 'usage' && /regioplan kan niet naar csv, wel naar docx, pdf, md/.test(wrong.message));
    const unknown = plan(sample(FORM), { format: 'pdf', kind: 'offerte' });
    assert.ok(!unknown.ok && /onbekende soort "offerte".*offerteformat \(xlsx\).*rapport \(pdf, md, docx\)/.test(unknown.message));
  });
  test('the default kind is the first with the format', () => {
    assert.equal((plan(sample(FORM), { format: 'xlsx' }) as { kind: string }).kind, 'offerteformat');
    assert.equal((plan(sample(FORM), { format: 'docx' }) as { kind: string }).kind, 'regioplan');
    assert.equal((plan(sample(FORM), { format: 'csv' }) as { kind: string }).kind, 'huisartsenlijst');
  });
});

describe('compliance report', () => {
  const version = engine().forms.version(FORM, 2026);
  assert.ok(version);
  const ids = engine().forms.requirementIds(version);

  test('every requirement of the form, in catalogue order, met or not, with its source', () => {
    const invalid = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
    const result = engine().check(invalid, { today: TODAY });
    const rows = requirementRows(engine().catalogue, ids, result.findings, 'nl');
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(ids));
    assert.equal(rows.find((r) => r.id === 'VGZ-RHO-04c')?.status, 'not-met');
    assert.equal(rows.find((r) => r.id === 'VGZ-ALG-08')?.status, 'note');
    assert.equal(rows.find((r) => r.id === 'VGZ-RHO-02')?.status, 'met');
    assert.ok(rows.every((r) => r.source.length > 0));
  });

  test('the Markdown report: requirements table, findings, notes as such, and the deviations section', () => {
    const doc = documentOf(plan(sample(FORM), { kind: 'rapport' }));
    const md = new TextDecoder().decode(writeMarkdown(doc));
    for (const id of ids) assert.ok(md.includes(`| ${id} |`), `${id} is a row of the requirements table`);
    assert.match(md, /\| VGZ-RHO-04c \| Aantoonbaar mandaat van ≥ 80% van de huisartsen in de regio \| voldaan \| 004_8353ac6ccfdd3b59\.txt › Bijlage 2/);
    assert.match(md, /\| VGZ-ALG-08 \| .* \| notitie \|/);
    assert.match(md, /## Notities\n\nDeze punten uit het inkoopbeleid zijn geen controles[^\n]*\n\n### VGZ-ALG-08 — /);
    assert.match(md, /## Bevindingen\n\n\*Geen bevindingen/);
    assert.match(md, /## Afwijkingen en toelichting\n\n\*Er zijn geen afwijkingen opgegeven/);
  });

  test('stated deviations are listed with their requirement and justification', () => {
    const text = `${sample(FORM)}\nafwijkingen:\n  - id: VGZ-RHO-04c\n    pad: regio.aantal_huisartsen_in_regio\n    toelichting: Twee praktijken sluiten per 1 januari 2026 aan; hun mandaat volgt bij ondertekening.\n`;
    const doc = documentOf(plan(text, { kind: 'rapport' }));
    const section = doc.sections.find((s) => s.title === 'Afwijkingen en toelichting');
    const table = section?.blocks.find((b): b is TableBlock => b.kind === 'table');
    assert.ok(table, 'a table of deviations');
    assert.deepEqual(
      table.rows.map((row) => row.map((c) => c.display)),
      [['VGZ-RHO-04c', 'Aantoonbaar mandaat van ≥ 80% van de huisartsen in de regio', 'regio.aantal_huisartsen_in_regio', 'Twee praktijken sluiten per 1 januari 2026 aan; hun mandaat volgt bij ondertekening.']],
    );
    // The mapping exports get the same section as their last sheet or chapter.
    const offerte = documentOf(plan(text, { format: 'xlsx' }));
    assert.equal(offerte.sections.at(-1)?.title, 'Afwijkingen en toelichting');
    assert.ok(offerte.sections.at(-1)?.blocks.some((b) => b.kind === 'table'));
  });

  test('the engine’s judgement of deviations, once it has one, is shown beside them', () => {
    const e = engine();
    const result = e.check(sample(FORM), { today: TODAY });
    const planned = planExport(e, result, {
      format: 'md',
      kind: 'rapport',
      lang: 'nl',
      referenceDate: TODAY,
      generator: 'zorgtoets test',
      deviations: [{ id: 'VGZ-RHO-04c', title: 'Mandaat', toelichting: 'Uitleg', status: 'afwijking toegelicht' }],
    });
    const table = documentOf(planned)
      .sections.at(-1)
      ?.blocks.find((b): b is TableBlock => b.kind === 'table');
    assert.deepEqual(table?.columns.map((c) => c.header.display), ['Eis', 'Omschrijving', 'Veld', 'Toelichting', 'Beoordeling']);
    assert.deepEqual(table?.rows[0]?.map((c) => c.display), ['VGZ-RHO-04c', 'Mandaat', '', 'Uitleg', 'afwijking toegelicht']);
  });

  test('English report', () => {
    const doc = documentOf(plan(sample(FORM), { kind: 'rapport', lang: 'en' }));
    assert.match(doc.title, /^Compliance report — /);
    assert.deepEqual(
      doc.sections.map((s) => s.title),
      ['Summary', 'Minimum requirements', 'Findings', 'Notes', 'Deviations and justification'],
    );
  });
});
