import type { Position } from './types.js';

/**
 * Where a cursor stands in a YAML text that is being typed, read from indentation: a half-typed
 * line is rarely valid YAML, so the parser's tree cannot say which mapping the new key belongs
 * to. This is for completion only; finding ranges always come from the yaml tree.
 */

export type CursorContext =
  | {
      kind: 'key';
      /** Pattern path of the mapping the key goes into (keys; `*` for a list item). */
      mapping: string[];
      /** What is typed of the key so far, and where the key starts and ends on the line. */
      prefix: string;
      startCharacter: number;
      endCharacter: number;
      /** True when the rest of the line already holds `: …` (only the key name is replaced). */
      hasColon: boolean;
      /** Keys already present in the same mapping. */
      siblings: string[];
    }
  | {
      kind: 'value';
      /** Pattern path of the value (the mapping's path plus the key). */
      path: string[];
      prefix: string;
      startCharacter: number;
      endCharacter: number;
      /** The value is inside quotes. */
      quoted: boolean;
    };

interface LineShape {
  /** Columns of the `- ` markers, left to right. */
  dashes: number[];
  /** Column where a key (or a scalar) starts after the markers; undefined for a blank or comment line. */
  column?: number;
  /** The key when the line holds `key:`. */
  key?: string;
  /** True when the key's value is on the same line (so it opens no block below). */
  inlineValue: boolean;
}

const KEY_LINE = /^([^\s#'"{[\]},:&*!|>%@`-][^#:]*?|"[^"]*"|'[^']*')\s*:(?:\s+(.*))?$/;

function shapeOf(line: string): LineShape {
  const shape: LineShape = { dashes: [], inlineValue: false };
  let i = 0;
  for (;;) {
    while (i < line.length && line[i] === ' ') i++;
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
      shape.dashes.push(i);
      i++;
      continue;
    }
    break;
  }
  const rest = line.slice(i).replace(/\s+$/, '');
  if (rest === '' || rest.startsWith('#')) return shape;
  shape.column = i;
  const match = KEY_LINE.exec(rest);
  if (match) {
    shape.key = (match[1] ?? '').replace(/^["']|["']$/g, '');
    const value = (match[2] ?? '').trim();
    shape.inlineValue = value !== '' && !value.startsWith('#') && !value.startsWith('&') && value !== '|' && value !== '>';
  }
  return shape;
}

/** Structural columns of a line from right to left: its key, then its list markers. */
function openers(shape: LineShape): { column: number; segment: string; isDash: boolean }[] {
  const out: { column: number; segment: string; isDash: boolean }[] = [];
  if (shape.key !== undefined && shape.column !== undefined && !shape.inlineValue) out.push({ column: shape.column, segment: shape.key, isDash: false });
  for (let i = shape.dashes.length - 1; i >= 0; i--) out.push({ column: shape.dashes[i] ?? 0, segment: '*', isDash: true });
  return out;
}

/**
 * The pattern path of the node that starts at `column` on line `lineNo`, given the list markers
 * in front of it on that line, by walking up to the nearest less indented openers.
 */
function pathAbove(lines: readonly string[], lineNo: number, column: number, dashesBefore: readonly number[]): string[] {
  const reversed: string[] = [];
  let col = column;
  // A block sequence may sit at its parent key's own column (`key:\n- item`).
  let atDash = false;
  for (let i = dashesBefore.length - 1; i >= 0; i--) {
    reversed.push('*');
    col = dashesBefore[i] ?? 0;
    atDash = true;
  }
  for (let line = lineNo - 1; line >= 0 && col > 0 || (line >= 0 && atDash && col === 0); line--) {
    const shape = shapeOf(lines[line] ?? '');
    if (shape.column === undefined && shape.dashes.length === 0) continue;
    for (const opener of openers(shape)) {
      const fits = opener.column < col || (atDash && !opener.isDash && opener.column === col);
      if (!fits) continue;
      reversed.push(opener.segment);
      col = opener.column;
      atDash = opener.isDash;
    }
    if (col === 0 && !atDash) break;
  }
  return reversed.reverse();
}

/** Keys at `column` in the mapping around `lineNo` (same block, same item). */
function siblingKeys(lines: readonly string[], lineNo: number, column: number, newItem: boolean): string[] {
  const keys: string[] = [];
  const starts = (shape: LineShape) => Math.min(...shape.dashes, shape.column ?? Infinity);
  // On a line that opens a list item, the keys above belong to the previous item.
  for (let line = newItem ? -1 : lineNo - 1; line >= 0; line--) {
    const shape = shapeOf(lines[line] ?? '');
    if (shape.column === undefined && shape.dashes.length === 0) continue;
    if (shape.column === column && shape.key !== undefined) keys.push(shape.key);
    if (starts(shape) < column) break;
  }
  for (let line = lineNo + 1; line < lines.length; line++) {
    const shape = shapeOf(lines[line] ?? '');
    if (shape.column === undefined && shape.dashes.length === 0) continue;
    if (starts(shape) < column) break;
    if (shape.column === column && shape.key !== undefined && shape.dashes.length === 0) keys.push(shape.key);
  }
  return keys;
}

const WORD = /[\p{L}\p{N}_.\-/()]/u;

export function cursorContext(text: string, position: Position): CursorContext | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[position.line];
  if (line === undefined) return undefined;
  const before = line.slice(0, position.character);
  if (/^\s*(-\s+)*#/.test(before)) return undefined;
  const shape = shapeOf(before);
  const column = shape.column ?? (shape.dashes.length > 0 ? (shape.dashes[shape.dashes.length - 1] ?? 0) + 2 : before.length);
  const typed = before.slice(column);
  if (/(^|\s)#/.test(typed) || typed.includes('{') || typed.includes('[')) return undefined;

  const colon = /^("[^"]*"|'[^']*'|[^:]*?)\s*:(\s*)(.*)$/.exec(typed);
  if (colon) {
    const key = (colon[1] ?? '').replace(/^["']|["']$/g, '');
    const raw = colon[3] ?? '';
    const quoted = /^["']/.test(raw);
    const prefix = raw.replace(/^["']/, '');
    const startCharacter = position.character - prefix.length;
    let end = position.character;
    while (end < line.length && WORD.test(line[end] ?? '') || (quoted && end < line.length && line[end] === ' ' && !line.slice(end).startsWith(' #'))) end++;
    return { kind: 'value', path: [...pathAbove(lines, position.line, column, shape.dashes), key], prefix, startCharacter, endCharacter: end, quoted };
  }
  if (!/^[\p{L}\p{N}_-]*$/u.test(typed)) return undefined;
  let end = position.character;
  while (end < line.length && /[\p{L}\p{N}_-]/u.test(line[end] ?? '')) end++;
  return {
    kind: 'key',
    mapping: pathAbove(lines, position.line, column, shape.dashes),
    prefix: typed,
    startCharacter: column,
    endCharacter: end,
    hasColon: /^\s*:/.test(line.slice(end)),
    siblings: siblingKeys(lines, position.line, column, shape.dashes.length > 0),
  };
}
