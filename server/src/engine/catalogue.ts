import * as z from 'zod';
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

/** An amendment as the policy dates it: DD-MM-YYYY. */
const AmendmentDate = z.string().regex(/^(0[1-9]|[12][0-9]|3[01])-(0[1-9]|1[0-2])-\d{4}$/, 'datum als 01-09-2025 (DD-MM-JJJJ)');

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
    /** At least one edit here or, for a cross-document example, in `together_with.fail`. */
    fail: z.array(ExampleEdit).default([]),
    pass: z.array(ExampleEdit).default([]),
    /**
     * For cross-document checks: another submission checked together with this one (the same
     * folder or workspace), from its form's sample with its own edits for the failing and the
     * passing case. The finding is expected in this example's document.
     */
    together_with: z
      .object({
        form: z.string().min(1),
        sample: z.string().optional(),
        fail: z.array(ExampleEdit).default([]),
        pass: z.array(ExampleEdit).default([]),
      })
      .strict()
      .optional(),
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
  .strict()
  .refine((example) => example.fail.length > 0 || (example.together_with?.fail.length ?? 0) > 0, {
    message: 'een voorbeeld heeft wijzigingen nodig in fail (of in together_with.fail)',
    path: ['fail'],
  });
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
    /** Policy version this entry was taken from (default: the file's `policy_version`). */
    version: z.string().optional(),
    /**
     * The dated amendment of the policy this entry comes from ("01-09-2025", as the policy heads
     * it), when it was introduced or changed by one; absent for the policy's base text. Must be
     * one of the file's `amendments`.
     */
    amendment: AmendmentDate.optional(),
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
    /** Dated amendments (aanvullingen) the catalogue has been checked against, oldest first. */
    amendments: z.array(AmendmentDate).default([]),
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
  /** Built into zorgtoets, or from an organisation's extra folder (its own rules). */
  origin: 'builtin' | 'extra';
}

/** Where a requirement comes from: the policy document, its version and amendment. */
export interface Provenance {
  policy: string;
  policyTitle?: Localized;
  version?: string;
  amendment?: string;
  /** The newest amendment the catalogue file was checked against (for entries from the base text). */
  latestAmendment?: string;
}

export interface InsurerInfo {
  name: Localized;
  policy: string;
  policyTitle?: Localized;
  policyVersion?: string;
  amendments: string[];
}

export class Catalogue {
  private readonly entries = new Map<string, CatalogueEntry>();
  private readonly generic = new Map<string, Localized>();
  private readonly fixTitles = new Map<string, Localized>();
  private readonly relatedTexts = new Map<string, Localized>();
  private readonly labelTexts = new Map<string, Localized>();
  readonly insurers = new Map<string, InsurerInfo>();

  static load(files: DataFiles, dir = 'requirements'): Catalogue {
    const catalogue = new Catalogue();
    const names = files.list(dir).filter((name) => name.endsWith('.yaml'));
    if (names.length === 0) throw new DataFileError(dir, '', 'geen catalogusbestanden gevonden');
    for (const name of names) {
      const path = `${dir}/${name}`;
      catalogue.add(validateData(CatalogueFile, readYamlData(files, path), path), path, 'builtin');
    }
    catalogue.checkMessages();
    return catalogue;
  }

  /**
   * Adds an organisation's own catalogue files (`requirements/*.yaml` of an extra folder). Each
   * file is all or nothing: a broken file, or one that redefines a known ID, is skipped and
   * returned as a problem, so the built-in catalogue is never affected. `label` names the folder
   * in messages.
   */
  addExtra(files: DataFiles, label: string, dir = 'requirements'): DataFileError[] {
    const problems: DataFileError[] = [];
    for (const name of files.list(dir).filter((n) => n.endsWith('.yaml'))) {
      const path = `${dir}/${name}`;
      const shown = `${label}/${path}`;
      try {
        const file = validateData(CatalogueFile, readYamlData(files, path), shown);
        if (Object.keys(file.generic).length + Object.keys(file.fixes).length + Object.keys(file.related).length + Object.keys(file.labels).length > 0) {
          throw new DataFileError(shown, 'generic/fixes/related/labels', 'alleen de catalogus van zorgtoets zelf mag deze teksten bevatten');
        }
        const builtin = [...this.entries.values()].find((e) => e.origin === 'builtin' && e.insurer === file.insurer);
        if (builtin) throw new DataFileError(shown, 'insurer', `${file.insurer} is een verzekeraar van zorgtoets zelf; geef de eigen regels de naam van de organisatie`);
        const staged = new Catalogue();
        staged.add(file, shown, 'extra');
        staged.checkMessages();
        for (const entry of staged.entries.values()) {
          if (this.entries.has(entry.id)) throw new DataFileError(shown, `requirements (${entry.id}).id`, `${entry.id} bestaat al in ${this.entries.get(entry.id)?.file}; kies een eigen ID`);
        }
        for (const [id, entry] of staged.entries) this.entries.set(id, entry);
        for (const [insurer, info] of staged.insurers) if (!this.insurers.has(insurer)) this.insurers.set(insurer, info);
      } catch (error) {
        problems.push(error instanceof DataFileError ? error : new DataFileError(shown, '', error instanceof Error ? error.message : String(error)));
      }
    }
    return problems;
  }

  private add(file: CatalogueFile, path: string, origin: CatalogueEntry['origin']): void {
    this.insurers.set(file.insurer, {
      name: file.name,
      policy: file.policy,
      amendments: file.amendments,
      ...(file.policy_title ? { policyTitle: file.policy_title } : {}),
      ...(file.policy_version ? { policyVersion: file.policy_version } : {}),
    });
    file.requirements.forEach((requirement, index) => {
      if (this.entries.has(requirement.id)) {
        throw new DataFileError(path, `requirements[${index}].id`, `${requirement.id} staat al in ${this.entries.get(requirement.id)?.file}`);
      }
      if (requirement.amendment !== undefined && !file.amendments.includes(requirement.amendment)) {
        throw new DataFileError(path, `requirements[${index}] (${requirement.id}).amendment`, `aanvulling ${requirement.amendment} staat niet in amendments (${file.amendments.join(', ') || 'leeg'})`);
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
        origin,
      });
    });
    if (origin === 'extra') return;
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

  /** Where a requirement comes from; undefined for unknown IDs and the product's own checks. */
  provenance(id: string): Provenance | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.insurer === 'zorgtoets') return undefined;
    const insurer = this.insurers.get(entry.insurer);
    const latest = insurer?.amendments[insurer.amendments.length - 1];
    return {
      policy: insurer?.policy ?? entry.fullSource.split(' › ')[0] ?? '',
      ...(insurer?.policyTitle ? { policyTitle: insurer.policyTitle } : {}),
      ...(entry.version ? { version: entry.version } : {}),
      ...(entry.amendment ? { amendment: entry.amendment } : {}),
      ...(latest && !entry.amendment ? { latestAmendment: latest } : {}),
    };
  }

  /**
   * The policy version as a person reads it: "2026-2027, aanvulling 01-09-2025" for an entry from
   * an amendment, "2026-2027 (aanvullingen verwerkt t/m 01-04-2026)" for one from the base text.
   */
  provenanceText(id: string, lang: Lang): string | undefined {
    const p = this.provenance(id);
    if (!p || (!p.version && !p.amendment)) return undefined;
    const version = p.version ?? '';
    if (p.amendment) return `${version}${version ? ', ' : ''}${lang === 'nl' ? 'aanvulling' : 'amendment'} ${p.amendment}`;
    if (p.latestAmendment) return `${version} (${lang === 'nl' ? 'aanvullingen verwerkt t/m' : 'amendments included up to'} ${p.latestAmendment})`;
    return version;
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
