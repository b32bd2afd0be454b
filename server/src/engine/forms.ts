import * as z from 'zod';
import type { Catalogue } from './catalogue.js';
import { DataFileError, readYamlData, validateData, type DataFiles } from './data-files.js';
import { didYouMean } from './did-you-mean.js';
import { LayeredDataFiles } from './layered-data-files.js';
import { isRecord } from './paths.js';
import { RuleSet } from './rules.js';
import type { SchemaCompiler } from './schema-check.js';

/**
 * The forms registry, from data: every `schemas/<insurer>/*.form.yaml` manifest names a form
 * (`vgz/rho-regioplan`), the contract years its policy covers, and per year the schema, rules and
 * template. Adding a form or a year is adding data. Schemas and rules compile on first use.
 */

const Localized = z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict();

const FormYearSchema = z
  .object({
    schema: z.string().min(1),
    rules: z.array(z.string().min(1)).default([]),
    template: z.string().min(1),
    export: z.string().optional(),
  })
  .strict();

const FormManifestSchema = z
  .object({
    form: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/, 'formuliernaam als vgz/rho-regioplan'),
    title: Localized,
    /** Short name for summaries: "VGZ RHO". */
    short: Localized,
    description: Localized.optional(),
    /** Schemas other schemas of this insurer `$ref` (shared conditions), relative to the insurer folder. */
    shared_schemas: z.array(z.string()).default([]),
    years: z.record(z.string().regex(/^\d{4}$/), FormYearSchema),
    /** The ID reported for a contract year outside `years` (default ZT-YEAR). */
    year_requirement: z.string().default('ZT-YEAR'),
    /** Catalogue entries of severity "note" shown for this form (hover on `formulier:`, explain, report). */
    notes: z.array(z.string()).default([]),
    /** Sample folder, relative to `samples/` (default: the form name). */
    samples: z.string().optional(),
  })
  .strict();

export type FormManifest = z.infer<typeof FormManifestSchema>;
export type FormYear = z.infer<typeof FormYearSchema>;

export interface FormVersion {
  manifest: FormManifest;
  year: number;
  folder: string;
  schemaPath: string;
  rulePaths: string[];
  templatePath: string;
  exportPath?: string;
}

export class FormsRegistry {
  private readonly manifests = new Map<string, { manifest: FormManifest; folder: string; file: string }>();
  private readonly ruleSets = new Map<string, RuleSet>();
  /** Per rule set key: the extra rule files that could not be added (the built-in rules still run). */
  private readonly extraRuleProblems = new Map<string, DataFileError[]>();
  /** Per rule set key: the extra rule files that were added. */
  private readonly extraRulePaths = new Map<string, string[]>();
  private readonly layered: LayeredDataFiles;

  /**
   * `extras`: an organisation's extra folders. A file `<insurer>/<form-name>.rules.yaml` in one is
   * appended to that form's rules (every year); its rules may report only the organisation's own
   * IDs (from its `requirements/*.yaml`), never an insurer's.
   */
  constructor(
    private readonly files: DataFiles,
    private readonly compiler: SchemaCompiler,
    private readonly catalogue: Catalogue,
    private readonly extras: readonly DataFiles[] = [],
  ) {
    this.layered = new LayeredDataFiles(files, extras);
    for (const folder of files.folders('')) {
      if (folder === 'requirements') continue;
      for (const name of files.list(folder).filter((n) => n.endsWith('.form.yaml'))) {
        const file = `${folder}/${name}`;
        const manifest = validateData(FormManifestSchema, readYamlData(files, file), file);
        if (this.manifests.has(manifest.form)) throw new DataFileError(file, 'form', `${manifest.form} is al gedefinieerd in ${this.manifests.get(manifest.form)?.file}`);
        for (const [field, id] of [['year_requirement', manifest.year_requirement], ...manifest.notes.map((n, i) => [`notes[${i}]`, n])] as [string, string][]) {
          if (!catalogue.has(id)) throw new DataFileError(file, field, `onbekend ID ${id} (niet in de catalogus)`);
        }
        for (const [year, spec] of Object.entries(manifest.years)) {
          for (const path of [spec.schema, spec.template, ...spec.rules, ...(spec.export ? [spec.export] : [])]) {
            if (!files.exists(`${folder}/${path}`)) throw new DataFileError(file, `years.${year}`, `bestand ${folder}/${path} bestaat niet`);
          }
        }
        this.manifests.set(manifest.form, { manifest, folder, file });
      }
    }
    if (this.manifests.size === 0) throw new DataFileError('.', '', 'geen formulieren (*.form.yaml) gevonden');
    for (const { manifest, folder } of this.manifests.values()) {
      for (const shared of manifest.shared_schemas) compiler.addShared(`${folder}/${shared}`);
    }
  }

  formIds(): string[] {
    return [...this.manifests.keys()].sort();
  }

  manifest(form: string): FormManifest | undefined {
    return this.manifests.get(form)?.manifest;
  }

  suggestForm(input: string): string | undefined {
    return didYouMean(input, this.formIds());
  }

  years(form: string): number[] {
    const entry = this.manifests.get(form);
    return entry ? Object.keys(entry.manifest.years).map(Number).sort() : [];
  }

  version(form: string, year: number): FormVersion | undefined {
    const entry = this.manifests.get(form);
    const spec = entry?.manifest.years[String(year)];
    if (!entry || !spec) return undefined;
    return {
      manifest: entry.manifest,
      year,
      folder: entry.folder,
      schemaPath: `${entry.folder}/${spec.schema}`,
      rulePaths: spec.rules.map((r) => `${entry.folder}/${r}`),
      templatePath: `${entry.folder}/${spec.template}`,
      ...(spec.export ? { exportPath: `${entry.folder}/${spec.export}` } : {}),
    };
  }

  /** The newest year of a form: what `new` writes a template for. */
  latest(form: string): FormVersion | undefined {
    const years = this.years(form);
    const last = years[years.length - 1];
    return last === undefined ? undefined : this.version(form, last);
  }

  rules(version: FormVersion): RuleSet {
    const key = version.rulePaths.join('|');
    let set = this.ruleSets.get(key);
    if (!set) {
      set = RuleSet.load(this.files, version.rulePaths);
      for (const id of set.ids()) {
        if (!this.catalogue.has(id)) throw new DataFileError(version.rulePaths.join(', '), 'rules', `regel noemt onbekend ID ${id}`);
      }
      set = this.withExtraRules(version, set, key);
      this.ruleSets.set(key, set);
    }
    return set;
  }

  /**
   * The closed lists of the first form version whose schema is `schemaPath`: what the schema's
   * `x-canon` conditions resolve names against (the same lists its rules' canon() uses).
   */
  listsForSchema(schemaPath: string): RuleSet['lists'] {
    for (const form of this.formIds()) {
      for (const year of this.years(form)) {
        const version = this.version(form, year);
        if (version?.schemaPath === schemaPath) return this.rules(version).lists;
      }
    }
    return new Map();
  }

  /** Like `extraProblems`, without loading the rules (for a summary of what has been used). */
  loadedExtraProblems(version: FormVersion): DataFileError[] {
    return this.extraRuleProblems.get(version.rulePaths.join('|')) ?? [];
  }

  /** Problems with an organisation's extra rule files for this form version (empty when none). */
  extraProblems(version: FormVersion): DataFileError[] {
    this.rules(version);
    return this.extraRuleProblems.get(version.rulePaths.join('|')) ?? [];
  }

  /**
   * The built-in rules plus each extra folder's rules for the form, added one folder at a time: a
   * folder whose rules do not load (or report an ID that is not the organisation's own) is left
   * out and recorded, so broken extra data never breaks the built-in checks.
   */
  private withExtraRules(version: FormVersion, builtin: RuleSet, key: string): RuleSet {
    const name = `${version.manifest.form}.rules.yaml`;
    let accepted: string[] = [];
    let set = builtin;
    const problems: DataFileError[] = [];
    this.extras.forEach((extra, n) => {
      if (!extra.exists(name)) return;
      const path = `${LayeredDataFiles.prefix(n)}${name}`;
      const shown = this.layered.describe(path);
      try {
        refuseUnboundedParts(this.layered, path, shown);
        const candidate = RuleSet.load(this.layered, [...version.rulePaths, ...accepted, path]);
        for (const id of candidate.idsIn(path)) {
          const entry = this.catalogue.get(id);
          if (!entry) throw new DataFileError(shown, 'rules', `regel noemt onbekend ID ${id} (zet het in requirements/*.yaml van dezelfde map)`);
          if (entry.origin !== 'extra') throw new DataFileError(shown, 'rules', `regel meldt ${id}, een eis van ${entry.insurer}; eigen regels melden alleen eigen IDs`);
        }
        accepted = [...accepted, path];
        set = candidate;
      } catch (error) {
        if (error instanceof DataFileError) problems.push(new DataFileError(error.file.startsWith('@extra') ? this.layered.describe(error.file) : error.file, error.field, error.problem));
        else problems.push(new DataFileError(shown, '', error instanceof Error ? error.message : String(error)));
      }
    });
    if (problems.length > 0) this.extraRuleProblems.set(key, problems);
    if (accepted.length > 0) this.extraRulePaths.set(key, accepted);
    return set;
  }

  /** The organisation's rule files in a version's rule set (paths as the set knows them). */
  extraRuleFiles(version: FormVersion): readonly string[] {
    this.rules(version);
    return this.extraRulePaths.get(version.rulePaths.join('|')) ?? [];
  }

  /** A data path as a person finds it on disk (an extra folder's path instead of `@extra0/`). */
  describeFile(path: string): string {
    return this.layered.describe(path);
  }

  /** Every requirement ID the schema of a version names (x-requirement), following $refs. */
  schemaIds(version: FormVersion): Set<string> {
    const ids = new Set<string>();
    const visited = new Set<unknown>();
    const walk = (node: unknown): void => {
      if (visited.has(node)) return;
      visited.add(node);
      if (Array.isArray(node)) return node.forEach(walk);
      if (!isRecord(node)) return;
      if (typeof node['x-requirement'] === 'string') ids.add(node['x-requirement']);
      if (typeof node['$ref'] === 'string' && !node['$ref'].startsWith('#')) walk(this.compiler.resolveRef(node['$ref']));
      for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const') walk(value);
    };
    walk(this.compiler.schemaObject(version.schemaPath));
    for (const id of ids) {
      if (!this.catalogue.has(id)) throw new DataFileError(version.schemaPath, 'x-requirement', `onbekend ID ${id} (niet in de catalogus)`);
    }
    return ids;
  }

  /** All requirement IDs that apply to a form version: schema, rules and notes. */
  requirementIds(version: FormVersion): string[] {
    const ids = new Set([...this.schemaIds(version), ...this.rules(version).ids(), ...version.manifest.notes]);
    if (version.manifest.year_requirement !== 'ZT-YEAR') ids.add(version.manifest.year_requirement);
    return [...ids];
  }
}

/**
 * An organisation's rules file holds `rules:` (and `lists:`) only. Includes could pull in other
 * files (and report under other IDs); cross-document rules run over every open file at once. Both
 * are for the product's own data, whose cost is known; an organisation's rules run apart, bounded
 * (extra-rules.ts), one file at a time.
 */
function refuseUnboundedParts(files: DataFiles, path: string, shown: string): void {
  const data = readYamlData(files, path);
  if (!isRecord(data)) return;
  for (const part of ['include', 'cross', 'publish']) {
    const value = data[part];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      throw new DataFileError(shown, part, `eigen regels kunnen geen ${part} gebruiken (alleen rules en lists)`);
    }
  }
}
