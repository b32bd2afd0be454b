import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentSymbol, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { localToday } from '../../server/src/node/create-engine.js';
import { engine, sample } from '../helpers/engine.js';
import { LspClient, SERVER } from '../helpers/lsp-client.js';

/**
 * The bundled language server over stdio, driven like an editor drives it. No fixed sleeps: each
 * step waits for the message it expects (generous timeouts for a loaded 2-core machine).
 */

const FORM = 'vgz/rho-regioplan';
const valid = sample(FORM);
let counter = 0;
const uriFor = (name: string) => `file:///werk/${++counter}-${name}.yaml`;

/** What the engine itself reports, as the server should publish it. */
function expected(text: string): { code: string; line: number; character: number; message: string }[] {
  return engine()
    .check(text, { today: localToday() })
    .findings.map((f) => ({ code: f.id, line: f.range.start.line, character: f.range.start.character, message: f.message }));
}
function shape(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => ({ code: String(d.code), line: d.range.start.line, character: d.range.start.character, message: messageOf(d) }));
}

/** LSP 3.18 allows markup messages and snippet edits; this server sends neither. */
function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
function editsOf(change: TextDocumentEdit | undefined): TextEdit[] {
  return (change?.edits ?? []).map((edit) => {
    assert.ok('newText' in edit, 'plain text edits');
    return edit;
  });
}

function lineOf(text: string, pattern: RegExp): number {
  const at = text.split('\n').findIndex((l) => pattern.test(l));
  assert.ok(at >= 0, `no line matches ${pattern}`);
  return at;
}

let client: LspClient;

before(async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing; npm test builds it`);
  client = new LspClient();
  const init = await client.initialize({ debounceMs: 0 });
  assert.equal(init.capabilities.textDocumentSync && typeof init.capabilities.textDocumentSync === 'object' ? init.capabilities.textDocumentSync.change : undefined, 2, 'incremental sync');
});

after(async () => {
  const code = await client.shutdown();
  assert.equal(code, 0, `the server exits cleanly after shutdown/exit\n${client.log}`);
});

describe('diagnostics', () => {
  test('open a sample: the expected IDs at the expected places, versioned, with source and related information', async () => {
    const uri = uriFor('mandaat');
    const text = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
    await client.open(uri, text);
    const publish = await client.waitForVersion(uri, 1);
    assert.deepEqual(shape(publish.diagnostics), expected(text));
    const mandate = publish.diagnostics.find((d) => d.code === 'VGZ-RHO-04c');
    assert.deepEqual(mandate?.range.start, { line: 54, character: 30 });
    assert.match(mandate ? messageOf(mandate) : '', /^Mandaat 71,9% \(46 van 64 huisartsen/);
    assert.equal(mandate?.source, 'zorgtoets');
    assert.equal(mandate?.severity, 1);
    const withRelated = publish.diagnostics.find((d) => d.relatedInformation && d.relatedInformation.length > 0);
    assert.ok(withRelated, 'a stated total vs. the list it must equal carries related information');
    assert.equal(withRelated.relatedInformation?.[0]?.location.uri, uri);
  });

  test('an incremental edit gets diagnostics for exactly that version', async () => {
    const uri = uriFor('edit');
    await client.open(uri, valid);
    assert.deepEqual((await client.waitForVersion(uri, 1)).diagnostics, []);
    const line = lineOf(valid, /^ {2}ubo_geregistreerd_bij_vektis: true/);
    const start = valid.split('\n')[line]!.indexOf('true');
    await client.change(uri, 2, [{ range: { start: { line, character: start }, end: { line, character: start + 4 } }, text: 'false' }]);
    const second = await client.waitForVersion(uri, 2);
    assert.deepEqual(second.diagnostics.map((d) => [d.code, d.range.start.line]), [['VGZ-ALG-03', line]]);
    await client.change(uri, 3, [{ range: { start: { line, character: start }, end: { line, character: start + 5 } }, text: 'true' }]);
    assert.deepEqual((await client.waitForVersion(uri, 3)).diagnostics, []);
  });

  test('rapid edits: the latest version wins, publishes never go back in version', async () => {
    const slow = new LspClient();
    try {
      await slow.initialize({ debounceMs: 150 });
      const uri = uriFor('rapid');
      await slow.open(uri, valid);
      await slow.waitForVersion(uri, 1);
      const from = slow.publishes.length;
      const line = lineOf(valid, /^ {2}ubo_geregistreerd_bij_vektis: true/);
      const start = valid.split('\n')[line]!.indexOf('true');
      let current = 'true';
      for (let version = 2; version <= 6; version++) {
        const next = version % 2 === 0 ? 'false' : 'true';
        await slow.change(uri, version, [{ range: { start: { line, character: start }, end: { line, character: start + current.length } }, text: next }]);
        current = next;
      }
      const last = await slow.waitForVersion(uri, 6);
      assert.deepEqual(last.diagnostics.map((d) => d.code), ['VGZ-ALG-03']);
      const versions = slow.publishes.slice(from).filter((p) => p.uri === uri).map((p) => p.version ?? 0);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'in order');
      assert.ok(versions.length < 5, `debounced: ${versions.length} publishes for 5 quick edits`);
    } finally {
      await slow.shutdown();
    }
  });

  test('a YAML file without formulier: gets nothing from us', async () => {
    const uri = uriFor('docker-compose');
    const other = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n';
    await client.open(uri, other);
    assert.equal(await client.request('zorgtoets/summary', { uri }), null);
    assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
    assert.deepEqual(await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } }), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } }), null);
    // A zorgtoets file opened after it is checked; by then the other file would have been too.
    const ours = uriFor('after');
    await client.open(ours, valid);
    await client.waitForVersion(ours, 1);
    assert.equal(client.publishes.filter((p) => p.uri === uri).length, 0);
  });

  test('broken extra rules of an organisation: one visible error, built-in checks unaffected', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'zt-lsp-extra-'));
    const extra = new LspClient();
    try {
      await extra.initialize({ debounceMs: 0, extraSchemaFolders: [join(folder, 'bestaat-niet')] });
      const uri = uriFor('extra');
      await extra.open(uri, valid.replace(/^ {2}ubo_geregistreerd_bij_vektis: true/m, '  ubo_geregistreerd_bij_vektis: false'));
      const publish = await extra.waitForVersion(uri, 1);
      // The organisation's own checks did not run: an error, so the file is not taken for compliant.
      assert.deepEqual(publish.diagnostics.map((d) => [d.code, d.severity]).sort(), [['VGZ-ALG-03', 1], ['ZT-INTERNAL', 1]]);
      assert.match(publish.diagnostics.find((d) => d.code === 'ZT-INTERNAL')?.message.toString() ?? '', /bestaat-niet zijn niet gebruikt \(map bestaat niet\)/);
    } finally {
      await extra.shutdown();
    }
  });
});

/** Documents whose findings carry each kind of quick fix. */
function fixableDocuments(): Record<string, string> {
  const ja = valid.replace(/^ {2}ubo_geregistreerd_bij_vektis: true/m, '  ubo_geregistreerd_bij_vektis: ja');
  return {
    boolean: ja.replace(/^ {2}voldoet_aan_wtza: true/m, '  voldoet_aan_wtza: "ja"'),
    'did-you-mean': valid.replace(/^ {2}rechtsvorm: stichting/m, '  rechtsvorm: stichtng').replace(/^formulier: vgz\/rho-regioplan/m, 'formulier: vgz/rho-regioplna'),
    'rename-key': valid.replace('  aantal_huisartsen_in_regio:', '  aantal_huisartsen_in_regoi:'),
    'insert-section': valid.replace(/^bedrijfsplan:[^\n]*\n((?: [^\n]*|)\n)*?(?=\S)/m, ''),
    'retired-product': valid.replace(/^ {2}- naam: Standaardketens en ketenmanagement/m, '  - naam: Wijkmanagement'),
    samples: sample(FORM, 'invalid-addenda.yaml'),
    quote: valid.replace(/^ {2}kvk_nummer: "(\d+)"/m, '  kvk_nummer: $1'),
  };
}

describe('quick fixes', () => {
  test('each quick fix removes its finding and leaves every other line byte-identical', async () => {
    let applied = 0;
    const kinds = new Set<string>();
    for (const [name, text] of Object.entries(fixableDocuments())) {
      const uri = uriFor(`fix-${name}`);
      await client.open(uri, text);
      const publish = await client.waitForVersion(uri, 1);
      let version = 1;
      for (const diagnostic of publish.diagnostics) {
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic] },
        });
        for (const action of actions.filter((a) => a.diagnostics?.length === 1)) {
          const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
          assert.ok(change, `${action.title}: a versioned edit`);
          assert.equal(change.textDocument.version, version);
          const doc = TextDocument.create(uri, 'yaml', version, text);
          const fixed = TextDocument.applyEdits(doc, editsOf(change));
          assertOnlyEditedLinesChanged(text, fixed, editsOf(change).map((e) => e.range), action.title);
          version++;
          await client.change(uri, version, [{ text: fixed }]);
          const after = await client.waitForVersion(uri, version);
          assert.ok(
            !after.diagnostics.some((d) => d.code === diagnostic.code && messageOf(d) === messageOf(diagnostic)),
            `${name}: "${action.title}" leaves ${String(diagnostic.code)} "${messageOf(diagnostic)}"`,
          );
          // Back to the original for the next fix.
          version++;
          await client.change(uri, version, [{ text }]);
          await client.waitForVersion(uri, version);
          applied++;
          kinds.add(name);
        }
      }
    }
    assert.deepEqual([...kinds].sort(), Object.keys(fixableDocuments()).sort(), 'every kind of document offered a fix');
    assert.ok(applied >= 8, `${applied} fixes applied`);
  });

  test('"fix all of this kind" fixes every finding of one ID in one edit', async () => {
    const text = valid.replace('  aantal_huisartsen_in_regio:', '  aantal_huisartsen_in_regoi:').replace('  kvk_nummer:', '  kvk_numer:');
    const uri = uriFor('fix-all-id');
    await client.open(uri, text);
    const publish = await client.waitForVersion(uri, 1);
    const keys = publish.diagnostics.filter((d) => d.code === 'ZT-KEY');
    assert.equal(keys.length, 2);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: keys[0]!.range, context: { diagnostics: [keys[0]] } });
    const all = actions.find((a) => (a.diagnostics?.length ?? 0) > 1);
    assert.equal(all?.title, 'Herstel alle 2 meldingen ZT-KEY in dit bestand');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), editsOf(all?.edit?.documentChanges?.[0] as TextDocumentEdit));
    assert.equal(fixed, valid);
  });

  test('"fix all of this kind" for ja/nee answers across requirements', async () => {
    const text = fixableDocuments()['boolean']!;
    const uri = uriFor('fix-all');
    await client.open(uri, text);
    const publish = await client.waitForVersion(uri, 1);
    const first = publish.diagnostics.find((d) => /"ja"/.test(messageOf(d)));
    assert.ok(first, JSON.stringify(publish.diagnostics));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: first.range, context: { diagnostics: [first] } });
    const all = actions.find((a) => (a.diagnostics?.length ?? 0) > 1);
    assert.ok(all, actions.map((a) => a.title).join(', '));
    assert.match(all.title, /^Schrijf overal true\/false in plaats van ja\/nee \(2 meldingen\)/);
    const change = all.edit?.documentChanges?.[0] as TextDocumentEdit;
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), editsOf(change));
    await client.change(uri, 2, [{ text: fixed }]);
    const after = await client.waitForVersion(uri, 2);
    assert.equal(new Set(all.diagnostics?.map((d) => d.code)).size, 2, 'two requirements, one action');
    assert.deepEqual(after.diagnostics.filter((d) => /"ja"/.test(messageOf(d))), []);
    assert.equal(fixed, valid, 'both "ja" answers became true, nothing else changed');
  });
});

function assertOnlyEditedLinesChanged(before: string, after: string, ranges: { start: { line: number }; end: { line: number } }[], title: string): void {
  const a = before.split('\n');
  const b = after.split('\n');
  const first = Math.min(...ranges.map((r) => r.start.line));
  const last = Math.max(...ranges.map((r) => r.end.line));
  assert.deepEqual(b.slice(0, first), a.slice(0, first), `${title}: lines before the edit`);
  const tail = a.length - 1 - last;
  assert.deepEqual(b.slice(b.length - tail), a.slice(a.length - tail), `${title}: lines after the edit`);
}

describe('editor features', () => {
  const uri = uriFor('features');
  before(async () => {
    await client.open(uri, valid);
    await client.waitForVersion(uri, 1);
  });

  test('completion of enum values with their labels', async () => {
    const line = lineOf(valid, /^ {2}rechtsvorm:/);
    const character = valid.split('\n')[line]!.indexOf(':') + 2;
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const bv = items.find((i) => i.label === 'bv');
    assert.equal(bv?.detail, 'besloten vennootschap (bv)');
    assert.deepEqual(bv?.textEdit && 'range' in bv.textEdit ? bv.textEdit.range.start : undefined, { line, character });
  });

  test('hover on a key: requirement, explanation, source, policy version', async () => {
    const line = lineOf(valid, /^ {2}kvk_nummer:/);
    const result = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } });
    const value = result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    assert.match(value, /\*\*VGZ-RHO-01\*\*/);
    assert.match(value, /\*Bron:\* 004_8353ac6ccfdd3b59\.txt/);
    assert.match(value, /\*Beleidsversie:\* Inkoopbeleid Huisartsenzorg en Multidisciplinaire zorg 2026-2027, 2026-2027 \(aanvullingen verwerkt t\/m 01-04-2026\)/);
    assert.match(value, /8 cijfers/);
  });

  test('document symbols: the outline', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.slice(0, 3).map((s) => s.name), ['formulier', 'contractjaar', 'ingediend_op']);
    const praktijken = symbols.find((s) => s.name === 'praktijken');
    assert.ok((praktijken?.children?.length ?? 0) >= 2);
    assert.equal(praktijken?.children?.[0]?.children?.[0]?.name, 'naam');
  });

  test('code lens on line 1 with the summary, and the requirements view', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]?.range.start.line, 0);
    assert.equal(lenses[0]?.command?.title, 'zorgtoets: voldoet aan alle minimumeisen — VGZ RHO 2026');
    assert.equal(lenses[0]?.command?.command, 'zorgtoets.showRequirements');
    const view = await client.request<{ requirements: { id: string; state: string }[] }>('zorgtoets/requirements', { uri });
    assert.ok(view.requirements.length > 20);
    assert.ok(view.requirements.every((r) => r.state === 'met' || r.state === 'note'));
  });

  test('forms and template for "new submission"', async () => {
    const forms = await client.request<{ form: string }[]>('zorgtoets/forms', {});
    assert.ok(forms.some((f) => f.form === FORM));
    const template = await client.request<{ text: string }>('zorgtoets/template', { form: FORM });
    assert.match(template.text, /^formulier: vgz\/rho-regioplan/m);
  });
});

describe('transports and settings', () => {
  test('the node-ipc transport VS Code uses works like stdio', async () => {
    const ipc = new LspClient('ipc');
    try {
      await ipc.initialize({ debounceMs: 0 });
      const uri = uriFor('ipc');
      const text = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
      await ipc.open(uri, text);
      assert.deepEqual(shape((await ipc.waitForVersion(uri, 1)).diagnostics), expected(text));
    } finally {
      assert.equal(await ipc.shutdown(), 0);
    }
  });

  test('changing zorgtoets.taal re-checks open documents in that language', async () => {
    const other = new LspClient();
    try {
      await other.initialize({ debounceMs: 0 });
      const uri = uriFor('taal');
      const text = sample(FORM, 'invalid-mandaat-en-patienten.yaml');
      await other.open(uri, text);
      const dutch = await other.waitForVersion(uri, 1);
      assert.ok(dutch.diagnostics.some((d) => /^Mandaat /.test(messageOf(d))));
      const from = other.publishes.length;
      await other.connection.sendNotification('workspace/didChangeConfiguration', { settings: { zorgtoets: { taal: 'en' } } });
      const english = await other.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => /^Mandate /.test(messageOf(d))), { from });
      assert.equal(english.version, 1);
      const lens = await other.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lens[0]?.command?.title, 'zorgtoets: 3 errors, 1 warning — VGZ RHO 2026');
    } finally {
      await other.shutdown();
    }
  });
});

describe('robustness', () => {
  test('random garbage never crashes the server', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = ['formulier: vgz/rho-regioplan\n', 'contractjaar: 2026\n', ':', '- ', '  ', '\t', '{', '[', ']', '}', '"', "'", '&a ', '*a ', '!!binary ', '#', '\n', '---\n', 'naam: ', '\u0000', '\uFFFD', '😀', 'praktijken:\n', '  - ', '? ', '|\n', '>-\n', '%YAML 1.2\n'];
    const uri = uriFor('garbage');
    await client.open(uri, 'formulier: vgz/rho-regioplan\n');
    await client.waitForVersion(uri, 1);
    for (let version = 2; version < 40; version++) {
      let text = version % 3 === 0 ? valid.slice(0, Math.floor(random() * valid.length)) : '';
      const length = Math.floor(random() * 200);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      if (version % 5 === 0) text = `formulier: vgz/rho-regioplan\n${'['.repeat(5000)}`;
      await client.change(uri, version, [{ text }]);
      const position = { line: Math.floor(random() * 10), character: Math.floor(random() * 10) };
      await client.request('textDocument/completion', { textDocument: { uri }, position });
      await client.request('textDocument/hover', { textDocument: { uri }, position });
      await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      await client.request('textDocument/codeLens', { textDocument: { uri } });
    }
    assert.equal(client.exitCode, undefined, 'still running');
    assert.notEqual(await client.request('zorgtoets/forms', {}), null);
  });
});
