import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import type { Example, ExampleEdit } from './catalogue.js';
import type { CheckOptions, Engine } from './engine.js';
import { formatPath, parsePathPattern, resolvePath } from './paths.js';
import type { DataPath, Finding } from './types.js';

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

/** A document checked together with an example's own (`together_with`): its name and text. */
export interface ExamplePartner {
  name: string;
  text: string;
}

/** The partner document of an example for its failing or passing case, from its form's sample. */
export function examplePartner(example: Example, mode: 'fail' | 'pass', sampleText: (form: string, sample?: string) => string): ExamplePartner | undefined {
  const partner = example.together_with;
  if (!partner) return undefined;
  return { name: `samples/${partner.form}/${partner.sample ?? 'valid.yaml'}`, text: applyExampleEdits(sampleText(partner.form, partner.sample), partner[mode]) };
}

/**
 * The findings of an example's document: its own, plus, when it is checked together with another
 * submission, those the cross-document checks give it. The example's document is named "voorbeeld".
 */
export function exampleFindings(engine: Engine, text: string, options: CheckOptions, partner?: ExamplePartner): Finding[] {
  const own = engine.check(text, options);
  if (!partner) return own.findings;
  const other = engine.check(partner.text, { ...options, strict: false });
  const lang = options.lang ?? 'nl';
  const cross = engine.crossCheck([engine.crossInput('voorbeeld', 'voorbeeld', own), engine.crossInput(partner.name, partner.name, other)], lang);
  return [...own.findings, ...(cross.get('voorbeeld') ?? [])];
}
