import { compareIds } from './notation.js';
import type { Range } from './types.js';

/**
 * The order findings are reported in, by the engine, the language server (with findings across
 * documents added) and `zorgtoets check` alike: by position, then by requirement ID.
 */
export function compareFindings(a: { range: Range; id: string }, b: { range: Range; id: string }): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compareIds(a.id, b.id);
}
