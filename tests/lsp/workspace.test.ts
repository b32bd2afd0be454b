import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { sample } from '../helpers/engine.js';
import { LspClient, type Publish } from '../helpers/lsp-client.js';
import { otherRhoPlan } from '../helpers/other-rho.js';

/**
 * The language server on a workspace: the submissions of the workspace folders are compared with
 * each other as the CLI compares the files of one run (VGZ-RHO-05, ZT-XDOC). Open documents count
 * with their text in the editor, the others with their saved file; a change on disk (the client's
 * file watcher) or in the editor recomputes the findings across documents, and every open document
 * whose findings changed is published again. Over stdio, like an editor.
 */

const REGIOPLAN = sample('vgz/rho-regioplan');
const OFFER = sample('vgz/verkennend-gesprek');
const IGO = sample('asr/igo-offerte');
const QUESTIONNAIRE = sample('asr/kraamzorg-vragenlijst');

/** A third RHO sharing every practice: hidden where a scan must not look. */
function hidden(): string {
  return REGIOPLAN.replace('Stichting Huisartsenzorg Lingestroom', 'Huisartsen Verborgen').replace('"71845203"', '"40404040"');
}

const dir = mkdtempSync(join(tmpdir(), 'zt-werkruimte-'));
const files: Record<string, string> = {
  'rho/lingestroom.yaml': REGIOPLAN,
  'rho/waalmond.yaml': otherRhoPlan(),
  'mgn/offerte.yaml': OFFER.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Huisartsenzorg Lingestroom'),
  'igo/offerte.yaml': IGO,
  'kraamzorg/lindewaard.yaml': QUESTIONNAIRE.replace('contracttype: plus', 'contracttype: bemiddelingsbureau'),
  'node_modules/pakket/regioplan.yaml': hidden(),
  '.git/regioplan.yaml': hidden(),
  '.verborgen/regioplan.yaml': hidden(),
  'notities.yaml': 'titel: geen aanvraag\n',
};
for (const [name, text] of Object.entries(files)) {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}
const uri = (name: string) => pathToFileURL(join(dir, name)).href;

let client: LspClient;

before(async () => {
  client = new LspClient();
  await client.initialize({ debounceMs: 0 }, null, [pathToFileURL(dir).href]);
});

after(async () => {
  assert.equal(await client.shutdown(), 0, client.log);
});

const of = (publish: Publish, id: string) => publish.diagnostics.filter((d) => d.code === id);
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));
const lineOf = (text: string, line: string) => text.split('\n').findIndex((l) => l === line);

describe('checks across the documents of a workspace', () => {
  test('the server watches the workspace YAML files', async () => {
    await waitFor(() => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const watchers = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions as { watchers: { globPattern: unknown }[] };
    assert.deepEqual(watchers.watchers.map((w) => w.globPattern), ['**/*.{yaml,yml}']);
  });

  test('an open offer is compared with the regioplan saved in the workspace (ZT-XDOC), with a pointer to it', async () => {
    const text = files['mgn/offerte.yaml'] as string;
    await client.open(uri('mgn/offerte.yaml'), text);
    const publish = await client.waitForDiagnostics(uri('mgn/offerte.yaml'), (p) => of(p, 'ZT-XDOC').length > 0);
    const [finding, ...rest] = of(publish, 'ZT-XDOC');
    assert.equal(rest.length, 0);
    assert.equal(publish.version, 1);
    assert.equal(finding?.severity, 1);
    assert.equal(messageOf(finding), 'De RHO met KvK-nummer 71845203 heet hier "Huisartsenzorg Lingestroom", maar in haar regioplan (rho/lingestroom.yaml) "Stichting Huisartsenzorg Lingestroom"; gebruik in beide dezelfde naam');
    assert.equal(finding?.range.start.line, lineOf(text, '  naam: Huisartsenzorg Lingestroom'));
    const related = finding?.relatedInformation?.[0];
    assert.equal(related?.location.uri, uri('rho/lingestroom.yaml'));
    assert.equal(related?.location.range.start.line, lineOf(REGIOPLAN, '  naam: Stichting Huisartsenzorg Lingestroom'));
    assert.equal(related?.message, 'zie rho/lingestroom.yaml');
  });

  test('an edit in the editor recomputes: the fixed name is no longer reported', async () => {
    const from = client.publishes.length;
    await client.change(uri('mgn/offerte.yaml'), 2, [{ text: OFFER }]);
    const publish = await client.waitForVersion(uri('mgn/offerte.yaml'), 2);
    assert.ok(client.publishes.indexOf(publish) >= from);
    assert.deepEqual(of(publish, 'ZT-XDOC'), []);
  });

  test('a change on disk (file watcher) recomputes for the open documents', async () => {
    const renamed = REGIOPLAN.replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Stichting Huisartsenzorg Lingestroom-Betuwe');
    writeFileSync(join(dir, 'rho/lingestroom.yaml'), renamed);
    await client.fileChanged(uri('rho/lingestroom.yaml'));
    const publish = await client.waitForDiagnostics(uri('mgn/offerte.yaml'), (p) => of(p, 'ZT-XDOC').length > 0, { from: client.publishes.length });
    assert.match(messageOf(of(publish, 'ZT-XDOC')[0]), /"Stichting Huisartsenzorg Lingestroom-Betuwe"/);
    assert.equal(publish.version, 2, 'the document itself did not change');
    writeFileSync(join(dir, 'rho/lingestroom.yaml'), REGIOPLAN);
    await client.fileChanged(uri('rho/lingestroom.yaml'));
    await client.waitForDiagnostics(uri('mgn/offerte.yaml'), (p) => of(p, 'ZT-XDOC').length === 0, { from: client.publishes.length - 1 });
  });

  test('an IGO is compared with the questionnaire of its kraamzorg provider', async () => {
    await client.open(uri('igo/offerte.yaml'), IGO);
    const publish = await client.waitForDiagnostics(uri('igo/offerte.yaml'), (p) => of(p, 'ZT-XDOC').length > 0);
    assert.match(messageOf(of(publish, 'ZT-XDOC')[0]), /vraagt in zijn eigen vragenlijst \(kraamzorg\/lindewaard\.yaml\) de overeenkomst voor bemiddelingsbureaus aan/);
    assert.equal(of(publish, 'ZT-XDOC')[0]?.relatedInformation?.[0]?.location.uri, uri('kraamzorg/lindewaard.yaml'));
  });

  test('the same practice in two regioplans: both open documents report it; files in node_modules, .git and hidden folders are not compared', async () => {
    await client.open(uri('rho/lingestroom.yaml'), REGIOPLAN);
    const lingestroom = await client.waitForDiagnostics(uri('rho/lingestroom.yaml'), (p) => of(p, 'VGZ-RHO-05').length > 0);
    assert.equal(of(lingestroom, 'VGZ-RHO-05').length, 6, 'the practice and its five GPs, once each: not also against the hidden copies');
    for (const d of of(lingestroom, 'VGZ-RHO-05')) assert.deepEqual(d.relatedInformation?.map((r) => r.location.uri), [uri('rho/waalmond.yaml')]);
    assert.match(messageOf(of(lingestroom, 'VGZ-RHO-05')[0]), /staat ook in het regioplan van Coöperatie Huisartsen Waalmond \(rho\/waalmond\.yaml\)/);
    await client.open(uri('rho/waalmond.yaml'), otherRhoPlan());
    const waalmondPublish = await client.waitForDiagnostics(uri('rho/waalmond.yaml'), (p) => of(p, 'VGZ-RHO-05').length === 6);
    assert.equal(waalmondPublish.version, 1);
  });

  test('an edit that keeps every key: the messages and places follow the new text (renamed GP, a line added above)', async () => {
    const text = `# concept\n${otherRhoPlan().replace('naam: Ilse de Groot,', 'naam: Ilse de Groot-Visser,')}`;
    await client.change(uri('rho/waalmond.yaml'), 2, [{ text }]);
    const publish = await client.waitForDiagnostics(uri('rho/waalmond.yaml'), (p) => p.version === 2);
    const found = of(publish, 'VGZ-RHO-05');
    assert.equal(found.length, 6);
    assert.ok(found.some((d) => messageOf(d).startsWith('Huisarts Ilse de Groot-Visser (BIG 49012356585)')), found.map(messageOf).join('\n'));
    const lines = text.split('\n');
    for (const d of found) {
      const line = lines[d.range.start.line] ?? '';
      assert.ok(/agb_code|big_nummer/.test(line), `line ${d.range.start.line} of the new text holds the number: ${line}`);
    }
    const back = client.publishes.length;
    await client.change(uri('rho/waalmond.yaml'), 3, [{ text: otherRhoPlan() }]);
    const again = await client.waitForDiagnostics(uri('rho/waalmond.yaml'), (p) => p.version === 3, { from: back });
    assert.ok(of(again, 'VGZ-RHO-05').some((d) => messageOf(d).startsWith('Huisarts Ilse de Groot (BIG')));
  });

  test('editing one open document publishes the other again; closing it unsaved brings the saved file back', async () => {
    const text = otherRhoPlan().replace('agb_code: "01052317"', 'agb_code: "01052399"');
    const from = client.publishes.length;
    await client.change(uri('rho/waalmond.yaml'), 4, [{ text }]);
    const lingestroom = await client.waitForDiagnostics(uri('rho/lingestroom.yaml'), (p) => of(p, 'VGZ-RHO-05').length === 5, { from });
    assert.equal(lingestroom.version, 1, 'published again for the same version');
    const closing = client.publishes.length;
    await client.close(uri('rho/waalmond.yaml'));
    await client.waitForDiagnostics(uri('rho/waalmond.yaml'), (p) => p.diagnostics.length === 0, { from: closing });
    await client.waitForDiagnostics(uri('rho/lingestroom.yaml'), (p) => of(p, 'VGZ-RHO-05').length === 6, { from: closing });
  });

  test('a file deleted from disk leaves the comparison', async () => {
    const from = client.publishes.length;
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'rho/waalmond.yaml'));
    await client.fileChanged(uri('rho/waalmond.yaml'), 3);
    const publish = await client.waitForDiagnostics(uri('rho/lingestroom.yaml'), (p) => of(p, 'VGZ-RHO-05').length === 0, { from });
    assert.equal(publish.version, 1);
    const summary = await client.request<{ errors: number } | null>('zorgtoets/summary', { uri: uri('rho/lingestroom.yaml') });
    assert.equal(summary?.errors, 0);
  });

  test('the summary and the requirements view count the findings across documents', async () => {
    const summary = await client.request<{ errors: number; text: string } | null>('zorgtoets/summary', { uri: uri('igo/offerte.yaml') });
    assert.equal(summary?.errors, 1);
    assert.match(summary?.text ?? '', /^1 fout/);
    const view = await client.request<{ requirements: { id: string; state: string }[] } | null>('zorgtoets/requirements', { uri: uri('igo/offerte.yaml') });
    assert.equal(view?.requirements.find((r) => r.id === 'ZT-XDOC')?.state, 'error');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
