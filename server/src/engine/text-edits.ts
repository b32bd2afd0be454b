import { TextIndex } from './text-index.js';
import type { TextEdit } from './types.js';

/**
 * Applies non-overlapping edits (LSP positions) to a text. Throws on overlapping edits, which
 * would make the result depend on their order.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const index = TextIndex.of(text);
  const spans = edits
    .map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), text: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1];
    const current = spans[i];
    if (previous && current && current.start < previous.end) throw new Error('overlapping edits');
  }
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + span.text;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
