import { isMap, isScalar, parseDocument, LineCounter, type Document } from 'yaml';
import { Catalogue } from './catalogue.js';
import { ChunkedParser } from './chunked-parse.js';
import { crossFindings, type CrossDocument } from './cross-document.js';
import type { CrossEntryTable } from './cross-entry-table.js';
import type { CrossEntry } from './cross-rules.js';
import { DataFileError, type DataFiles } from './data-files.js';
import { applyDeviations, DEVIATIONS_KEY, type Deviation, type RawDeviation } from './deviations.js';
import { didYouMean } from './did-you-mean.js';
import { evaluateInProcess, problemsPerRule, type ExtraRuleEvaluator } from './extra-rules.js';
import { capFindings } from './finding-cap.js';
import { compareFindings } from './finding-order.js';
import { withDocumentLineEnds } from './line-endings.js';
import { insertSectionFix, removeItemFix, renameKeyFix, replaceValueFix } from './fixes.js';
import { FormsRegistry, type FormVersion } from './forms.js';
import { loadExportMapping, type ExportMapping } from './export/mapping.js';
import type { SchemaSource } from './export/schema-lookup.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import type { LabelLookup } from './message-format.js';
import { documentStartRange, keyRangeForPath, rangeForPath } from './node-ranges.js';
import { parseSubmission, type ParsedSubmission } from './parse.js';
import { formatPath, isRecord } from './paths.js';
import type { RawFinding, RawFix } from './raw-finding.js';
import { relabel, scopeOf } from './report-as.js';
import { quickParse } from './quick-parse.js';
import { RuleMemo } from './rule-memo.js';
import type { RuleContext, RuleFinding, RuleProblem, RuleSet } from './rules.js';
import { mapSchemaErrors, SchemaCompiler, type SchemaFinding } from './schema-check.js';
import { checkSeverityOverrides } from './severity-overrides.js';
import { TextIndex } from './text-index.js';
import type { DataPath, Finding, Lang, Range, Severity } from './types.js';
import { valueFixes } from './value-fixes.js';

export interface EngineOptions {
  files: DataFiles;
  limits?: Partial<Limits>;
  /**
   * An organisation's extra folders: `requirements/*.yaml` (its own catalogue entries) and
   * `<insurer>/<form-name>.rules.yaml` (rules appended to that form's rules). Broken extra data
   * never breaks the built-in checks: it is left out and reported (ZT-INTERNAL, variant "extra").
   */
  extraFiles?: DataFiles[];
  /**
   * Severity per ID for the organisation's own requirements. Built-in IDs (an insurer's minimum
   * requirements, zorgtoets's own checks) cannot be overridden: the constructor throws a
   * SeverityOverrideError.
   */
  severityOverrides?: Record<string, Severity>;
  /**
   * Runs the organisation's own rules with a bound on their cost (the Node adapters: a worker
   * thread with a time limit). Without one they run in-process, unbounded. See extra-rules.ts.
   */
  extraRuleEvaluator?: ExtraRuleEvaluator;
}

export interface CheckOptions {
  lang?: Lang;
  /** Today's date (YYYY-MM-DD), injected so the engine stays pure and tests are repeatable. */
  today: string;
  /** Reference date for deadlines when the file has no ingediend_op (default: today). */
  peildatum?: string;
  /**
   * The file was named explicitly (CLI argument, "check as zorgtoets" in the editor): a missing
   * `formulier:` is then a ZT-FORM finding instead of "not ours".
   */
  explicit?: boolean;
  /** Report rule evaluation problems (bugs in rule data) as ZT-INTERNAL findings; for tests. */
  strict?: boolean;
  /**
   * A stable name for the document (the editor's uri): successive versions then re-parse only
   * what changed. The tree of a result stays valid until the next check with the same key.
   */
  cacheKey?: string;
  /**
   * Most files are expected to be clean (a batch): try the data-only parse first (quick-parse.ts)
   * and parse fully only when something is found. The result is the same either way, but a clean
   * result may have no yaml tree (`parsed.doc`): not for fixes, exports or editor features.
   */
  quick?: boolean;
}

export interface CheckResult {
  /** False when the file has no `formulier:` and was not named explicitly: not a zorgtoets file. */
  ours: boolean;
  form?: string;
  year?: number;
  findings: Finding[];
  /** Raw findings before localization, for re-rendering in another language and for the report. */
  raw: RawFinding[];
  parsed: ParsedSubmission;
  problems: RuleProblem[];
  /** The submission's `afwijkingen:`, judged and matched with their findings (empty when none). */
  deviations: Deviation[];
  /** The same before localization (raw findings), for re-rendering in another language. */
  rawDeviations: RawDeviation[];
  /** The exception behind a ZT-INTERNAL finding, for the adapter's log. */
  internalError?: unknown;
  /**
   * What this document contributes to cross-document checks (see `crossCheck`); computed on
   * first call and kept, since most checks never take part in one.
   */
  crossEntries?: () => CrossEntry[];
}

/** A checked document taking part in cross-document checks. */
export interface CrossInput {
  uri: string;
  /** How other files' messages name it (a relative path). */
  name: string;
  form?: string;
  year?: number;
  /** What its cross rules collected (`CheckResult.crossEntries`), or those in a table kept between checks. */
  entries: readonly CrossEntry[] | CrossEntryTable;
  /** Where a data path of this document is, for findings and related locations. */
  rangeOf: (path: DataPath) => Range;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
}

interface Template {
  text: string;
  doc: Document.Parsed;
  index: TextIndex;
}

const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The engine: pure functions from a submission's text to findings, over the product's data. No
 * LSP, no VS Code, no file system (data arrives through `DataFiles`), no clock (today is passed).
 */
export class Engine {
  readonly catalogue: Catalogue;
  readonly forms: FormsRegistry;
  /** The form schemas, compiled once; editor features read them through `SchemaNavigator`. */
  readonly compiler: SchemaCompiler;
  private readonly limits: Limits;
  private readonly templates = new Map<string, Template>();
  private readonly chunkedParser = new ChunkedParser();
  /** Per document (cacheKey), what its rules remember between versions; as many as the parser keeps. */
  private readonly ruleMemos = new Map<string, RuleMemo>();
  private readonly exportMappings = new Map<string, ExportMapping>();
  private readonly extraCatalogueProblems: DataFileError[] = [];
  private readonly severityOverrides: ReadonlyMap<string, Severity>;

  constructor(private readonly options: EngineOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.catalogue = Catalogue.load(options.files);
    const extras = options.extraFiles ?? [];
    extras.forEach((extra, n) => this.extraCatalogueProblems.push(...this.catalogue.addExtra(extra, extra.label ?? `extra folder ${n + 1}`)));
    this.compiler = new SchemaCompiler(options.files);
    this.forms = new FormsRegistry(options.files, this.compiler, this.catalogue, extras);
    this.compiler.useLists((schemaPath) => this.forms.listsForSchema(schemaPath));
    this.severityOverrides = checkSeverityOverrides(this.catalogue, options.severityOverrides ?? {});
    extras.forEach((extra, n) => this.extraCatalogueProblems.push(...this.unusableExtraFiles(extra, extra.label ?? `extra folder ${n + 1}`)));
  }

  /**
   * What in an extra folder would silently do nothing: the folder itself missing, or a rules file
   * for a form zorgtoets does not know (a misspelt file name).
   */
  private unusableExtraFiles(files: DataFiles, label: string): DataFileError[] {
    if (!files.exists('')) return [new DataFileError(label, '', 'map bestaat niet')];
    const problems: DataFileError[] = [];
    for (const insurer of files.folders('')) {
      if (insurer === 'requirements') continue;
      for (const name of files.list(insurer).filter((n) => n.endsWith('.rules.yaml'))) {
        const form = `${insurer}/${name.slice(0, -'.rules.yaml'.length)}`;
        if (!this.forms.manifest(form)) {
          const suggestion = this.forms.suggestForm(form);
          problems.push(new DataFileError(`${label}/${insurer}/${name}`, '', `geen bekend formulier ${form}${suggestion ? `; bedoelt u ${suggestion}?` : ''}`));
        }
      }
    }
    return problems;
  }

  /** Every requirement a form version checks: its schema, rules (built-in and extra) and notes. */
  requirementIds(version: FormVersion): string[] {
    return this.forms.requirementIds(version);
  }

  /** The severity an ID is reported with by default, after the organisation's overrides. */
  defaultSeverity(id: string): Severity {
    return this.severityOverrides.get(id) ?? this.catalogue.defaultSeverity(id);
  }

  /** Problems with the organisation's extra data found so far (rules load on a form's first use). */
  extraProblems(): DataFileError[] {
    const problems = new Set(this.extraCatalogueProblems);
    for (const form of this.forms.formIds()) {
      for (const year of this.forms.years(form)) {
        const version = this.forms.version(form, year);
        if (version) for (const problem of this.forms.loadedExtraProblems(version)) problems.add(problem);
      }
    }
    return [...problems];
  }

  /**
   * What a document contributes to cross-document checks, without checking it: the language
   * server's scan of saved files nobody has open (it publishes nothing for them). The same entries
   * as `check(...).crossEntries()`: parsed and selected the same way, only the cross rules run.
   */
  crossEntriesOf(text: string, options: Pick<CheckOptions, 'today' | 'peildatum'>): { form?: string; year?: number; entries: CrossEntry[] } {
    try {
      // The data-only parse where it gives the same data (quick-parse.ts): the scan of a
      // workspace reads every submission in it, and a plan's params are made again from its text.
      const parsed = quickParse(text, this.limits) ?? parseSubmission(text, this.limits);
      const header = readHeader(parsed);
      const named = { ...(header.form !== undefined ? { form: header.form } : {}), ...(header.year !== undefined ? { year: header.year } : {}) };
      const version = header.refused || header.form === undefined || header.year === undefined ? undefined : this.forms.version(header.form, header.year);
      if (!version || parsed.unusable || (parsed.doc === undefined && !parsed.dataOnly) || !isRecord(parsed.data)) return { ...named, entries: [] };
      const rules = this.forms.rules(version);
      if (rules.cross.length === 0) return { ...named, entries: [] };
      const ingediend = parsed.data['ingediend_op'];
      const peildatum = typeof ingediend === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(ingediend) ? ingediend : (options.peildatum ?? options.today);
      const bron = typeof ingediend === 'string' && ingediend === peildatum ? 'ingediend_op' : 'peildatum';
      return { ...named, entries: rules.collectCross(parsed.data, { peildatum, peildatumBron: bron, vandaag: options.today, contractjaar: version.year }) };
    } catch {
      // A document that cannot be read takes no part; opened, its check says why.
      return { entries: [] };
    }
  }

  /** A checked document as a party to cross-document checks, ranges from its kept tree. */
  /** Ranges of data paths in a checked document, from its tree (valid until its next incremental check). */
  rangesOf(result: CheckResult): (path: DataPath) => Range {
    const { doc, index } = result.parsed;
    return (path) => rangeForPath(doc, index, path);
  }

  crossInput(uri: string, name: string, result: CheckResult): CrossInput {
    return {
      uri,
      name,
      ...(result.form ? { form: result.form } : {}),
      ...(result.year ? { year: result.year } : {}),
      entries: result.crossEntries?.() ?? [],
      rangeOf: (path) => rangeForPath(result.parsed.doc, result.parsed.index, path),
    };
  }

  /**
   * Ranges in a text, parsing it only when first asked: batch checks keep the entries and the text
   * of each file, not its yaml tree, and need a range only for the rare cross-document finding.
   */
  rangeResolver(text: string): (path: DataPath) => Range {
    let parsed: ParsedSubmission | undefined;
    return (path) => {
      parsed ??= parseSubmission(text, this.limits);
      return rangeForPath(parsed.doc, parsed.index, path);
    };
  }

  /** Frees what the engine holds outside itself (the worker of the organisation's rules), when it is replaced. */
  dispose(): void {
    this.options.extraRuleEvaluator?.dispose?.();
  }

  /** Drops what incremental parsing keeps for a document (closed in the editor). */
  forget(cacheKey: string): void {
    this.chunkedParser.forget(cacheKey);
    this.ruleMemos.delete(cacheKey);
  }

  /** The rule memo of a document, most recently used last; the oldest beyond two are dropped. */
  private ruleMemo(cacheKey: string): RuleMemo {
    const memo = this.ruleMemos.get(cacheKey) ?? new RuleMemo();
    this.ruleMemos.delete(cacheKey);
    this.ruleMemos.set(cacheKey, memo);
    while (this.ruleMemos.size > 2) {
      const oldest = this.ruleMemos.keys().next().value;
      if (oldest === undefined) break;
      this.ruleMemos.delete(oldest);
    }
    return memo;
  }

  /** Compiles every form's schema and rules now (startup checks, CI), instead of on first use. */
  loadAll(): void {
    for (const form of this.forms.formIds()) {
      for (const year of this.forms.years(form)) {
        const version = this.forms.version(form, year);
        if (!version) continue;
        this.compiler.compile(version.schemaPath);
        this.forms.rules(version);
        this.forms.schemaIds(version);
        this.template(version);
        this.exportMapping(version);
      }
    }
  }

  template(version: FormVersion): Template {
    let template = this.templates.get(version.templatePath);
    if (!template) {
      const text = this.options.files.read(version.templatePath);
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter });
      template = { text, doc, index: new TextIndex(text, lineCounter.lineStarts) };
      this.templates.set(version.templatePath, template);
    }
    return template;
  }

  /** The export mapping of a form version (compiled once), or undefined when the form has none. */
  exportMapping(version: FormVersion): ExportMapping | undefined {
    if (!version.exportPath) return undefined;
    let mapping = this.exportMappings.get(version.exportPath);
    if (!mapping) {
      mapping = loadExportMapping(this.options.files, version.exportPath, this.forms.rules(version).lists);
      this.exportMappings.set(version.exportPath, mapping);
    }
    return mapping;
  }

  /** The form version's JSON Schema and its $ref resolver, for exports that follow the schema's questions. */
  schemaSource(version: FormVersion): SchemaSource {
    return { root: this.compiler.schemaObject(version.schemaPath), resolveRef: (ref) => this.compiler.resolveRef(ref) };
  }

  /** A product finding about a file that could not be checked at all (unreadable bytes, I/O). */
  fileFinding(id: string, variant: string, params: RawFinding['params'], lang: Lang): Finding {
    return this.render([{ id, variant, params, path: [], range: ZERO_RANGE, origin: 'parse' }], lang)[0] as Finding;
  }

  /** Which form and year a text declares, without checking it. */
  identify(text: string): { form?: string; year?: number } {
    const parsed = parseSubmission(text, this.limits);
    return readHeader(parsed);
  }

  /**
   * Checks a submission. Never throws: an internal error (a bug, or broken form data met on first
   * use) becomes one ZT-INTERNAL finding with the detail, and `internalError` for the adapter's log.
   */
  check(text: string, options: CheckOptions): CheckResult {
    try {
      return this.checkUnguarded(text, options);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const raw: RawFinding[] = [{ id: 'ZT-INTERNAL', variant: 'default', params: { detail }, path: [], range: ZERO_RANGE, origin: 'parse' }];
      return {
        ours: true,
        raw,
        findings: this.render(raw, options.lang ?? 'nl'),
        parsed: { text, index: TextIndex.of(text), data: undefined, findings: [], unusable: true },
        problems: [],
        deviations: [],
        rawDeviations: [],
        internalError: error,
      };
    }
  }

  private checkUnguarded(text: string, options: CheckOptions): CheckResult {
    if (options.quick && options.cacheKey === undefined) {
      const dataOnly = quickParse(text, this.limits);
      const result = dataOnly ? this.checkParsed(text, dataOnly, options) : undefined;
      if (result && isClean(result)) return result;
    }
    return this.checkParsed(text, parseSubmission(text, this.limits, options.cacheKey !== undefined ? { parser: this.chunkedParser, key: options.cacheKey } : undefined), options);
  }

  private checkParsed(text: string, parsed: ParsedSubmission, options: CheckOptions): CheckResult {
    const lang = options.lang ?? 'nl';
    const problems: RuleProblem[] = [];
    let raw: RawFinding[] = [...parsed.findings];
    let rawDeviations: RawDeviation[] = [];
    const header = readHeader(parsed);
    /** More problems than can be shown were found: the engine stopped making findings early. */
    let overflow = parsed.overflow === true;
    const result = (ours: boolean, version?: FormVersion): CheckResult => {
      const capped = capFindings(raw, this.limits.maxFindings, overflow);
      return {
        ours,
        ...(header.form !== undefined ? { form: header.form } : {}),
        ...(header.year !== undefined ? { year: header.year } : {}),
        raw: capped,
        findings: withDocumentLineEnds(this.render(capped, lang, version), text),
        parsed,
        problems,
        deviations: this.renderDeviations(rawDeviations, lang, version),
        rawDeviations,
      };
    };

    if (header.refused) {
      // Too large to parse: only the ZT-LIMIT finding, and only for files that are ours.
      if (header.form === undefined && !options.explicit) return { ...result(false), raw: [], findings: [] };
      return result(true);
    }
    if (header.form === undefined) {
      if (!options.explicit) return { ...result(false), raw: [], findings: [] };
      raw.push({ id: 'ZT-FORM', variant: 'missing', params: { bekend: this.forms.formIds() }, path: ['formulier'], range: parsed.doc ? documentStartRange(parsed.doc, parsed.index) : ZERO_RANGE });
      return result(true);
    }
    const manifest = this.forms.manifest(header.form);
    if (!manifest) {
      const suggestion = this.forms.suggestForm(header.form);
      raw.push({
        id: 'ZT-FORM',
        variant: suggestion ? 'unknown-suggest' : 'unknown',
        params: { formulier: header.form, suggestie: suggestion, bekend: this.forms.formIds() },
        path: ['formulier'],
        range: rangeForPath(parsed.doc, parsed.index, ['formulier']),
        ...(suggestion ? { fixes: this.valueFix(parsed, ['formulier'], suggestion, 'did-you-mean') } : {}),
      });
      return result(true);
    }
    const years = this.forms.years(header.form);
    const version = header.year === undefined ? undefined : this.forms.version(header.form, header.year);
    if (!version) {
      const id = manifest.year_requirement;
      raw.push({
        id,
        variant: header.yearText === undefined ? 'missing' : 'unknown',
        // veld/pad as for schema findings, so a form's own year requirement can share their messages.
        params: { jaar: header.yearText ?? header.year, jaren: years.map(String), formulier: header.form, veld: 'contractjaar', pad: 'contractjaar' },
        path: ['contractjaar'],
        range: rangeForPath(parsed.doc, parsed.index, ['contractjaar']),
      });
      return result(true);
    }
    if (parsed.unusable || (parsed.doc === undefined && !parsed.dataOnly)) return result(true, version);
    if (!isRecord(parsed.data)) return result(true, version);

    const template = this.template(version);
    const ingediend = parsed.data['ingediend_op'];
    const peildatum = typeof ingediend === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(ingediend) ? ingediend : (options.peildatum ?? options.today);
    const bron = typeof ingediend === 'string' && ingediend === peildatum ? 'ingediend_op' : 'peildatum';
    const context: RuleContext = { peildatum, peildatumBron: bron, vandaag: options.today, contractjaar: version.year };
    const rules = this.forms.rules(version);

    const validate = this.compiler.compile(version.schemaPath);
    if (!validate(parsed.data)) {
      const requirements = this.compiler.requirementIndex(version.schemaPath);
      // Schema findings inside a block an include reports under another ID follow its rules there.
      const scopes = rules.reportAsScopes(parsed.data, context, problems);
      // A shape wrong everywhere (thousands of errors): only what can be shown is mapped, and the
      // rules, written for the right shape, wait until it is fixed. Bounds the cost of such a file.
      const errors = validate.errors ?? [];
      const mapped = errors.length > this.limits.maxFindings * 4 ? errors.slice(0, this.limits.maxFindings * 4) : errors;
      if (mapped !== errors) overflow = true;
      for (const finding of mapSchemaErrors(mapped, parsed.data, requirements)) {
        const made = this.fromSchema(finding, parsed, template);
        const scope = this.catalogue.get(made.id)?.insurer === 'zorgtoets' ? undefined : scopeOf(made.path, scopes);
        raw.push(scope ? relabel(made, scope.reportAs) : made);
      }
    }

    const memo = options.cacheKey !== undefined ? this.ruleMemo(options.cacheKey) : undefined;
    if (!overflow) {
      const extraFiles = this.forms.extraRuleFiles(version);
      for (const finding of rules.evaluate(parsed.data, context, problems, memo, (file) => !extraFiles.includes(file))) {
        raw.push(this.fromRule(finding, parsed, template));
      }
      for (const file of extraFiles) raw.push(...this.extraRuleFindings(rules, file, parsed, context, template));
    }
    const data = parsed.data;
    let entries: CrossEntry[] | undefined;
    const crossEntries = () => (entries ??= rules.collectCross(data, context, memo));

    if (options.strict) {
      for (const problem of problems) {
        raw.push({ id: 'ZT-INTERNAL', variant: 'rule', params: { regel: problem.id, bestand: problem.file, detail: problem.detail }, path: [], range: ZERO_RANGE });
      }
    }
    for (const problem of [...this.extraCatalogueProblems, ...this.forms.extraProblems(version)]) {
      raw.push({
        id: 'ZT-INTERNAL',
        variant: 'extra',
        params: { bestand: problem.file, detail: problem.field ? `${problem.field}: ${problem.problem}` : problem.problem },
        path: ['formulier'],
        range: rangeForPath(parsed.doc, parsed.index, ['formulier']),
        origin: 'parse',
      });
    }

    const deviationList = parsed.data[DEVIATIONS_KEY];
    // Deviations need the tree (the places they name); a data-only check is not clean with them.
    if (Array.isArray(deviationList) && deviationList.length > 0 && parsed.doc) {
      const outcome = applyDeviations({
        raw,
        data: parsed.data,
        doc: parsed.doc,
        index: parsed.index,
        catalogue: this.catalogue,
        formIds: new Set(this.forms.requirementIds(version)),
        form: header.form,
      });
      raw = outcome.raw;
      rawDeviations = outcome.deviations;
    }
    return { ...result(true, version), crossEntries };
  }

  /**
   * The findings of one of the organisation's rules files, evaluated apart and bounded. A file
   * that did not finish, and each of its rules that failed, is one ZT-INTERNAL finding naming the
   * file (and the rule): the organisation sees its rules did not run, the other checks did.
   */
  private extraRuleFindings(rules: RuleSet, file: string, parsed: ParsedSubmission, context: RuleContext, template: Template): RawFinding[] {
    const request = { paths: rules.paths, file, data: parsed.data, context };
    const outcome = this.options.extraRuleEvaluator?.evaluate(request) ?? evaluateInProcess(rules, request);
    const bestand = this.forms.describeFile(file);
    const at = { path: ['formulier'], range: rangeForPath(parsed.doc, parsed.index, ['formulier']), origin: 'parse' as const };
    if (!outcome.ok) return [{ id: 'ZT-INTERNAL', variant: 'extra', params: { bestand, detail: outcome.reason }, ...at }];
    return [
      ...outcome.findings.map((finding) => this.fromRule(finding, parsed, template)),
      ...problemsPerRule(outcome.problems).map((problem): RawFinding => ({ id: 'ZT-INTERNAL', variant: 'rule', params: { regel: problem.id, bestand, detail: problem.detail }, ...at })),
    ];
  }

  /**
   * Findings across documents checked together (a folder, a workspace): per uri, the extra
   * findings for that document, rendered in `lang`. Documents without cross entries take no part.
   * `wanted`: only these documents' findings are computed (all take part in the comparison).
   */
  crossCheck(inputs: readonly CrossInput[], lang: Lang, wanted?: ReadonlySet<string>): Map<string, Finding[]> {
    const documents: CrossDocument[] = inputs.filter((input) => input.entries.length > 0);
    const out = new Map<string, Finding[]>();
    if (documents.length < 2) return out;
    const byUri = new Map(inputs.map((input) => [input.uri, input]));
    for (const [uri, raw] of crossFindings(documents, wanted)) {
      const input = byUri.get(uri);
      const version = input?.form && input.year ? this.forms.version(input.form, input.year) : undefined;
      out.set(uri, this.render(raw, lang, version));
    }
    return out;
  }

  private valueFix(parsed: ParsedSubmission, path: (string | number)[], value: unknown, title: string): RawFix[] {
    if (!parsed.doc) return [];
    const fix = replaceValueFix(parsed.doc, parsed.index, path, value, title, { waarde: String(value) });
    return fix ? [fix] : [];
  }

  private fromSchema(finding: SchemaFinding, parsed: ParsedSubmission, template: Template): RawFinding {
    const doc = parsed.doc;
    if (!doc) return withoutTree(finding, 'schema');
    const range = finding.rangeAt === 'key' ? keyRangeForPath(doc, parsed.index, finding.path) : rangeForPath(doc, parsed.index, finding.path);
    const fixes: RawFix[] = [];
    const facts = finding.facts;
    if (facts?.keyword === 'required') {
      const fix = insertSectionFix(doc, parsed.index, template, finding.path, 'insert-section', { veld: facts.missingKey ?? '' });
      if (fix) fixes.push(fix);
    } else if (facts?.keyword === 'additionalProperties') {
      const key = String(finding.path[finding.path.length - 1]);
      const suggestion = didYouMean(key, facts.knownKeys ?? []);
      if (suggestion) {
        finding.params['suggestie'] = suggestion;
        finding.variant = 'suggest';
        const fix = renameKeyFix(doc, parsed.index, finding.path, suggestion, 'rename-key', { sleutel: key, suggestie: suggestion });
        if (fix) fixes.push(fix);
      }
    } else if (facts) {
      fixes.push(...valueFixes(facts, doc, parsed.index, finding));
    }
    return {
      id: finding.id,
      variant: finding.variant,
      params: finding.params,
      path: finding.path,
      range,
      origin: 'schema',
      ...(fixes.length > 0 ? { fixes } : {}),
    };
  }

  private fromRule(finding: RuleFinding, parsed: ParsedSubmission, template: Template): RawFinding {
    const doc = parsed.doc;
    if (!doc) return withoutTree(finding, 'rule');
    const fixes: RawFix[] = [];
    const spec = finding.fix;
    if (spec) {
      let fix: RawFix | undefined;
      if (spec.kind === 'remove-item') fix = removeItemFix(doc, parsed.index, spec.path, spec.title, spec.params);
      else if (spec.kind === 'insert-section') fix = insertSectionFix(doc, parsed.index, template, spec.path, spec.title, { ...spec.params, veld: String(spec.path[spec.path.length - 1] ?? '') });
      else fix = replaceValueFix(doc, parsed.index, spec.path, spec.value, spec.title, { ...spec.params, nieuw: stringValue(spec.value) });
      if (fix) fixes.push(fix);
    }
    return {
      id: finding.id,
      variant: finding.variant,
      params: finding.params,
      path: finding.path,
      range: rangeForPath(doc, parsed.index, finding.path),
      origin: 'rule',
      ...(finding.severity ? { severity: finding.severity } : {}),
      ...(finding.underlying ? { underlying: finding.underlying } : {}),
      ...(fixes.length > 0 ? { fixes } : {}),
      ...(finding.related.length > 0
        ? { related: finding.related.map((r) => ({ range: rangeForPath(doc, parsed.index, r.path), message: r.message, params: r.params })) }
        : {}),
    };
  }

  /** Label lookup over the closed lists of a form version, for `{x|label:list}` placeholders. */
  labels(version: FormVersion | undefined): LabelLookup | undefined {
    if (!version) return undefined;
    const lists = this.forms.rules(version).lists;
    return (list, value, lang) => lists.get(list)?.label(value, lang);
  }

  /** Localizes raw findings; drops notes (never findings) and sorts by position. */
  render(raw: readonly RawFinding[], lang: Lang, version?: FormVersion): Finding[] {
    const labels = this.labels(version);
    const findings: Finding[] = [];
    for (const finding of raw) {
      const entry = this.catalogue.get(finding.id);
      if (entry && entry.severities.includes('note')) continue;
      const underlying = finding.underlying;
      // A relabelled finding keeps the severity of the check that failed (a warning stays a warning).
      const severity: Severity = this.severityOverrides.get(finding.id) ?? finding.severity ?? this.catalogue.defaultSeverity(underlying?.id ?? finding.id);
      const params = underlying
        ? { ...finding.params, onderliggend: underlying.id, melding: this.catalogue.message(underlying.id, underlying.variant, underlying.params, lang, labels) }
        : finding.params;
      const message = this.catalogue.message(finding.id, finding.variant, params, lang, labels);
      const rendered: Finding = {
        id: finding.id,
        severity,
        message,
        path: finding.path,
        range: finding.range,
        source: entry?.fullSource ?? 'zorgtoets',
        ...(underlying ? { underlying: underlying.id } : {}),
      };
      if (finding.deviation) {
        // Shown, not silenced: information with the explanation first and the finding after it.
        rendered.severity = 'info';
        rendered.message = this.catalogue.label('deviation-justified', lang, { toelichting: finding.deviation.toelichting, melding: message });
        rendered.deviation = { ...finding.deviation, originalSeverity: severity };
      }
      if (finding.fixes && finding.fixes.length > 0) {
        rendered.fixes = finding.fixes.map((fix) => ({
          title: this.catalogue.fixTitle(fix.title, fix.params, lang, labels),
          kind: fix.kind,
          edits: fix.edits,
          ...(fix.preferred ? { preferred: true } : {}),
        }));
      }
      if (finding.related && finding.related.length > 0) {
        rendered.related = finding.related.map((r) => ({
          ...(r.uri ? { uri: r.uri } : {}),
          range: r.range,
          message: this.catalogue.relatedText(r.message, r.params, lang),
        }));
      }
      findings.push(rendered);
    }
    findings.sort(compareFindings);
    return findings;
  }

  /** Localizes judged deviations: the requirement's words, and the findings each one names. */
  renderDeviations(raw: readonly RawDeviation[], lang: Lang, version?: FormVersion): Deviation[] {
    return raw.map((deviation) => {
      const entry = deviation.requirement ? this.catalogue.get(deviation.requirement) : undefined;
      const policyVersion = entry ? this.catalogue.provenanceText(entry.id, lang) : undefined;
      return {
        index: deviation.index,
        id: deviation.id,
        ...(entry ? { requirement: { id: entry.id, title: entry.title[lang], source: entry.fullSource, ...(policyVersion ? { policyVersion } : {}) } } : {}),
        ...(deviation.pad !== undefined ? { pad: deviation.pad } : {}),
        ...(deviation.toelichting !== undefined ? { toelichting: deviation.toelichting } : {}),
        status: deviation.status,
        statusText: this.catalogue.label(`deviation-status-${deviation.status}`, lang),
        range: deviation.range,
        findings: this.render(deviation.findings, lang, version),
        problems: this.render(deviation.problems, lang, version),
      };
    });
  }

  summarize(findings: readonly Finding[]): Summary {
    const summary: Summary = { errors: 0, warnings: 0, infos: 0 };
    for (const finding of findings) {
      if (finding.severity === 'error') summary.errors++;
      else if (finding.severity === 'warning') summary.warnings++;
      else summary.infos++;
    }
    return summary;
  }

  /** "3 fouten, 1 waarschuwing — VGZ RHO 2026" */
  summaryText(summary: Summary, lang: Lang, form?: string, year?: number): string {
    const parts: string[] = [];
    const count = (n: number, one: string, many: string) => this.catalogue.label(n === 1 ? one : many, lang, { n });
    if (summary.errors === 0 && summary.warnings === 0) parts.push(this.catalogue.label('summary-ok', lang));
    else {
      parts.push(count(summary.errors, 'error-one', 'error-many'));
      if (summary.warnings > 0) parts.push(count(summary.warnings, 'warning-one', 'warning-many'));
    }
    const short = form ? this.forms.manifest(form)?.short[lang] : undefined;
    return short ? `${parts.join(', ')} — ${short}${year ? ` ${year}` : ''}` : parts.join(', ');
  }

  /** The path of a finding as a person reads it. */
  static formatPath = formatPath;
}

interface Header {
  form?: string;
  year?: number;
  yearText?: string;
  /** The text was refused before it could be read (too large): the ZT-LIMIT finding stands alone. */
  refused?: boolean;
}

/** `formulier` and `contractjaar`, read from the tree so a file with syntax errors elsewhere still identifies. */
function readHeader(parsed: ParsedSubmission): Header {
  if (parsed.dataOnly) return headerOfData(parsed.data);
  if (!parsed.doc) {
    // Refused unparsed (too large): the head of the text still tells whether the file is ours.
    const form = /^formulier:[ \t]*["']?([a-z]+\/[a-z0-9-]+)/m.exec(parsed.text.slice(0, 65536))?.[1];
    return { refused: true, ...(form ? { form } : {}) };
  }
  const contents = parsed.doc.contents;
  if (!isMap(contents)) return {};
  const header: Header = {};
  for (const pair of contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const value = pair.value;
    if (key === 'formulier' && isScalar(value) && value.value !== null) header.form = String(value.value).trim();
    if (key === 'contractjaar' && isScalar(value) && value.value !== null) {
      header.yearText = String(value.value);
      const year = Number(value.value);
      if (Number.isInteger(year)) header.year = year;
    }
  }
  return header;
}

/** As readHeader from the tree: the top-level scalars `formulier` and `contractjaar`. */
function headerOfData(data: unknown): Header {
  if (!isRecord(data)) return {};
  const header: Header = {};
  const scalar = (value: unknown) => value !== null && value !== undefined && typeof value !== 'object';
  const form = data['formulier'];
  if (scalar(form)) header.form = String(form).trim();
  const year = data['contractjaar'];
  if (scalar(year)) {
    header.yearText = String(year);
    const number = Number(year);
    if (Number.isInteger(number)) header.year = number;
  }
  return header;
}

/**
 * A finding of a data-only check (no yaml tree): it only tells the check is not clean, and the
 * full check that follows makes the finding users see, with its range and fixes.
 */
function withoutTree(finding: Pick<RawFinding, 'id' | 'variant' | 'params' | 'path'>, origin: 'schema' | 'rule'): RawFinding {
  return { id: finding.id, variant: finding.variant, params: finding.params, path: finding.path, range: ZERO_RANGE, origin };
}

/** A data-only check stands only when it found nothing and the submission declares no deviations. */
function isClean(result: CheckResult): boolean {
  if (result.raw.length > 0 || result.problems.length > 0) return false;
  const data = result.parsed.data;
  return !isRecord(data) || !Array.isArray(data[DEVIATIONS_KEY]) || (data[DEVIATIONS_KEY] as unknown[]).length === 0;
}

function stringValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
