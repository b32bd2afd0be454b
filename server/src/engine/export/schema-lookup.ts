import { isRecord } from '../paths.js';
import type { Catalogue } from '../catalogue.js';
import type { DataPath, Lang } from '../types.js';
import type { ValueFormat } from './mapping.js';

/**
 * What the form's JSON Schema says about a key, for exports: its question (label), the order of
 * an object's keys (the order the questions are asked in), and the format its value is shown in.
 */

export type SchemaObject = Record<string, unknown>;

export interface SchemaSource {
  root: SchemaObject;
  /** Resolves an absolute `$ref` (another schema of the insurer). */
  resolveRef: (ref: string) => SchemaObject | undefined;
}

/** Evidence keys beside a declaration, by suffix, with the word a label gets for them. */
const EVIDENCE_SUFFIXES: [string, { nl: string; en: string }][] = [
  ['_document', { nl: 'document', en: 'document' }],
  ['_toelichting', { nl: 'toelichting', en: 'explanation' }],
  ['_nummer', { nl: 'nummer', en: 'number' }],
  ['_datum', { nl: 'datum', en: 'date' }],
  ['_geldig_tot', { nl: 'geldig tot', en: 'valid until' }],
  ['_naam', { nl: 'naam', en: 'name' }],
];

export class SchemaLookup {
  constructor(
    private readonly source: SchemaSource,
    private readonly catalogue: Catalogue,
  ) {}

  /** The schema node for a data path (through $ref, items and the first matching anyOf branch). */
  node(path: DataPath): SchemaObject | undefined {
    let node: SchemaObject | undefined = this.resolve(this.source.root, this.source.root);
    let root = this.source.root;
    for (const segment of path) {
      if (!node) return undefined;
      const next: { node: SchemaObject; root: SchemaObject } | undefined = typeof segment === 'number' ? this.itemsOf(node, root) : this.propertyOf(node, root, segment);
      if (!next) return undefined;
      node = next.node;
      root = next.root;
    }
    return node;
  }

  /** Property names of an object node in schema order. */
  keys(node: SchemaObject | undefined): string[] {
    if (!node) return [];
    const properties = node['properties'];
    const keys = isRecord(properties) ? Object.keys(properties) : [];
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[combinator];
      if (!Array.isArray(list)) continue;
      for (const branch of list) {
        const resolved = isRecord(branch) ? this.resolve(branch, this.source.root) : undefined;
        for (const key of this.keys(resolved)) if (!keys.includes(key)) keys.push(key);
      }
    }
    return keys;
  }

  /** How a person reads the key: its question, else the title of its requirement, else the key. */
  label(path: DataPath, lang: Lang): string {
    const key = String([...path].reverse().find((s) => typeof s === 'string') ?? '');
    const node = this.node(path);
    const question = node?.['x-question'];
    if (isRecord(question) && typeof question[lang] === 'string') return question[lang];
    for (const [suffix, word] of EVIDENCE_SUFFIXES) {
      if (key.endsWith(suffix) && key.length > suffix.length) return `${humanize(key.slice(0, -suffix.length))} — ${word[lang]}`;
    }
    const requirement = node?.['x-requirement'];
    if (this.isDeclaration(node) && typeof requirement === 'string') {
      const title = this.catalogue.get(requirement)?.title[lang];
      if (title) return title;
    }
    return humanize(key);
  }

  /** A declaration: `type: [boolean, null]`, answered true or false. */
  isDeclaration(node: SchemaObject | undefined): boolean {
    const type = node?.['type'];
    return Array.isArray(type) && type.includes('boolean') && type.includes('null');
  }

  /** The format a value at this node is shown in. */
  format(path: DataPath, node: SchemaObject | undefined): ValueFormat | undefined {
    if (!node) return undefined;
    const type = node['type'];
    const types = Array.isArray(type) ? type : [type];
    if (types.includes('boolean')) return 'answer';
    if (node['format'] === 'date') return 'date';
    if (types.includes('integer')) return 'integer';
    if (types.includes('number')) return String(path[path.length - 1]).endsWith('_eur') ? 'eur' : 'decimal';
    if (types.includes('string') || node['enum'] !== undefined) return 'text';
    return undefined;
  }

  isObject(node: SchemaObject | undefined): boolean {
    return node !== undefined && (node['type'] === 'object' || isRecord(node['properties']));
  }

  isArray(node: SchemaObject | undefined): boolean {
    return node !== undefined && (node['type'] === 'array' || node['items'] !== undefined);
  }

  private propertyOf(node: SchemaObject, root: SchemaObject, key: string): { node: SchemaObject; root: SchemaObject } | undefined {
    const properties = node['properties'];
    if (isRecord(properties) && isRecord(properties[key])) {
      const found = properties[key];
      const resolvedRoot = this.rootOf(found, root);
      const resolved = this.resolve(found, root);
      return resolved ? { node: resolved, root: resolvedRoot } : undefined;
    }
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[combinator];
      if (!Array.isArray(list)) continue;
      for (const branch of list) {
        if (!isRecord(branch)) continue;
        const resolved = this.resolve(branch, root);
        const found = resolved ? this.propertyOf(resolved, this.rootOf(branch, root), key) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  private itemsOf(node: SchemaObject, root: SchemaObject): { node: SchemaObject; root: SchemaObject } | undefined {
    const items = node['items'];
    if (!isRecord(items)) return undefined;
    const resolved = this.resolve(items, root);
    if (!resolved) return undefined;
    // Items that may be a plain name or a mapping (addenda): the mapping branch describes the keys.
    const anyOf = resolved['anyOf'];
    if (Array.isArray(anyOf)) {
      for (const branch of anyOf) {
        if (!isRecord(branch)) continue;
        const candidate = this.resolve(branch, root);
        if (candidate && this.isObject(candidate)) return { node: candidate, root: this.rootOf(branch, root) };
      }
    }
    return { node: resolved, root: this.rootOf(items, root) };
  }

  private rootOf(node: SchemaObject, root: SchemaObject): SchemaObject {
    const ref = node['$ref'];
    if (typeof ref !== 'string') return root;
    const base = ref.split('#')[0];
    return base ? (this.source.resolveRef(base) ?? root) : root;
  }

  /** Follows `$ref` chains; sibling keywords (x-requirement beside a $ref) win over the target's. */
  private resolve(node: SchemaObject, root: SchemaObject, depth = 0): SchemaObject | undefined {
    const ref = node['$ref'];
    if (typeof ref !== 'string' || depth > 16) return node;
    const [base, fragment = ''] = ref.split('#');
    const document = base ? this.source.resolveRef(base) : root;
    if (!document) return undefined;
    let target: unknown = document;
    for (const raw of fragment.split('/').filter(Boolean)) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isRecord(target) ? target[part] : undefined;
    }
    if (!isRecord(target)) return undefined;
    const resolved = this.resolve(target, document, depth + 1);
    if (!resolved) return undefined;
    const { $ref: _ignored, ...siblings } = node;
    return { ...resolved, ...siblings };
  }
}

/** `voldoet_aan_wtza` → "Voldoet aan wtza". */
export function humanize(key: string): string {
  const text = key
    .replace(/_eur$/, ' (€)')
    .replace(/_uur$/, ' (uur)')
    .replace(/_/g, ' ')
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
