import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Catalogue } from './catalogue.js';
import { DEVIATIONS_KEY } from './deviations.js';
import type { ParsedSubmission } from './parse.js';
import { formatPath } from './paths.js';
import type { Finding, TextEdit } from './types.js';

/**
 * The text edit that starts a deviation for a finding (an editor's "Licht toe als afwijking"): a
 * new item under `afwijkingen:` with the finding's ID and path and an empty `toelichting`, which
 * stays a ZT-DEV-REASON error until the provider writes why. The explanation is never written for
 * them. Undefined when the finding cannot be deviated from, is already explained, or the list is
 * written in a form the edit cannot extend precisely (a non-empty flow list).
 */
export function deviationEdit(parsed: ParsedSubmission, finding: Pick<Finding, 'id' | 'path' | 'deviation'>, catalogue: Catalogue): TextEdit | undefined {
  const entry = catalogue.get(finding.id);
  if (!entry || entry.no_deviation || entry.insurer === 'zorgtoets' || finding.deviation) return undefined;
  const doc = parsed.doc;
  if (!doc || !isMap(doc.contents)) return undefined;
  const { index, text } = parsed;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const item = (indent: string) =>
    [`${indent}- id: ${finding.id}`, ...(finding.path.length > 0 ? [`${indent}  pad: ${quoteIfNeeded(formatPath(finding.path))}`] : []), `${indent}  toelichting:`].join(newline);

  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === DEVIATIONS_KEY);
  const value = pair?.value as Node | null | undefined;
  if (!pair) {
    const ending = text.length === 0 || text.endsWith('\n') ? '' : newline;
    const at = index.positionAt(text.length);
    return { range: { start: at, end: at }, newText: `${ending}${newline}${DEVIATIONS_KEY}:${newline}${item('  ')}${newline}` };
  }
  if (isSeq(value) && !value.flow && value.items.length > 0) {
    const first = value.items[0] as Node;
    const last = value.items[value.items.length - 1] as Node;
    if (!first.range || !last.range) return undefined;
    const firstStart = index.positionAt(first.range[0]);
    // The item's text starts after "- ": its dash is two columns before.
    const indent = ' '.repeat(Math.max(0, firstStart.character - 2));
    const lastLine = index.positionAt(Math.max(last.range[0], last.range[1] - 1)).line;
    const nextLineStart = index.lineStarts[lastLine + 1];
    if (nextLineStart === undefined) {
      const at = index.positionAt(text.length);
      return { range: { start: at, end: at }, newText: `${newline}${item(indent)}${newline}` };
    }
    const at = index.positionAt(nextLineStart);
    return { range: { start: at, end: at }, newText: `${item(indent)}${newline}` };
  }
  // `afwijkingen:` with nothing, or `afwijkingen: []`: the value becomes the list.
  const empty = value === null || value === undefined || (isScalar(value) && value.value === null) || (isSeq(value) && value.items.length === 0);
  if (!empty) return undefined;
  const keyEnd = (pair.key as Node).range?.[1];
  if (keyEnd === undefined) return undefined;
  const valueRange = value?.range;
  const start = index.positionAt(keyEnd);
  const end = index.positionAt(valueRange && valueRange[1] > keyEnd ? valueRange[1] : keyEnd + 1);
  return { range: { start, end }, newText: `:${newline}${item('  ')}` };
}

function quoteIfNeeded(path: string): string {
  return /^[A-Za-z0-9_.[\]*]+$/.test(path) ? path : JSON.stringify(path);
}
