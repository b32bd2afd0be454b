import type { RawFinding } from './raw-finding.js';

/**
 * At most `max` findings per document: a file with thousands of problems (a pasted list, a shape
 * gone wrong everywhere) gets the first `max` in document order and one ZT-LIMIT finding saying
 * so, where the first one left out is. Rendering, sending and showing a hundred thousand messages
 * would cost more than they tell. `overflow`: more problems were found than were made into
 * findings (the engine stops early), so there are more than `max` even if fewer are listed.
 */
export function capFindings(raw: readonly RawFinding[], max: number, overflow = false): RawFinding[] {
  if (raw.length <= max && !overflow) return [...raw];
  const ordered = [...raw].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const kept = ordered.slice(0, max);
  const firstLeftOut = ordered[max] ?? ordered[ordered.length - 1];
  kept.push({
    id: 'ZT-LIMIT',
    variant: 'findings',
    params: { maximum: max },
    path: firstLeftOut?.path ?? [],
    range: firstLeftOut ? { start: firstLeftOut.range.start, end: firstLeftOut.range.start } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    origin: 'parse',
  });
  return kept;
}
