import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CodeAction, Diagnostic, Position, Range, TextDocumentContentChangeEvent, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LspClient, Publish } from '../helpers/lsp-client.js';
import { applyMutation, mutation, type Mutation } from './mutations.js';

/**
 * Fuzzing the real language server over stdio: a session opens a document (a sample, perhaps
 * mutated), sends random incremental edits in bursts as an editor does while someone types and
 * pastes, and after each burst asks something (summary, hover, completion, code actions — and
 * applies a quick fix —, outline, code lens). Edits land anywhere: inside a multi-byte character
 * (between the halves of a surrogate pair), between CR and LF, past the end of a line; they insert
 * tabs, CRLF, lone CR, byte-order marks, NUL, emoji, YAML punctuation, pasted lines.
 *
 * What must hold: every request is answered in time, the process stays up, every published
 * diagnostic belongs to a version we sent and its range lies inside THAT version's text as the
 * editor counts lines (CR LF, LF and a lone CR each end a line), quick fixes are versioned and
 * edit inside the document, and nothing internal goes wrong (no ZT-INTERNAL).
 */

/** A position in a text, as a fraction (so an edit applies to any text) plus how to bend it. */
export interface FuzzPoint {
  at: number;
  /** `surrogate`: inside the nearest emoji; `crlf`: between CR and LF; `past-eol`: beyond the line's end. */
  bend: 'none' | 'surrogate' | 'crlf' | 'past-eol';
}

export type FuzzStep =
  | { kind: 'insert'; where: FuzzPoint; text: string }
  | { kind: 'delete'; where: FuzzPoint; length: number }
  | { kind: 'replace'; where: FuzzPoint; length: number; text: string }
  | { kind: 'paste-line'; from: number; where: FuzzPoint }
  | { kind: 'multi'; edits: { where: FuzzPoint; length: number; text: string }[] }
  | { kind: 'whole'; mutations: Mutation[] }
  | { kind: 'ask'; request: FuzzRequest; where: FuzzPoint };

export type FuzzRequest = 'summary' | 'hover' | 'completion' | 'code-action' | 'symbols' | 'code-lens' | 'requirements';

export interface FuzzSession {
  base: number;
  mutations: Mutation[];
  /** Quick fixes applied before the edits start (most fixes need a text that still parses). */
  fixesFirst: number;
  steps: FuzzStep[];
}

const point: fc.Arbitrary<FuzzPoint> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  bend: fc.constantFrom('none', 'none', 'none', 'surrogate', 'crlf', 'past-eol'),
});

/** What people type and paste, and what breaks parsers and position arithmetic. */
const typed = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(' ', ': ', '- ', '\n', '\n  - ', '  ', '\t', '\r\n', '\r', '\uFEFF', '\u0000', '🙂', '👩‍⚕️', 'é', 'e\u0301', '\u200B', '\u2028', '#', '"', "'", '---\n', '...\n', '&a ', '*a', '[', ']', '{', '}', '|', '>', '!', '%', '@', '`', 'ja', 'nee', 'true', '~', '1e999', '0x1F', '112.000', '€ 1.450,00', '2026-02-30', 'praktijken:', 'formulier: ', 'contractjaar: 2026\n', '\\', '\ud83d', '\ude42') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', ':', '-', 'a', '"', '#', '['), maxLength: 24 }) },
);

const length = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 400 }));

/** `askWeight`: how often the session stops to ask something (each ask makes the server check). */
function stepArbitrary(askWeight: number): fc.Arbitrary<FuzzStep> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), where: point, text: typed }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), where: point, length }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), where: point, length, text: typed }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('paste-line' as const), from: fc.double({ min: 0, max: 1, noNaN: true }), where: point }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('multi' as const), edits: fc.array(fc.record({ where: point, length: fc.integer({ min: 0, max: 6 }), text: typed }), { minLength: 2, maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), mutations: fc.array(mutation, { maxLength: 3 }) }) },
    {
      weight: askWeight,
      arbitrary: fc.record({ kind: fc.constant('ask' as const), request: fc.constantFrom<FuzzRequest>('summary', 'hover', 'completion', 'code-action', 'code-action', 'symbols', 'code-lens', 'requirements'), where: point }),
    },
  );
}

export function sessionArbitrary(corpusSize: number, maxSteps: number, askWeight = 2): fc.Arbitrary<FuzzSession> {
  const step = stepArbitrary(askWeight);
  return fc.record({
    base: fc.nat({ max: corpusSize - 1 }),
    mutations: fc.array(mutation, { maxLength: 3 }),
    fixesFirst: fc.nat({ max: 3 }),
    steps: fc.array(step, { minLength: 1, maxLength: maxSteps, size: 'max' }),
  });
}

export interface FuzzStats {
  sessions: number;
  edits: number;
  requests: number;
  fixesApplied: number;
  publishes: number;
  diagnostics: number;
}

export function emptyStats(): FuzzStats {
  return { sessions: 0, edits: 0, requests: 0, fixesApplied: 0, publishes: 0, diagnostics: 0 };
}

/** Line lengths as the editor counts lines: CR LF, LF and a lone CR each end one. */
export function editorLines(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

export function rangeInside(range: Range, lines: readonly number[]): boolean {
  const inside = (p: Position) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= (lines[p.line] ?? 0);
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return inside(range.start) && inside(range.end) && ordered;
}

/** An offset in `text` for a fuzz point, bent into the awkward places. */
function offsetOf(text: string, where: FuzzPoint): number {
  const at = Math.min(text.length, Math.floor(where.at * (text.length + 1)));
  if (where.bend === 'surrogate') {
    for (let i = Math.max(1, at); i < text.length; i++) if (isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i))) return i;
  }
  if (where.bend === 'crlf') {
    for (let i = Math.max(1, at); i < text.length; i++) if (text.charCodeAt(i - 1) === 13 && text.charCodeAt(i) === 10) return i;
  }
  return at;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The LSP position of an offset, with the raw character arithmetic a careless client might do. */
function positionOf(doc: TextDocument, text: string, offset: number, where: FuzzPoint): Position {
  const position = doc.positionAt(offset);
  if (where.bend === 'past-eol') return { line: position.line, character: position.character + 1 + Math.floor(where.at * 50) };
  if (where.bend === 'crlf' && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10) {
    // positionAt keeps offsets before the line break; a client splitting CR LF sends this instead.
    const lineStart = doc.offsetAt({ line: position.line, character: 0 });
    return { line: position.line, character: offset - lineStart };
  }
  return position;
}

function rangeOf(doc: TextDocument, where: FuzzPoint, length: number): Range {
  const text = doc.getText();
  const start = offsetOf(text, where);
  const end = Math.min(text.length, start + length);
  return { start: positionOf(doc, text, start, where), end: doc.positionAt(end) };
}

export class FuzzFailure extends Error {
  /** The document's text the failure is about, for reproducing it with the engine alone. */
  text?: string;
  /** Every version's text in this session, in order (the server parses incrementally). */
  history?: string[];
}

/** Writes the text of a failure beside the temp folder and says where, so it can be replayed. */
export function keepFailureText(error: unknown): void {
  if (!(error instanceof FuzzFailure) || error.text === undefined) return;
  // JSON keeps lone surrogates, which a UTF-8 file cannot hold.
  const file = join(tmpdir(), `zorgtoets-fuzz-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ text: error.text, history: error.history ?? [] }));
  error.message += `\n(texts of the session: ${file}; replay with node --import tsx tests/fuzz/replay.ts ${file})`;
}


/** One document's session against a running server; throws FuzzFailure when something does not hold. */
export async function runSession(client: LspClient, corpus: readonly string[], session: FuzzSession, uri: string, stats: FuzzStats, options: { requestTimeoutMs: number }): Promise<void> {
  const initial = session.mutations.reduce(applyMutation, corpus[session.base % corpus.length] ?? '');
  let version = 1;
  let doc = TextDocument.create(uri, 'yaml', version, initial);
  /** Texts of the versions sent since the last barrier: a publish may be for any of them. */
  let texts = new Map<number, string>([[version, initial]]);
  let lastDiagnostics: Diagnostic[] = [];
  const history = [initial];
  stats.sessions++;
  client.publishes.length = 0;
  await client.open(uri, initial, version);

  const failure = (text: string, message: string): FuzzFailure => {
    const error = new FuzzFailure(message);
    error.text = text;
    error.history = history;
    return error;
  };

  const send = async (changes: TextDocumentContentChangeEvent[]) => {
    version++;
    lastDiagnostics = [];
    doc = TextDocument.update(doc, changes, version);
    texts.set(version, doc.getText());
    history.push(doc.getText());
    stats.edits += changes.length;
    await client.change(uri, version, changes);
  };

  const ask = async <R>(method: string, params: unknown): Promise<R> => {
    stats.requests++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FuzzFailure(`${method} not answered within ${options.requestTimeoutMs} ms (server exit: ${String(client.exitCode)})`)), options.requestTimeoutMs);
    });
    try {
      return await Promise.race([client.request<R>(method, params), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** Everything published so far must be for a version we sent, with ranges inside its text. */
  const verifyPublishes = () => {
    for (const publish of client.publishes.splice(0)) verifyPublish(publish);
    texts = new Map([[version, doc.getText()]]);
  };
  const verifyPublish = (publish: Publish) => {
    if (publish.uri !== uri) return;
    stats.publishes++;
    stats.diagnostics += publish.diagnostics.length;
    if (publish.diagnostics.length === 0) {
      if (publish.version === version) lastDiagnostics = [];
      return;
    }
    const text = publish.version === undefined ? undefined : texts.get(publish.version);
    if (text === undefined) throw new FuzzFailure(`diagnostics for version ${String(publish.version)}, which is not among the versions sent since the last request (${[...texts.keys()].join(', ')})`);
    const lines = editorLines(text);
    for (const diagnostic of publish.diagnostics) {
      if (!rangeInside(diagnostic.range, lines)) {
        throw failure(text, `${String(diagnostic.code)} range ${JSON.stringify(diagnostic.range)} outside version ${String(publish.version)} (${lines.length} lines; line lengths near: ${JSON.stringify(lines.slice(Math.max(0, diagnostic.range.start.line - 1), diagnostic.range.start.line + 2))})`);
      }
      if (diagnostic.code === 'ZT-INTERNAL') throw failure(text, `internal error: ${String(diagnostic.message)}`);
      if (typeof diagnostic.message !== 'string' || diagnostic.message.length === 0) throw new FuzzFailure(`${String(diagnostic.code)} without a message`);
    }
    if (publish.version === version) lastDiagnostics = publish.diagnostics;
  };

  /** A request as barrier: all diagnostics the server published before answering have arrived. */
  const barrier = async (request: FuzzRequest, where: FuzzPoint) => {
    const position = positionOf(doc, doc.getText(), offsetOf(doc.getText(), where), { ...where, bend: where.bend === 'past-eol' ? 'past-eol' : 'none' });
    const textDocument = { uri };
    switch (request) {
      case 'summary':
        await ask('zorgtoets/summary', { uri });
        break;
      case 'hover':
        await ask('textDocument/hover', { textDocument, position });
        break;
      case 'completion': {
        const items = await ask<unknown>('textDocument/completion', { textDocument, position });
        if (!Array.isArray(items)) throw new FuzzFailure(`completion answered ${JSON.stringify(items)}`);
        break;
      }
      case 'symbols':
        await ask('textDocument/documentSymbol', { textDocument });
        break;
      case 'code-lens':
        await ask('textDocument/codeLens', { textDocument });
        break;
      case 'requirements':
        await ask('zorgtoets/requirements', { uri });
        break;
      case 'code-action':
        await ask('zorgtoets/summary', { uri });
        verifyPublishes();
        await applyQuickFix(where);
        break;
    }
    await ask('zorgtoets/summary', { uri });
    verifyPublishes();
  };

  /** Asks for the quick fixes of the current diagnostics and applies one, as the editor would. */
  const applyQuickFix = async (where: FuzzPoint) => {
    const current = lastDiagnostics;
    if (current.length === 0) return;
    const first = current[0] as Diagnostic;
    const actions = await ask<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: first.range, context: { diagnostics: current } });
    if (!Array.isArray(actions)) throw new FuzzFailure(`code actions answered ${JSON.stringify(actions)}`);
    const action = actions[Math.floor(where.at * actions.length) % Math.max(1, actions.length)];
    const change = action?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    if (!action || !change) return;
    const text = doc.getText();
    if (change.textDocument.version !== version) throw failure(text, `"${action.title}" edits version ${String(change.textDocument.version)}, the document is at ${version}`);
    const edits = change.edits.filter((e): e is TextEdit => 'newText' in e);
    const lines = editorLines(text);
    for (const edit of edits) if (!rangeInside(edit.range, lines)) throw failure(text, `"${action.title}" edits outside the document: ${JSON.stringify(edit.range)}`);
    // Applied as the editor does: one change per edit, last in the document first; edits of one
    // action must not overlap (the editor would refuse them).
    const ordered = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    for (let i = 1; i < ordered.length; i++) {
      const later = ordered[i - 1] as TextEdit;
      const earlier = ordered[i] as TextEdit;
      if (doc.offsetAt(earlier.range.end) > doc.offsetAt(later.range.start)) throw failure(text, `"${action.title}" has overlapping edits: ${JSON.stringify(earlier.range)} and ${JSON.stringify(later.range)}`);
    }
    stats.fixesApplied++;
    await send(ordered.map((e) => ({ range: e.range, text: e.newText })));
  };

  for (let i = 0; i < session.fixesFirst; i++) await barrier('code-action', { at: (i * 0.37 + session.base * 0.11) % 1, bend: 'none' });
  for (const s of session.steps) {
    const text = doc.getText();
    switch (s.kind) {
      case 'insert':
        await send([{ range: rangeOf(doc, s.where, 0), text: s.text }]);
        break;
      case 'delete':
        await send([{ range: rangeOf(doc, s.where, s.length), text: '' }]);
        break;
      case 'replace':
        await send([{ range: rangeOf(doc, s.where, s.length), text: s.text }]);
        break;
      case 'paste-line': {
        const lines = text.split('\n');
        const line = lines[Math.min(lines.length - 1, Math.floor(s.from * lines.length))] ?? '';
        await send([{ range: rangeOf(doc, s.where, 0), text: `${line}\n` }]);
        break;
      }
      case 'multi':
        // Several changes in one notification; each applies to the text the previous one left.
        {
          // update() changes a document in place: the changes are worked out on a copy.
          const scratch = TextDocument.create(uri, 'yaml', version, text);
          const changes: TextDocumentContentChangeEvent[] = [];
          for (const e of s.edits) {
            const change = { range: rangeOf(scratch, e.where, e.length), text: e.text };
            changes.push(change);
            TextDocument.update(scratch, [change], version);
          }
          await send(changes);
        }
        break;
      case 'whole':
        await send([{ text: s.mutations.reduce(applyMutation, text) }]);
        break;
      case 'ask':
        await barrier(s.request, s.where);
        break;
    }
  }
  await barrier('summary', { at: 0, bend: 'none' });
  await client.close(uri);
  if (client.exitCode !== undefined) throw new FuzzFailure(`the server exited (${String(client.exitCode)})`);
}
