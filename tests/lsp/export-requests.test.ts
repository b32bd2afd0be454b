import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type ExcelJS from 'exceljs';
import { exportSubmission } from '../../server/src/export/export-submission.js';
import type { ExportResult, ExportsResult } from '../../server/src/lsp/protocol.js';
import { createNodeEngine, localToday, productVersion } from '../../server/src/node/create-engine.js';
import { sample } from '../helpers/engine.js';
import { readXlsx } from '../helpers/export-readers.js';
import { LspClient } from '../helpers/lsp-client.js';

/**
 * The server side of "zorgtoets: Export…" over stdio: the exports of the open document's form, and
 * one export of its current text — the same bytes `zorgtoets export` writes, read back with a real
 * reader; refused with its errors unless forced, and then marked as a draft; in the language of
 * the workspace's `.zorgtoets.yaml`.
 */

const FORM = 'vgz/rho-regioplan';
const dir = mkdtempSync(join(tmpdir(), 'zt-export-lsp-'));
const engelsDir = mkdtempSync(join(tmpdir(), 'zt-export-lsp-en-'));
writeFileSync(join(engelsDir, '.zorgtoets.yaml'), 'taal: en\n');
const validUri = pathToFileURL(join(dir, 'regioplan.yaml')).href;
const invalidUri = pathToFileURL(join(dir, 'mandaat.yaml')).href;
const englishUri = pathToFileURL(join(engelsDir, 'regioplan.yaml')).href;

let client: LspClient;

before(async () => {
  client = new LspClient();
  await client.initialize({ debounceMs: 0 });
  await client.open(validUri, sample(FORM));
  await client.open(invalidUri, sample(FORM, 'invalid-mandaat-en-patienten.yaml'));
  await client.open(englishUri, sample(FORM, 'invalid-mandaat-en-patienten.yaml'));
});

after(async () => {
  assert.equal(await client.shutdown(), 0, client.log);
});

const exportOf = (uri: string, kind: string, format: string, force = false) => client.request<ExportResult>('zorgtoets/export', { uri, kind, format, force });
const text = (result: ExportResult) => (result.ok ? Buffer.from(result.data, 'base64').toString('utf8') : '');

describe('zorgtoets/exports', () => {
  test("the form's exports with their formats, and the compliance report", async () => {
    const result = await client.request<ExportsResult | null>('zorgtoets/exports', { uri: validUri });
    assert.equal(result?.form, FORM);
    assert.equal(result?.year, 2026);
    const kinds = Object.fromEntries((result?.exports ?? []).map((k) => [k.name, k.formats]));
    assert.deepEqual(kinds['offerteformat'], ['xlsx']);
    assert.deepEqual(kinds['rapport'], ['pdf', 'md', 'docx']);
  });

  test('nothing for a YAML file that is not a submission, or a document that is not open', async () => {
    const other = pathToFileURL(join(dir, 'notities.yaml')).href;
    await client.open(other, 'titel: geen aanvraag\n');
    assert.equal(await client.request('zorgtoets/exports', { uri: other }), null);
    assert.equal(await client.request('zorgtoets/exports', { uri: pathToFileURL(join(dir, 'dicht.yaml')).href }), null);
  });
});

describe('zorgtoets/export', () => {
  test('a valid submission: the bytes zorgtoets export writes, readable as a workbook, with the place beside the file', async () => {
    const result = await exportOf(validUri, 'offerteformat', 'xlsx');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.suffix, 'offerteformat.xlsx');
    assert.equal(result.mediaType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(fileURLToPath(result.defaultUri ?? ''), join(dir, 'regioplan.offerteformat.xlsx'));
    assert.deepEqual(result.errors, []);
    const bytes = Buffer.from(result.data, 'base64');
    const cli = await exportSubmission(createNodeEngine(), sample(FORM), { format: 'xlsx', kind: 'offerteformat', lang: 'nl', today: localToday(), generator: `zorgtoets ${productVersion()}` });
    assert.ok(cli.ok);
    assert.ok(Buffer.from(cli.files[0]?.bytes ?? []).equals(bytes), 'the same bytes as the CLI');
    const workbook = await readXlsx(bytes);
    const aanvraag = workbook.getWorksheet('Aanvraag') as ExcelJS.Worksheet;
    assert.equal(aanvraag.getCell('A1').value, 'Organisatie en aanvraag');
  });

  test('the text in the editor is exported, not the file on disk', async () => {
    await client.change(validUri, 2, [{ text: sample(FORM).replace('Stichting Huisartsenzorg Lingestroom', 'Stichting Huisartsenzorg Lingestroom-Zuid') }]);
    const result = await exportOf(validUri, 'regioplan', 'md');
    assert.ok(result.ok);
    assert.match(text(result), /Lingestroom-Zuid/);
  });

  test('a submission with errors is refused with its errors (ID, message, place)', async () => {
    const result = await exportOf(invalidUri, 'rapport', 'md');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reason === 'errors');
    const mandate = result.errors.find((e) => e.id === 'VGZ-RHO-04c');
    assert.match(mandate?.message ?? '', /^Mandaat 71,9% \(46 van 64 huisartsen/);
    assert.deepEqual(mandate?.range.start, { line: 54, character: 30 });
  });

  test('forced: exported as a draft, marked, with the errors it was made despite', async () => {
    const result = await exportOf(invalidUri, 'rapport', 'md', true);
    assert.ok(result.ok);
    assert.ok(result.errors.some((e) => e.id === 'VGZ-RHO-04c'));
    assert.match(text(result), /concept — voldoet niet aan alle minimumeisen/i);
  });

  test("in the language of the workspace's .zorgtoets.yaml", async () => {
    const result = await exportOf(englishUri, 'rapport', 'md', true);
    assert.ok(result.ok);
    assert.match(text(result), /draft — does not meet all minimum requirements/i);
    assert.match(result.errors.find((e) => e.id === 'VGZ-RHO-04c')?.message ?? '', /^Mandate 71\.9%/);
  });

  test('a format the form does not offer, or an unknown one: a usage error saying what is offered', async () => {
    const wrong = await exportOf(validUri, 'offerteformat', 'pdf');
    assert.ok(!wrong.ok && wrong.reason === 'usage');
    assert.match(wrong.message, /xlsx/);
    const unknown = await exportOf(validUri, 'offerteformat', 'odt');
    assert.ok(!unknown.ok && unknown.reason === 'usage');
    const closed = await exportOf(pathToFileURL(join(dir, 'dicht.yaml')).href, 'rapport', 'md');
    assert.ok(!closed.ok && closed.reason === 'usage');
  });
});
