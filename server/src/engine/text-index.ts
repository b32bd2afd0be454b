import type { Position, Range } from './types.js';

/** Offset ↔ position conversion over a text's line starts. */
export class TextIndex {
  constructor(
    readonly text: string,
    readonly lineStarts: readonly number[],
  ) {}

  /**
   * Lines as editors count them (LSP): CR LF, LF and a lone CR each end a line. The yaml parser
   * reads a lone CR as text, but a finding's line and column must be where the editor shows it.
   */
  static of(text: string): TextIndex {
    const starts = [0];
    let at = text.indexOf('\n');
    if (text.indexOf('\r') < 0) {
      while (at >= 0) {
        starts.push(at + 1);
        at = text.indexOf('\n', at + 1);
      }
      return new TextIndex(text, starts);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    return new TextIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    const start = this.lineStarts[low] ?? 0;
    // An offset on the line break itself (e.g. between CR and LF) is the end of the line's text:
    // a position never lies past what the editor shows of a line.
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - start };
  }

  /** Offset where a line's text ends, before its line break. */
  private contentEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (this.text.charCodeAt(end) === 10 && end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line] ?? 0;
    // As LSP says: a character past the line's end means the line's end (never into its break).
    return Math.min(start + Math.max(0, position.character), this.contentEnd(position.line));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** End of the line holding `offset`, before its line break (CR LF, LF or CR). */
  lineEndAt(offset: number): number {
    return this.contentEnd(this.positionAt(offset).line);
  }

  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    const next = this.lineStarts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}
