import { stringify } from 'yaml';
import { quickHeader, versionForText } from './document-header.js';
import type { Engine } from './engine.js';
import type { FormVersion } from './forms.js';
import { formMarkdown, keyMarkdown } from './key-docs.js';
import { SchemaNavigator, factsOf, type SchemaFacts } from './schema-navigation.js';
import type { Lang, Position, Range } from './types.js';
import { cursorContext } from './yaml-cursor.js';

/**
 * Completion from the form's schema: the keys of the mapping at the cursor (required first, keys
 * already present left out), the values a key allows (enums, closed lists with their labels,
 * true/false), and for `formulier:` the known forms. Documentation comes from the catalogue.
 */

export interface CompletionEntry {
  label: string;
  kind: 'key' | 'value' | 'form';
  /** Short text beside the label: the value's label, "verplicht", the form's title. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** The text the entry replaces (what is typed of the word at the cursor). */
  range: Range;
  /** Order: required keys first, then schema order. */
  sortText: string;
  preselect?: boolean;
}

/** Closed-list groups whose names start with this are retired products: never offered. */
const RETIRED_GROUP = 'vervallen';

export function complete(engine: Engine, text: string, position: Position, lang: Lang): CompletionEntry[] {
  const context = cursorContext(text, position);
  if (!context) return [];
  const header = quickHeader(text);
  const version = versionForText(engine, header);
  const range: Range = { start: { line: position.line, character: context.startCharacter }, end: { line: position.line, character: context.endCharacter } };

  if (context.kind === 'value') {
    if (context.path.length === 1 && context.path[0] === 'formulier') return formEntries(engine, lang, range);
    if (context.path.length === 1 && context.path[0] === 'contractjaar' && header.form !== undefined) {
      return engine.forms.years(header.form).map((year, i) => ({ label: String(year), kind: 'value', insertText: String(year), range, sortText: pad(i) }));
    }
    if (!version) return [];
    return valueEntries(engine, version, new SchemaNavigator(engine.compiler, version.schemaPath).factsAt(context.path), lang, range, context.quoted);
  }

  if (!version) {
    // Not (yet) a zorgtoets file: only the line that makes it one, at the top level.
    if (context.mapping.length > 0 || context.siblings.includes('formulier')) return [];
    return [{ label: 'formulier', kind: 'key', insertText: context.hasColon ? 'formulier' : 'formulier: ', range, sortText: pad(0), detail: engine.catalogue.label('editor-form', lang) }];
  }
  const navigator = new SchemaNavigator(engine.compiler, version.schemaPath);
  const present = new Set(context.siblings);
  const labels = listLabels(engine, version, lang);
  const all = navigator.propertiesAt(context.mapping);
  if (all.length === 0 && context.mapping[context.mapping.length - 1] === '*') {
    // `- ` in a list of scalars (gemeenten, codes): the item's allowed values, not keys.
    return valueEntries(engine, version, navigator.factsAt(context.mapping), lang, range, false);
  }
  const properties = all.filter((p) => !present.has(p.name));
  const ordered = [...properties.filter((p) => p.required), ...properties.filter((p) => !p.required)];
  return ordered.map((property, i) => {
    const facts = factsOf(property.schemas);
    const collection = facts.types.length > 0 && facts.types.every((t) => t === 'object' || t === 'array');
    return {
      label: property.name,
      kind: 'key',
      detail: engine.catalogue.label(property.required ? 'editor-required' : 'editor-optional', lang) + (facts.requirement ? ` · ${facts.requirement}` : ''),
      documentation: keyMarkdown(engine, property.name, facts, lang, { required: property.required, labelOf: (v) => (facts.list ? labels(facts.list, v) : undefined) }),
      insertText: context.hasColon ? property.name : collection ? `${property.name}:` : `${property.name}: `,
      range,
      sortText: pad(i),
      ...(i === 0 && property.required ? { preselect: true } : {}),
    };
  });
}

function formEntries(engine: Engine, lang: Lang, range: Range): CompletionEntry[] {
  return engine.forms.formIds().map((form, i) => {
    const manifest = engine.forms.manifest(form);
    return {
      label: form,
      kind: 'form',
      ...(manifest ? { detail: manifest.title[lang], documentation: formMarkdown(engine, manifest, lang) } : {}),
      insertText: form,
      range,
      sortText: pad(i),
    };
  });
}

function valueEntries(engine: Engine, version: FormVersion, facts: SchemaFacts, lang: Lang, range: Range, quoted: boolean): CompletionEntry[] {
  const labels = listLabels(engine, version, lang);
  const entries: CompletionEntry[] = [];
  const add = (value: unknown, detail?: string) => {
    const text = typeof value === 'string' && quoted ? value : scalarText(value);
    entries.push({ label: String(value), kind: 'value', ...(detail ? { detail } : {}), insertText: text, range, sortText: pad(entries.length) });
  };
  if (facts.values) {
    for (const value of facts.values) add(value, facts.list ? labels(facts.list, String(value)) : undefined);
  } else if (facts.list) {
    const list = engine.forms.rules(version).lists.get(facts.list);
    for (const entry of list?.entries ?? []) {
      if (entry.group?.startsWith(RETIRED_GROUP)) continue;
      add(entry.value, entry.label?.[lang]);
    }
  }
  if (facts.types.includes('boolean') && !facts.values) {
    for (const answer of [true, false]) {
      const detail = facts.compliant === undefined ? undefined : engine.catalogue.label(answer === facts.compliant ? 'editor-compliant' : 'editor-not-compliant', lang);
      add(answer, detail);
    }
  }
  const documentation = facts.requirement || facts.question ? keyMarkdown(engine, undefined, { ...facts, values: undefined }, lang) : undefined;
  if (documentation) for (const entry of entries) entry.documentation = documentation;
  return entries;
}

/** Label of a closed-list value in the form's rules, if it has one other than the value itself. */
function listLabels(engine: Engine, version: FormVersion, lang: Lang): (list: string, value: string) => string | undefined {
  const lists = engine.forms.rules(version).lists;
  return (list, value) => {
    const label = lists.get(list)?.label(value, lang);
    return label !== undefined && label !== value ? label : undefined;
  };
}

function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}
