import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import type { ExampleEdit } from './catalogue.js';
import { formatPath, parsePathPattern, resolvePath } from './paths.js';
import type { DataPath } from './types.js';

/**
 * Catalogue examples: edits applied to a form's valid sample make a requirement fire (the failing
 * example) or keep it silent (the passing one). `explain` shows them; the tests run them.
 */

export class ExampleError extends Error {}

function concretePath(doc: Document.Parsed, text: string): DataPath {
  const pattern = parsePathPattern(text);
  if (pattern.some((s) => s.kind === 'wildcard')) throw new ExampleError(`pad met * in een voorbeeld: ${text}`);
  const resolved = resolvePath(doc.toJS(), text);
  if (!resolved) throw new ExampleError(`pad ${text} bestaat niet in het voorbeeld`);
  return resolved;
}

/** Applies edits in order; each `set` or `delete` re-reads the text so later paths see earlier edits. */
export function applyExampleEdits(text: string, edits: readonly ExampleEdit[]): string {
  let current = text;
  for (const edit of edits) {
    if ('replace_text' in edit) {
      const at = current.indexOf(edit.replace_text);
      if (at < 0) throw new ExampleError(`tekst niet gevonden: ${edit.replace_text}`);
      current = current.slice(0, at) + edit.with + current.slice(at + edit.replace_text.length);
      continue;
    }
    const doc = parseDocument(current);
    if (doc.errors.length > 0) throw new ExampleError(`voorbeeld is geen geldige YAML meer: ${doc.errors[0]?.message}`);
    if ('set' in edit) {
      const path = concretePath(doc, edit.set);
      doc.setIn(path, doc.createNode(edit.to));
    } else {
      const path = concretePath(doc, edit.delete);
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
      if (!isMap(parent) && !isSeq(parent)) throw new ExampleError(`kan ${edit.delete} niet verwijderen`);
      doc.deleteIn(path);
    }
    current = doc.toString({ lineWidth: 0 });
  }
  return current;
}

/** The edits as a person reads them: the changed keys with their new values, as YAML. */
export function describeEdits(edits: readonly ExampleEdit[]): string[] {
  return edits.map((edit) => {
    if ('replace_text' in edit) return `${JSON.stringify(edit.replace_text)} → ${JSON.stringify(edit.with)}`;
    if ('set' in edit) {
      const value = stringify(edit.to, { lineWidth: 0, flowCollectionPadding: false }).trimEnd();
      return value.includes('\n') ? `${edit.set}:\n${value.replace(/^/gm, '  ')}` : `${edit.set}: ${value}`;
    }
    return `${edit.delete}: (weggelaten / removed)`;
  });
}

/** The data path an expectation names, resolved in the edited text. */
export function expectedPath(text: string, path: string): DataPath | undefined {
  return resolvePath(parseDocument(text).toJS(), path);
}

export { formatPath };
