import { duplicateKeys, largestMapping } from './duplicate-keys.js';
import { countValues } from './value-count.js';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, Pair, parseDocument, YAMLMap, YAMLSeq, type Node } from 'yaml';

/**
 * Incremental parsing for the editor: a big submission is mostly one long list (praktijken with
 * their huisartsen), and a keystroke changes one item. The text is cut at top-level keys and, in
 * sections holding a block sequence, at the sequence's items; each piece is parsed on its own and
 * kept, so the next version of the document re-parses only the pieces whose text changed. The
 * pieces are assembled into one yaml tree with absolute ranges, and one plain data value.
 *
 * Exactness comes first: whenever the text is not plainly cut-able (anchors and aliases, several
 * documents, directives, a root that is not a block mapping, duplicate top-level keys) or any
 * piece has a parse error or warning, `parse` returns undefined and the caller parses the whole
 * text the normal way, so findings are always those of a full parse.
 *
 * Ranges in a kept piece are shifted in place when the piece moves. A tree returned for a cache
 * key is therefore valid until the next `parse` with the same key: callers keep only the newest
 * version's tree per key (the language server does).
 */

interface Piece {
  text: string;
  /** Absolute offset the piece's node ranges currently refer to. */
  base: number;
  /** The piece's tree (its document's contents: the document itself is not kept). */
  contents: Node | null;
  data: unknown;
  /** Every node of the piece, to shift their ranges when the piece moves. */
  nodes: Node[];
  /** Keys of its largest mapping, found once: the keys-per-mapping limit without a walk per edit. */
  largestMapping: number;
  /** Values in its data, wrapper included (value-count.ts counts them so): the values limit without a walk per edit. */
  values: number;
}

interface Span {
  start: number;
  end: number;
}

interface Section {
  span: Span;
  key: string;
  /** Set when the section's value is a block sequence cut into items: the key line, then items. */
  head?: Span;
  items?: Span[];
}

/** Signs of anchors/aliases anywhere (also inside quotes: conservatively, it only costs speed). */
const ANCHOR_OR_ALIAS = /(?:^|[\s,[{])[&*][^\s,[\]{}]/m;
const KEY_LINE = /^(?:"[^"\n]*"|'[^'\n]*'|[^\s#\-[\]{}&*!|>%@`'",?:][^\n]*?)[ \t]*:(?:[ \t]|$)/;
const KEY_ONLY_LINE = /^[^\n]*?:[ \t]*(?:#.*)?$/;

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Cuts a text into sections and items, or undefined when it is not plainly cut-able. */
export function cutText(text: string): Section[] | undefined {
  if (ANCHOR_OR_ALIAS.test(text)) return undefined;
  const sections: Section[] = [];
  let sectionStart = 0;
  let currentKey: string | undefined;
  let lineStart = 0;
  let seenContent = false;
  const starts: { key: string; start: number }[] = [];
  while (lineStart < text.length) {
    const end = lineEnd(text, lineStart);
    const first = text.charCodeAt(lineStart);
    // Only lines starting at column 0 with content matter here; indented lines, blank lines and
    // comments belong to the section above.
    if (first !== 32 && first !== 9 && first !== 10 && first !== 13 && first !== 35 && lineStart !== end) {
      const line = text.slice(lineStart, end).replace(/\r$/, '');
      if (line === '---' && !seenContent) {
        // A leading document marker belongs to the first section.
      } else if (line.startsWith('- ') || line === '-') {
        // A sequence at column 0 can only be a section's value (`key:` then `- item`).
        if (currentKey === undefined) return undefined;
      } else {
        const key = KEY_LINE.exec(line);
        if (!key) return undefined;
        const name = key[0].replace(/[ \t]*:[ \t]*$/, '').replace(/^["']|["']$/g, '');
        if (currentKey !== undefined) starts.push({ key: currentKey, start: sectionStart });
        currentKey = name;
        // Comments and a document marker before the first key belong to the first section.
        sectionStart = starts.length === 0 ? 0 : lineStart;
        seenContent = true;
      }
    }
    lineStart = end + 1;
  }
  if (currentKey === undefined) return undefined;
  starts.push({ key: currentKey, start: sectionStart });
  const keys = new Set<string>();
  for (let i = 0; i < starts.length; i++) {
    const entry = starts[i];
    if (!entry) continue;
    if (keys.has(entry.key)) return undefined;
    keys.add(entry.key);
    const span = { start: entry.start, end: starts[i + 1]?.start ?? text.length };
    sections.push({ span, key: entry.key, ...cutItems(text, span) });
  }
  return sections;
}

/** The items of a section whose value is a block sequence, or nothing (the section stays whole). */
function cutItems(text: string, span: Span): { head: Span; items: Span[] } | Record<string, never> {
  // Find the key line (skipping leading comments and a document marker).
  let lineStart = span.start;
  let keyLine: Span | undefined;
  while (lineStart < span.end) {
    const end = lineEnd(text, lineStart);
    const line = text.slice(lineStart, end).replace(/\r$/, '');
    if (line.trim() !== '' && !line.trimStart().startsWith('#') && line !== '---') {
      keyLine = { start: lineStart, end };
      break;
    }
    lineStart = end + 1;
  }
  if (!keyLine || !KEY_ONLY_LINE.test(text.slice(keyLine.start, keyLine.end))) return {};
  const items: Span[] = [];
  let dash: number | undefined;
  lineStart = keyLine.end + 1;
  while (lineStart < span.end) {
    const end = lineEnd(text, lineStart);
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 32) indent++;
    const next = text.charCodeAt(lineStart + indent);
    // Blank lines and comments never start or end an item.
    if (lineStart + indent >= end || next === 35 || next === 13) {
      lineStart = end + 1;
      continue;
    }
    if (next === 9) return {};
    const isItem = next === 45 && (lineStart + indent + 1 >= end || text.charCodeAt(lineStart + indent + 1) === 32 || text.charCodeAt(lineStart + indent + 1) === 13);
    if (dash === undefined) {
      if (!isItem) return {};
      dash = indent;
    }
    if (indent < dash) return {};
    if (indent === dash) {
      if (!isItem) return {};
      items.push({ start: lineStart, end: span.end });
      const previous = items[items.length - 2];
      if (previous) previous.end = lineStart;
    }
    lineStart = end + 1;
  }
  if (items.length < 2) return {};
  return { head: { start: span.start, end: items[0]?.start ?? span.end }, items };
}

/**
 * Every node of a piece's tree, to shift their ranges when the piece moves. The tree's item lists
 * are replaced by exact-size copies on the way: the parser grows them by pushing (V8 then reserves
 * room for 17 entries), and a kept piece holds them for as long as the document is edited —
 * about 1 MB per 10,000-line plan. The list returned is exact-size too.
 */
function collectNodes(contents: Node | null): Node[] {
  const nodes: Node[] = [];
  const visit = (node: unknown): void => {
    if (isPair(node)) {
      visit(node.key);
      visit(node.value);
      return;
    }
    if (!node || typeof node !== 'object' || !('range' in node)) return;
    nodes.push(node as Node);
    if (isCollection(node)) {
      node.items = node.items.slice();
      for (const item of node.items) visit(item);
    }
  };
  visit(contents);
  return nodes.slice();
}

function shift(piece: Piece, base: number): void {
  const delta = base - piece.base;
  if (delta === 0) return;
  for (const node of piece.nodes) {
    const range = node.range;
    if (range) {
      range[0] += delta;
      range[1] += delta;
      range[2] += delta;
    }
  }
  piece.base = base;
}

/** Sets a key as an own property, also `__proto__`, without touching any prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type PieceKind = 'head' | 'item' | 'section';

/** The pieces of a document's newest version, where they were in its text. */
interface Version {
  text: string;
  /** By kind, then start offset. */
  at: Record<PieceKind, Map<number, Piece>>;
  /** In text order, for the few pieces an edit overlapped. */
  list: { kind: PieceKind; start: number; piece: Piece }[];
}

/**
 * The length of the common prefix of two texts, and of their common suffix after it. Compared in
 * blocks first: a keystroke in a 2.6 MB text leaves almost all of it the same.
 */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const n = Math.min(a.length, b.length);
  const BLOCK = 4096;
  let prefix = 0;
  while (prefix + BLOCK <= n && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < n && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  const room = n - prefix;
  let suffix = 0;
  while (suffix + BLOCK <= room && a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)) suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - suffix - 1) === b.charCodeAt(b.length - suffix - 1)) suffix++;
  return { prefix, suffix };
}

/**
 * A copy of a slice that does not keep the whole text alive: V8 represents slices as views of
 * their parent, and a piece lives across many versions of a document.
 */
function ownCopy(slice: string): string {
  return (` ${slice}`).slice(1);
}

/**
 * Each piece is a document of its own, with a fixed cost to parse and keep: past this many
 * (a hundred thousand one-line list items or keys, pasted) one full parse is cheaper, and the
 * pieces are not worth their memory. A large real regioplan has a few thousand.
 */
const MAX_PIECES = 10_000;

function pieceCount(sections: readonly Section[]): number {
  return sections.reduce((n, section) => n + 1 + (section.items?.length ?? 0), 0);
}

export interface ChunkedResult {
  doc: Document.Parsed;
  data: Record<string, unknown>;
  /** Keys of the largest mapping in the assembled tree (its root or one in a piece). */
  largestMapping: number;
  /** Values in the assembled data, as `countValues(data)` gives them. */
  values: number;
}

export class ChunkedParser {
  /** Per cache key, the pieces of that key's newest version only. */
  private readonly caches = new Map<string, Version>();

  /** @param maxKeys documents whose pieces are kept (least recently parsed are dropped). */
  constructor(private readonly maxKeys = 2) {}

  /** Drops what is kept for a document (closed in the editor). */
  forget(key: string): void {
    this.caches.delete(key);
  }

  parse(text: string, key: string): ChunkedResult | undefined {
    const sections = cutText(text);
    if (!sections || pieceCount(sections) > MAX_PIECES) return undefined;
    const previous = this.caches.get(key);
    const next: Version = { text, at: { head: new Map(), item: new Map(), section: new Map() }, list: [] };
    // Where the text changed since the previous version: pieces wholly before the change are
    // found at the same offset, pieces wholly after it at their offset shifted by the change.
    const ends = previous ? commonEnds(previous.text, text) : { prefix: 0, suffix: 0 };
    const delta = previous ? text.length - previous.text.length : 0;
    const changedFrom = ends.prefix;
    const changedTo = text.length - ends.suffix;
    const used = new Set<Piece>();
    let overlapped: Version['list'] | undefined;
    const reusable = (kind: PieceKind, span: Span): Piece | undefined => {
      if (!previous) return undefined;
      const length = span.end - span.start;
      let start: number | undefined;
      if (span.end <= changedFrom) start = span.start;
      else if (span.start >= changedTo) start = span.start - delta;
      if (start !== undefined) {
        const piece = previous.at[kind].get(start);
        // The same text at the same place (or shifted with everything after the change).
        if (piece && piece.text.length === length && !used.has(piece)) return piece;
        return undefined;
      }
      // A piece the change touched: the previous version's pieces there may hold this text
      // (an edit undone, a line typed and removed again).
      overlapped ??= previous.list.filter((entry) => entry.start < changedTo - delta && entry.start + entry.piece.text.length > changedFrom);
      const source = text.slice(span.start, span.end);
      return overlapped.find((entry) => entry.kind === kind && !used.has(entry.piece) && entry.piece.text === source)?.piece;
    };
    let largest = 0;
    let valueCount = 1;
    const take = (kind: PieceKind, span: Span): Piece | undefined => {
      let piece = reusable(kind, span);
      if (!piece) {
        const source = ownCopy(text.slice(span.start, span.end));
        const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: false });
        if (doc.errors.length > 0 || doc.warnings.length > 0 || duplicateKeys(doc).length > 0) return undefined;
        const data = doc.toJS();
        piece = { text: source, base: 0, contents: doc.contents, data, nodes: collectNodes(doc.contents), largestMapping: largestMapping(doc), values: countValues(data) };
      }
      // A piece serves one place per version: its ranges are shifted in place.
      used.add(piece);
      if (piece.largestMapping > largest) largest = piece.largestMapping;
      shift(piece, span.start);
      next.at[kind].set(span.start, piece);
      next.list.push({ kind, start: span.start, piece });
      return piece;
    };

    const root = new YAMLMap();
    const data: Record<string, unknown> = {};
    for (const section of sections) {
      if (section.head && section.items) {
        const head = take('head', section.head);
        const pair = head && isMap(head.contents) && head.contents.items.length === 1 ? (head.contents.items[0] as Pair) : undefined;
        if (!pair) return undefined;
        const seq = new YAMLSeq();
        const values: unknown[] = [];
        for (const span of section.items) {
          const item = take('item', span);
          const contents = item?.contents;
          if (!item || !isSeq(contents) || contents.items.length !== 1) return undefined;
          seq.items.push(contents.items[0] as Node);
          values.push((item.data as unknown[])[0]);
          // The item piece's data is [item]: its own count less the wrapping list.
          valueCount += item.values - 1;
        }
        const first = seq.items[0] as Node | undefined;
        const last = seq.items[seq.items.length - 1] as Node | undefined;
        if (first?.range && last?.range) seq.range = [first.range[0], last.range[1], last.range[2]];
        // A fresh pair: the head piece's own pair keeps its null value for the next version.
        root.items.push(new Pair(pair.key, seq));
        valueCount += 1;
        setOwn(data, section.key, values);
      } else {
        const piece = take('section', section.span);
        const contents = piece?.contents;
        if (!piece || !isMap(contents) || contents.items.length !== 1) return undefined;
        const pair = contents.items[0] as Pair;
        if (!isScalar(pair.key) || String(pair.key.value) !== section.key) return undefined;
        root.items.push(pair);
        setOwn(data, section.key, (piece.data as Record<string, unknown>)[section.key]);
        // The section piece's data is {key: value}: its own count less the wrapping mapping.
        valueCount += piece.values - 1;
      }
    }
    const firstPair = root.items[0];
    const lastPair = root.items[root.items.length - 1];
    const firstKey = firstPair?.key as Node | undefined;
    const lastValue = (lastPair?.value ?? lastPair?.key) as Node | undefined;
    if (firstKey?.range && lastValue?.range) root.range = [firstKey.range[0], lastValue.range[1], lastValue.range[2]];

    const doc = new Document() as Document.Parsed;
    // The assembled map has real ranges (set above); yaml's type for parsed trees cannot know that.
    doc.contents = root as unknown as YAMLMap.Parsed;
    this.caches.delete(key);
    this.caches.set(key, next);
    while (this.caches.size > this.maxKeys) {
      const oldest = this.caches.keys().next().value;
      if (oldest === undefined) break;
      this.caches.delete(oldest);
    }
    return { doc, data, largestMapping: Math.max(largest, root.items.length), values: valueCount };
  }
}
