import type { CatalogueEntry } from './catalogue.js';
import type { Engine } from './engine.js';
import type { FormManifest } from './forms.js';
import type { SchemaFacts } from './schema-navigation.js';
import type { Lang } from './types.js';

/**
 * Markdown descriptions of requirements, keys and forms, shared by hover and completion. Texts
 * come from the catalogue and the schema's annotations only.
 */

function label(engine: Engine, key: string, lang: Lang): string {
  return engine.catalogue.label(key, lang);
}

/**
 * "**VGZ-RHO-04c** — title", the explanation, the policy source, and the policy version it was
 * taken from (with the dated amendment, for VGZ), so a consultant sees which text a check follows.
 */
export function requirementMarkdown(engine: Engine, entry: CatalogueEntry, lang: Lang): string {
  const parts = [`**${entry.id}** — ${entry.title[lang]}`];
  if (entry.explanation) parts.push(entry.explanation[lang]);
  parts.push(`*${label(engine, 'editor-source', lang)}:* ${entry.fullSource}`);
  const policy = engine.catalogue.provenance(entry.id)?.policyTitle?.[lang];
  const version = engine.catalogue.provenanceText(entry.id, lang) ?? entry.version;
  if (policy || version) parts.push(`*${label(engine, 'editor-policy-version', lang)}:* ${[policy, version].filter(Boolean).join(', ')}`);
  return parts.join('\n\n');
}

/** What a key is for: its question or description, format, allowed values, and its requirement. */
export function keyMarkdown(engine: Engine, key: string | undefined, facts: SchemaFacts, lang: Lang, options: { required?: boolean; labelOf?: (value: string) => string | undefined } = {}): string {
  const parts: string[] = [];
  if (key !== undefined) {
    parts.push(options.required === undefined ? `\`${key}\`` : `\`${key}\` (${label(engine, options.required ? 'editor-required' : 'editor-optional', lang)})`);
  }
  if (facts.question) parts.push(`*${label(engine, 'editor-question', lang)}:* ${facts.question[lang]}`);
  if (facts.description) parts.push(facts.description[lang]);
  if (facts.hint) parts.push(`*${label(engine, 'editor-format', lang)}:* ${facts.hint[lang]}`);
  if (facts.compliant !== undefined) parts.push(`\`${String(facts.compliant)}\` ${label(engine, 'editor-compliant', lang)}`);
  if (facts.values && facts.values.length > 0 && facts.values.length <= 20) {
    const shown = facts.values.map((v) => {
      const text = String(v);
      const described = options.labelOf?.(text);
      return described && described !== text ? `\`${text}\` (${described})` : `\`${text}\``;
    });
    parts.push(`*${label(engine, 'editor-values', lang)}:* ${shown.join(', ')}`);
  }
  const entry = facts.requirement ? engine.catalogue.get(facts.requirement) : undefined;
  if (entry) parts.push(...(parts.length > 0 ? ['---'] : []), requirementMarkdown(engine, entry, lang));
  return parts.join('\n\n');
}

/** The form behind `formulier:`: title, description, contract years and its notes. */
export function formMarkdown(engine: Engine, manifest: FormManifest, lang: Lang): string {
  const parts = [`**${manifest.form}** — ${manifest.title[lang]}`];
  if (manifest.description) parts.push(manifest.description[lang]);
  parts.push(`*${label(engine, 'editor-years', lang)}:* ${engine.forms.years(manifest.form).join(', ')}`);
  const notes = manifest.notes.map((id) => engine.catalogue.get(id)).filter((e): e is CatalogueEntry => e !== undefined);
  if (notes.length > 0) {
    parts.push('---', `**${label(engine, 'editor-notes', lang)}**`);
    for (const note of notes) parts.push(requirementMarkdown(engine, note, lang));
  }
  return parts.join('\n\n');
}
