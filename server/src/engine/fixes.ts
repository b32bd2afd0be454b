import { isMap, isPair, isScalar, isSeq, stringify, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { locate } from './node-ranges.js';
import type { RawFix } from './raw-finding.js';
import type { TextIndex } from './text-index.js';
import type { DataPath, TextEdit } from './types.js';

/**
 * Quick fixes as text edits. Every fix changes only the text it says it changes: a scalar, a key,
 * one list item, or one inserted block; everything else stays byte-identical. Where an edit
 * cannot be made that precisely (flow collections, odd layouts), no fix is offered.
 */

/** How a scalar is written in YAML, keeping the original quoting style where one was used. */
export function renderScalar(value: unknown, original?: Scalar): string {
  if (typeof value === 'string' && original && (original.type === 'QUOTE_DOUBLE' || original.type === 'QUOTE_SINGLE')) {
    return original.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
  }
  if (value === null) return 'null';
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** Replaces the scalar at `path` with a new value. */
export function replaceValueFix(doc: Document.Parsed, index: TextIndex, path: DataPath, value: unknown, title: string, params: RawFix['params'], kind: RawFix['kind'] = 'replace-value'): RawFix | undefined {
  const { node } = locate(doc, path);
  if (!isScalar(node) || !node.range) return undefined;
  const [start, end] = node.range;
  if (end <= start && node.value !== null) return undefined;
  const newText = renderScalar(value, node);
  if (newText.includes('\n')) return undefined;
  return { title, params, kind, edits: [{ range: index.rangeOf(start, end), newText }], preferred: true };
}

/** Renames the key of the pair at `path`. */
export function renameKeyFix(doc: Document.Parsed, index: TextIndex, path: DataPath, newKey: string, title: string, params: RawFix['params']): RawFix | undefined {
  const { pair } = locate(doc, path);
  const key = pair?.key as Node | null | undefined;
  if (!isScalar(key) || !key.range) return undefined;
  return { title, params, kind: 'rename-key', edits: [{ range: index.rangeOf(key.range[0], key.range[1]), newText: newKey }], preferred: true };
}

/**
 * Removes the sequence item at `path`. In a block sequence: the item's lines, from its `- ` to its
 * last line (a comment on that line goes with it; comment lines before the next item belong to that
 * item and stay). In a flow sequence (`[a, b, c]`): the item and one separating comma. No fix where
 * the item shares its first line with something else (`- - a`) or a flow sequence holds comments.
 */
export function removeItemFix(doc: Document.Parsed, index: TextIndex, path: DataPath, title: string, params: RawFix['params']): RawFix | undefined {
  const parentPath = path.slice(0, -1);
  const itemIndex = path[path.length - 1];
  const parent = locate(doc, parentPath).node;
  if (!isSeq(parent) || typeof itemIndex !== 'number') return undefined;
  const item = parent.items[itemIndex] as Node | null | undefined;
  if (!item || isPair(item) || !item.range) return undefined;
  const span = parent.flow ? flowItemSpan(parent.items as Node[], itemIndex, index) : blockItemSpan(item, index);
  if (!span || span.end <= span.start) return undefined;
  return { title, params, kind: 'remove-item', edits: [{ range: index.rangeOf(span.start, span.end), newText: '' }], preferred: true };
}

function blockItemSpan(item: Node, index: TextIndex): { start: number; end: number } | undefined {
  const [from = 0, to = from] = item.range ?? [];
  const firstLine = index.positionAt(from).line;
  const start = index.lineStarts[firstLine] ?? 0;
  // Only indentation and the item's own dash may precede it on its first line.
  const prefix = index.text.slice(start, from);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  const dashColumn = prefix.indexOf('-');
  let lastLine = index.positionAt(Math.max(from, contentEnd(index.text, from, to, dashColumn) - 1)).line;
  // Comment lines right after it, indented under the item, are still the item's.
  while (lastLine + 1 < index.lineCount && ownComment(index.lineText(lastLine + 1), dashColumn)) lastLine++;
  return { start, end: index.lineStarts[lastLine + 1] ?? index.text.length };
}

/**
 * The end of an item's own text: a collection's range may run on over a line break, blank lines
 * and comments. Trailing comment lines indented deeper than the item's dash are the item's own;
 * the others belong to what follows.
 */
function contentEnd(text: string, from: number, to: number, dashColumn: number): number {
  let end = to;
  for (;;) {
    const trimmed = text.slice(from, end).replace(/\s+$/, '');
    const lastBreak = trimmed.lastIndexOf('\n');
    const lastLine = trimmed.slice(lastBreak + 1);
    if (lastBreak >= 0 && /^[ \t]*#/.test(lastLine) && !ownComment(lastLine, dashColumn)) {
      end = from + lastBreak;
      continue;
    }
    return from + trimmed.length;
  }
}

function ownComment(line: string, dashColumn: number): boolean {
  const comment = /^([ \t]*)#/.exec(line);
  return comment !== null && (comment[1] ?? '').length > dashColumn;
}

function flowItemSpan(items: Node[], itemIndex: number, index: TextIndex): { start: number; end: number } | undefined {
  const item = items[itemIndex];
  if (!item?.range) return undefined;
  const next = items[itemIndex + 1];
  const previous = items[itemIndex - 1];
  // The item and the separator after it, or for the last item the separator before it.
  let span: { start: number; end: number };
  let separator: string;
  if (next?.range) {
    span = { start: item.range[0], end: next.range[0] };
    separator = index.text.slice(item.range[1], next.range[0]);
  } else if (previous?.range) {
    span = { start: previous.range[1], end: item.range[1] };
    separator = index.text.slice(previous.range[1], item.range[0]);
  } else {
    span = { start: item.range[0], end: item.range[1] };
    separator = '';
  }
  // A comment between items would be cut in half; leave such a list to the person.
  return separator.includes('#') ? undefined : span;
}

/** Text of the pair at `path` in the template, with the column its key starts at. */
interface TemplateBlock {
  lines: string[];
  column: number;
}

function templatePath(path: DataPath): DataPath {
  // Templates show one example item per list: map every index to the first item.
  return path.map((segment) => (typeof segment === 'number' ? 0 : segment));
}

export function templateBlock(template: { doc: Document.Parsed; index: TextIndex }, path: DataPath): TemplateBlock | undefined {
  const { pair } = locate(template.doc, templatePath(path));
  const key = pair?.key as Node | null | undefined;
  if (!pair || !key?.range) return undefined;
  const value = pair.value as Node | null;
  const startLine = template.index.positionAt(key.range[0]).line;
  const valueEnd = value?.range ? value.range[1] : key.range[1];
  const endLine = template.index.positionAt(Math.max(valueEnd - 1, key.range[0])).line;
  const column = template.index.positionAt(key.range[0]).character;
  const lines: string[] = [];
  for (let line = startLine; line <= endLine; line++) lines.push(template.index.lineText(line));
  // The first line may start with "- " of a list item; keep only the pair's own text.
  lines[0] = ' '.repeat(column) + (lines[0] ?? '').slice(column);
  return { lines, column };
}

/** Order of keys in the template's mapping at `path`, to place an inserted section among its siblings. */
function templateKeyOrder(template: { doc: Document.Parsed }, parentPath: DataPath): string[] {
  const { node } = locate(template.doc, templatePath(parentPath));
  const map = parentPath.length === 0 ? template.doc.contents : node;
  if (!isMap(map)) return [];
  return map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
}

/**
 * Inserts the template's block for a missing key at `path` into its parent mapping, after the
 * nearest preceding sibling in template order, re-indented to the parent's indentation. The
 * template asks each declaration as a question (null with a comment), so nothing is answered.
 */
export function insertSectionFix(
  doc: Document.Parsed,
  index: TextIndex,
  template: { doc: Document.Parsed; index: TextIndex },
  path: DataPath,
  title: string,
  params: RawFix['params'],
): RawFix | undefined {
  const missingKey = path[path.length - 1];
  if (typeof missingKey !== 'string') return undefined;
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : locate(doc, parentPath).node;
  if (!isMap(parent) || parent.flow || parent.items.length === 0) return undefined;
  const block = templateBlock(template, path);
  if (!block) return undefined;

  const firstKey = parent.items[0]?.key as Node | null | undefined;
  if (!firstKey?.range) return undefined;
  const column = index.positionAt(firstKey.range[0]).character;
  const text = block.lines.map((line) => (line.trim() === '' ? '' : ' '.repeat(column) + line.slice(Math.min(block.column, line.length - line.trimStart().length)))).join('\n');

  const order = templateKeyOrder(template, parentPath);
  const position = order.indexOf(missingKey);
  const present = new Map(parent.items.map((p) => [isScalar(p.key) ? String(p.key.value) : '', p] as [string, Pair]));
  let after: Pair | undefined;
  for (let i = position - 1; i >= 0 && position >= 0; i--) {
    const candidate = present.get(order[i] ?? '');
    if (candidate) {
      after = candidate;
      break;
    }
  }
  let edit: TextEdit;
  if (after) {
    const end = pairEnd(after);
    const offset = insertionOffsetAfter(index, end);
    edit = offset.needsNewline ? { range: index.rangeOf(offset.at, offset.at), newText: `\n${text}` } : { range: index.rangeOf(offset.at, offset.at), newText: `${text}\n` };
  } else {
    const lineStart = index.lineStarts[index.positionAt(firstKey.range[0]).line] ?? 0;
    if (lineStart < (firstKey.range[0] - column)) return undefined;
    edit = { range: index.rangeOf(lineStart, lineStart), newText: `${text}\n` };
  }
  return { title, params, kind: 'insert-section', edits: [edit], preferred: true };
}

function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  if (value?.range) return value.range[1];
  const key = pair.key as Node | null;
  return key?.range?.[1] ?? 0;
}

/** Where a new line after the one containing `end - 1` starts; at the text's end a newline may be missing. */
function insertionOffsetAfter(index: TextIndex, end: number): { at: number; needsNewline: boolean } {
  const text = index.text;
  const line = index.positionAt(Math.max(0, end - (text.charCodeAt(end - 1) === 10 ? 1 : 0))).line;
  // Trailing comment lines that belong to the pair's block would be split; stop at the pair's own last line.
  const next = index.lineStarts[line + 1];
  if (next === undefined) return { at: text.length, needsNewline: !text.endsWith('\n') };
  return { at: next, needsNewline: false };
}
