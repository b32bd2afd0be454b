import type { CheckResult, Engine } from './engine.js';
import { formMarkdown, keyMarkdown, requirementMarkdown } from './key-docs.js';
import { pathPattern } from './schema-check.js';
import { SchemaNavigator } from './schema-navigation.js';
import { positionInTree } from './tree-position.js';
import type { Finding, Lang, Position, Range } from './types.js';

/**
 * Hover: on a key or value, what the key is for and the requirement behind it (title, what it
 * asks, policy source); on `formulier:`, the form and its notes; on a finding, its requirement.
 */

export interface HoverInfo {
  /** Markdown. */
  markdown: string;
  range?: Range;
}

function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

export function hover(engine: Engine, result: CheckResult, position: Position, lang: Lang): HoverInfo | undefined {
  if (!result.ours) return undefined;
  const sections: string[] = [];
  let range: Range | undefined;

  const seen = new Set<string>();
  for (const finding of findingsAt(result.findings, position)) {
    if (seen.has(finding.id)) continue;
    seen.add(finding.id);
    const entry = engine.catalogue.get(finding.id);
    sections.push(`**${engine.catalogue.label('editor-finding', lang)}:** ${finding.message}`);
    if (entry) sections.push(requirementMarkdown(engine, entry, lang));
    range ??= finding.range;
  }

  const doc = result.parsed.doc;
  const index = result.parsed.index;
  const at = doc ? positionInTree(doc, index.offsetAt(position)) : undefined;
  if (at) {
    const keyDocs = describePath(engine, result, at.path, lang);
    if (keyDocs) {
      if (sections.length > 0) sections.push('---');
      sections.push(keyDocs);
      range = index.rangeOf(at.span[0], at.span[1]);
    }
  }
  return sections.length > 0 ? { markdown: sections.join('\n\n'), ...(range ? { range } : {}) } : undefined;
}

function findingsAt(findings: readonly Finding[], position: Position): Finding[] {
  return findings.filter((f) => contains(f.range, position));
}

function describePath(engine: Engine, result: CheckResult, path: (string | number)[], lang: Lang): string | undefined {
  const key = path[path.length - 1];
  if (path.length === 1 && key === 'formulier') {
    const manifest = result.form ? engine.forms.manifest(result.form) : undefined;
    return manifest ? formMarkdown(engine, manifest, lang) : undefined;
  }
  const version = result.form ? (result.year !== undefined ? engine.forms.version(result.form, result.year) : undefined) ?? engine.forms.latest(result.form) : undefined;
  if (!version || path.length === 0) return undefined;
  const pattern = pathPattern(path).split('.');
  const facts = new SchemaNavigator(engine.compiler, version.schemaPath).factsAt(pattern);
  if (facts.requirement === undefined) {
    const requirement = engine.compiler.requirementIndex(version.schemaPath).get(pattern.join('.'));
    if (requirement !== undefined) facts.requirement = requirement;
  }
  if (facts.types.length === 0 && facts.requirement === undefined) return undefined;
  const lists = engine.forms.rules(version).lists;
  const name = typeof key === 'string' ? key : `${String(path[path.length - 2] ?? '')}[${key}]`;
  return keyMarkdown(engine, name, facts, lang, { labelOf: (value) => (facts.list ? lists.get(facts.list)?.label(value, lang) : undefined) });
}
