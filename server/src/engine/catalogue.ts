import { z } from 'zod';
import { DataFileError, readYamlData, validateData, type DataFiles } from './data-files.js';
import { fillTemplate, placeholders, type LabelLookup } from './message-format.js';
import type { MessageParams } from './raw-finding.js';
import type { CatalogueSeverity, Lang, Severity } from './types.js';

/**
 * The requirement catalogue: the single home of requirement text. One YAML file per insurer under
 * `schemas/requirements/`, plus `zorgtoets.yaml` for the product's own checks and the generic
 * messages (a missing key, a wrong type, …) that schema-derived findings borrow.
 */

const Localized = z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict();
export type Localized = z.infer<typeof Localized>;

const SeverityName = z.enum(['error', 'warning', 'info', 'note']);

/** A change to a form's valid sample, addressed by a path such as `addenda[naam=Astma].uren`. */
const ExampleEdit = z.union([
  z.object({ set: z.string().min(1), to: z.unknown() }).strict(),
  z.object({ delete: z.string().min(1) }).strict(),
  /** A textual change, for what data edits cannot express (syntax errors, comments, documents). */
  z.object({ replace_text: z.string().min(1), with: z.string() }).strict(),
]);
export type ExampleEdit = z.infer<typeof ExampleEdit>;

/**
 * A failing and a passing example, shown by `explain` and run by the tests: the edits `fail`
 * applied to the form's valid sample make the requirement fire at `expect.path`; the edits `pass`
 * (default: none) leave it silent.
 */
const Example = z
  .object({
    form: z.string().min(1),
    /** Sample to start from, relative to the form's sample folder (default: valid.yaml). */
    sample: z.string().optional(),
    fail: z.array(ExampleEdit).min(1),
    pass: z.array(ExampleEdit).default([]),
    expect: z
      .object({
        path: z.string(),
        severity: z.enum(['error', 'warning', 'info']).optional(),
        /** Fragments the Dutch message must contain: the computed values. */
        contains: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
        /** Options for this example's check, e.g. a peildatum. */
        peildatum: z.string().optional(),
        /** The finding points at the key of `path` (unknown keys), not at its value. */
        on: z.enum(['value', 'key']).default('value'),
        /** For text-level examples (syntax errors): the 1-based line and column instead of a path. */
        at: z.object({ line: z.number().int().min(1), column: z.number().int().min(1) }).strict().optional(),
      })
      .strict(),
  })
  .strict();
export type Example = z.infer<typeof Example>;

const Requirement = z
  .object({
    id: z.string().regex(/^[A-Z]+(-[A-Z0-9]+)+[a-z]?$/, 'ID als VGZ-RHO-04c of ZT-YAML'),
    severity: z.union([SeverityName, z.array(SeverityName).min(1)]),
    title: Localized,
    /** Heading path inside the policy file; the file name is prefixed unless given. */
    source: z.string().min(1),
    /** What the requirement asks and why, for hover and explain. */
    explanation: Localized.optional(),
    /** Policy version (and amendment) this entry was taken from. */
    version: z.string().optional(),
    messages: z.record(z.string(), Localized).default({}),
    examples: z.array(Example).default([]),
    /** Exclusion grounds and the like: a deviation may not be claimed for these. */
    no_deviation: z.boolean().default(false),
  })
  .strict();
export type Requirement = z.infer<typeof Requirement>;

const CatalogueFile = z
  .object({
    insurer: z.string().min(1),
    name: Localized,
    /** The policy file the sources point into (`004_8353ac6ccfdd3b59.txt`), or `zorgtoets`. */
    policy: z.string().min(1),
    policy_title: Localized.optional(),
    policy_version: z.string().optional(),
    requirements: z.array(Requirement),
    /** Product catalogue only: messages shared by all requirements, keyed by variant. */
    generic: z.record(z.string(), Localized).default({}),
    /** Product catalogue only: titles of quick fixes. */
    fixes: z.record(z.string(), Localized).default({}),
    /** Product catalogue only: texts of related locations. */
    related: z.record(z.string(), Localized).default({}),
    /** Product catalogue only: short UI words (severity names, summaries). */
    labels: z.record(z.string(), Localized).default({}),
  })
  .strict();
type CatalogueFile = z.infer<typeof CatalogueFile>;

export interface CatalogueEntry extends Requirement {
  insurer: string;
  /** Full source: "file › heading". */
  fullSource: string;
  /** The severities this requirement may be reported with; the first is the default. */
  severities: CatalogueSeverity[];
  file: string;
}

export class Catalogue {
  private readonly entries = new Map<string, CatalogueEntry>();
  private readonly generic = new Map<string, Localized>();
  private readonly fixTitles = new Map<string, Localized>();
  private readonly relatedTexts = new Map<string, Localized>();
  private readonly labelTexts = new Map<string, Localized>();
  readonly insurers = new Map<string, { name: Localized; policy: string; policyTitle?: Localized; policyVersion?: string }>();

  static load(files: DataFiles, dir = 'requirements'): Catalogue {
    const catalogue = new Catalogue();
    const names = files.list(dir).filter((name) => name.endsWith('.yaml'));
    if (names.length === 0) throw new DataFileError(dir, '', 'geen catalogusbestanden gevonden');
    for (const name of names) {
      const path = `${dir}/${name}`;
      catalogue.add(validateData(CatalogueFile, readYamlData(files, path), path), path);
    }
    catalogue.checkMessages();
    return catalogue;
  }

  /**
   * Adds an organisation's own requirement files (`requirements/*.yaml` in an extra folder). Each
   * file is taken whole or not at all: a broken file, or one reusing a known ID, is returned as a
   * problem and the catalogue stays as it was.
   */
  addExtra(files: DataFiles, label: string, dir = 'requirements'): DataFileError[] {
    const problems: DataFileError[] = [];
    for (const name of files.list(dir).filter((n) => n.endsWith('.yaml'))) {
      const path = `${dir}/${name}`;
      const shown = `${label}/${path}`;
      try {
        const file = validateData(CatalogueFile, readYamlData(files, path), shown);
        file.requirements.forEach((requirement, index) => {
          const known = this.entries.get(requirement.id) ?? file.requirements.slice(0, index).find((r) => r.id === requirement.id);
          if (known) throw new DataFileError(shown, `requirements[${index}].id`, `${requirement.id} bestaat al`);
        });
        const before = new Set(this.entries.keys());
        this.add(file, shown, true);
        try {
          this.checkMessages([...this.entries.values()].filter((e) => !before.has(e.id)));
        } catch (error) {
          for (const id of [...this.entries.keys()]) if (!before.has(id)) this.entries.delete(id);
          throw error;
        }
      } catch (error) {
        problems.push(error instanceof DataFileError ? error : new DataFileError(shown, '', error instanceof Error ? error.message : String(error)));
      }
    }
    return problems;
  }

  private add(file: CatalogueFile, path: string, extra = false): void {
    // An organisation's extra file may name an insurer; it never replaces the insurer's own details.
    if (!extra || !this.insurers.has(file.insurer)) this.insurers.set(file.insurer, {
      name: file.name,
      policy: file.policy,
      ...(file.policy_title ? { policyTitle: file.policy_title } : {}),
      ...(file.policy_version ? { policyVersion: file.policy_version } : {}),
    });
    file.requirements.forEach((requirement, index) => {
      if (this.entries.has(requirement.id)) {
        throw new DataFileError(path, `requirements[${index}].id`, `${requirement.id} staat al in ${this.entries.get(requirement.id)?.file}`);
      }
      const severities = Array.isArray(requirement.severity) ? requirement.severity : [requirement.severity];
      if (severities.includes('note') && severities.length > 1) {
        throw new DataFileError(path, `requirements[${index}] (${requirement.id}).severity`, 'note kan niet met een andere ernst samengaan');
      }
      if (!severities.includes('note') && !requirement.messages['default']) {
        throw new DataFileError(path, `requirements[${index}] (${requirement.id}).messages.default`, 'ontbreekt');
      }
      const fullSource = requirement.source.includes('.txt') || file.policy === 'zorgtoets' ? requirement.source : `${file.policy} › ${requirement.source}`;
      this.entries.set(requirement.id, {
        ...requirement,
        version: requirement.version ?? file.policy_version,
        insurer: file.insurer,
        fullSource,
        severities,
        file: path,
      });
    });
    if (extra) return;
    for (const [key, text] of Object.entries(file.generic)) this.generic.set(key, text);
    for (const [key, text] of Object.entries(file.fixes)) this.fixTitles.set(key, text);
    for (const [key, text] of Object.entries(file.related)) this.relatedTexts.set(key, text);
    for (const [key, text] of Object.entries(file.labels)) this.labelTexts.set(key, text);
  }

  /** Placeholders must be spelled the same in both languages, or one of them shows `{x}`. */
  private checkMessages(entries: Iterable<CatalogueEntry> = this.entries.values()): void {
    const check = (file: string, field: string, text: Localized) => {
      const nl = new Set(placeholders(text.nl));
      const en = new Set(placeholders(text.en));
      const differ = [...nl].filter((p) => !en.has(p)).concat([...en].filter((p) => !nl.has(p)));
      if (differ.length > 0) throw new DataFileError(file, field, `placeholders verschillen tussen nl en en: ${differ.join(', ')}`);
    };
    for (const entry of entries) {
      for (const [variant, text] of Object.entries(entry.messages)) check(entry.file, `${entry.id}.messages.${variant}`, text);
    }
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): CatalogueEntry | undefined {
    return this.entries.get(id);
  }

  all(): CatalogueEntry[] {
    return [...this.entries.values()];
  }

  defaultSeverity(id: string): Severity {
    const first = this.entries.get(id)?.severities[0];
    return first === undefined || first === 'note' ? 'error' : first;
  }

  /**
   * The message for a finding: the entry's own variant, else the generic variant (which may use
   * `{titel}` for the requirement's title), else the entry's default message.
   */
  message(id: string, variant: string, params: MessageParams, lang: Lang, labels?: LabelLookup): string {
    const entry = this.entries.get(id);
    const title = entry?.title[lang] ?? id;
    const own = entry?.messages[variant];
    const template = own ?? this.generic.get(variant) ?? entry?.messages['default'] ?? this.generic.get('fallback');
    if (!template) return `${id}: ${variant}`;
    // Generic (schema-derived) messages name the requirement they serve via {eis|suffix}; the
    // product's own checks have no requirement to name.
    const eis = own || id.startsWith('ZT-') ? '' : title;
    return fillTemplate(template[lang], { titel: title, eis, ...params }, lang, labels);
  }

  fixTitle(key: string, params: MessageParams, lang: Lang, labels?: LabelLookup): string {
    const template = this.fixTitles.get(key);
    return template ? fillTemplate(template[lang], params, lang, labels) : key;
  }

  relatedText(key: string, params: MessageParams, lang: Lang): string {
    const template = this.relatedTexts.get(key);
    return template ? fillTemplate(template[lang], params, lang) : key;
  }

  label(key: string, lang: Lang, params: MessageParams = {}): string {
    const template = this.labelTexts.get(key);
    return template ? fillTemplate(template[lang], params, lang) : key;
  }

  hasGeneric(variant: string): boolean {
    return this.generic.has(variant);
  }
}
