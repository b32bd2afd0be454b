import type { Environment } from '@marcbachmann/cel-js';
import * as z from 'zod';
import { comprehensionSites, freeReferences, rewriteSites, sameTree, type ComprehensionSite } from './cel-analysis.js';
import { createFormEnvironment } from './cel-env.js';
import { ClosedList, ClosedListSchema } from './closed-lists.js';
import { CrossRuleSchema, CrossRuleSet, PublishSchema, type CrossEntry } from './cross-rules.js';
import { DataFileError, readYamlData, validateData, type DataFiles } from './data-files.js';
import { expandPattern, formatPath, isRecord, parsePathPattern, valueAt, type Expansion, type PathSegment } from './paths.js';
import type { MessageParams, MessageValue } from './raw-finding.js';
import { relabel, type ReportAs, type ReportAsScope, type Underlying } from './report-as.js';
import type { ItemReads, RuleMemo } from './rule-memo.js';
import type { DataPath, FixKind, Severity } from './types.js';

/**
 * Policy rules in CEL, as data next to the schema (`<form>.rules.yaml`), for what JSON Schema
 * cannot say. A rule, in the manner of Kubernetes' x-kubernetes-validations:
 *
 *   - id: VGZ-RHO-07                 catalogue ID
 *     for: zorgketens[*]             optional: evaluate once per matching item (bound as `item`);
 *                                    a list of patterns evaluates over the items of each in turn
 *     let: {n: size(self.x)}         optional: values computed once per document, in order
 *     with: {m: item.a + item.b}     optional: values computed per item (after `for` binds it), in
 *                                    order, before `when`; for what when, assert and params share
 *     when: has(item.keten)          optional precondition
 *     assert: has(item.kaderarts)    must hold; false produces a finding
 *     at: kaderarts                  where to point (relative to the item; "/a.b" is absolute;
 *                                    a list means "the first that exists")
 *     message: missing               catalogue message variant (default "default"), or a CEL
 *                                    expression yielding one (anything but a bare variant name)
 *     severity: warning              literal, or a CEL expression yielding one
 *     params: {keten: item.keten}    CEL expressions for the message's placeholders
 *     fix: {kind: replace-value, value: '"x"', title: replace-addendum}
 *
 * Variables: `self` (the submission), `item`, `item0`…(outer items of nested wildcards), `index`
 * (the item's list index, else 0), `key` (the item's key when `for` ends in a key, else ""),
 * `peildatum` (ingediend_op, else the chosen reference date), `peildatum_bron`
 * ("ingediend_op" | "peildatum"), `vandaag`, `contractjaar` (the contract year the registry chose
 * the rules for, an int, also when the file wrote it as text), `root` (the whole submission, also
 * inside an included file). An expression that fails on missing data does not apply; the schema
 * reports what is missing.
 *
 * A rules file can include another, written for a block that several forms share, and apply it
 * at every place the block occurs:
 *
 *   include:
 *     - file: asr.kraamzorgvoorwaarden.rules.yaml      relative to this file
 *       for: kraamzorgaanbieders[*].kraamzorgvoorwaarden
 *                                   optional: where the block is (default: the whole submission);
 *                                   the included rules see it as `self`, their paths are relative
 *                                   to it, and their findings are placed under it
 *       when: "self.contracttype in ['basis', 'plus']"   optional: a gate, on this file's `self`
 *       report_as:                  optional: report the block's findings (rules and schema) under
 *         id: ASR-IGO-12            this ID instead, keeping the underlying ID in the finding
 *         message: aanbieder        message variant of that ID; it gets {onderliggend} (the
 *         params: {aanbieder: item0.naam}   underlying ID) and {melding} (its message) as well;
 *                                   CEL over `item` (the block), `item0`… (the items bound by
 *                                   `for`) and `self`
 *         ids: [ASR-KZ-01]          optional: relabel only these IDs (default: every requirement)
 *
 * Lists of an included file join the form's lists.
 */

const Cel = z.string().min(1);
const AtSpec = z.union([z.string(), z.array(z.string()).min(1)]);

const RuleFixSchema = z
  .object({
    kind: z.enum(['replace-value', 'remove-item', 'insert-section']),
    at: AtSpec.optional(),
    /** New value (CEL) for replace-value. */
    value: Cel.optional(),
    /** Offer the fix only when this holds (e.g. a suggestion exists). */
    when: Cel.optional(),
    title: z.string().min(1),
  })
  .strict();

const RuleSchema = z
  .object({
    id: z.string().min(1),
    description: z.string().optional(),
    for: AtSpec.optional(),
    let: z.record(z.string(), Cel).default({}),
    with: z.record(z.string(), Cel).default({}),
    when: Cel.optional(),
    assert: Cel,
    at: AtSpec.optional(),
    message: z.string().default('default'),
    severity: z.string().optional(),
    params: z.record(z.string(), Cel).default({}),
    fix: RuleFixSchema.optional(),
    related: z.array(z.object({ at: z.string(), message: z.string() }).strict()).default([]),
  })
  .strict();

const ReportAsSchema = z
  .object({
    id: z.string().min(1),
    message: z.string().default('default'),
    params: z.record(z.string(), Cel).default({}),
    ids: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const IncludeSchema = z
  .object({
    file: z.string().min(1),
    for: z.string().optional(),
    when: Cel.optional(),
    report_as: ReportAsSchema.optional(),
  })
  .strict();

const RulesFileSchema = z
  .object({
    include: z.array(IncludeSchema).default([]),
    lists: z.record(z.string(), ClosedListSchema).default({}),
    rules: z.array(RuleSchema).default([]),
    /** Rules across documents; see cross-rules.ts. */
    cross: z.array(CrossRuleSchema).default([]),
    publish: z.array(PublishSchema).default([]),
  })
  .strict();

type RuleSpec = z.infer<typeof RuleSchema>;
type IncludeSpec = z.infer<typeof IncludeSchema>;
type RulesFile = z.infer<typeof RulesFileSchema>;
type Program = (context: Record<string, unknown>) => unknown;

/** One level of inclusion: where the included rules apply and under which ID they report. */
interface CompiledMount {
  pattern: PathSegment[];
  when?: Program;
  reportAs?: { id: string; variant: string; params: [string, Program][]; ids?: ReadonlySet<string> };
}

/** An included block's place in one submission: its data, its path, and the ID it reports under. */
interface Scope {
  data: unknown;
  path: DataPath;
  reportAs?: ReportAs;
}

interface CompiledRule {
  spec: RuleSpec;
  file: string;
  /** Outermost first; empty for a rule of a file the manifest lists itself. */
  mounts: CompiledMount[];
  forPatterns?: PathSegment[][];
  lets: [string, Program][];
  withs: [string, Program][];
  when?: Program;
  assert: Program;
  /** The message variant: a literal name, or a program choosing one per finding. */
  message: string | Program;
  at: { absolute: boolean; segments: PathSegment[] }[];
  severity?: Severity | Program;
  params: [string, Program][];
  fix?: { kind: FixKind; at: { absolute: boolean; segments: PathSegment[] }[]; value?: Program; when?: Program; title: string };
  related: { at: { absolute: boolean; segments: PathSegment[] }; message: string }[];
  /** For a per-item rule whose verdicts can be remembered between versions (rule-memo.ts). */
  itemReads?: ItemReads;
  /**
   * How its items group for that: the pattern up to its first wildcard (one group per element
   * there), the rest within a group, and whether the group's own list index is the item's `index`.
   */
  itemGroups?: { prefix: PathSegment[]; suffix: PathSegment[]; compareIndex: boolean };
}

/** A comprehension memoised per element (cel-analysis.ts): its body as a program of its own. */
interface MemoSite {
  kind: 'map' | 'filter';
  variable: string;
  body: Program;
}

export interface RuleFix {
  kind: FixKind;
  path: DataPath;
  /** New value for replace-value. */
  value?: unknown;
  title: string;
  params: MessageParams;
}

export interface RuleFinding {
  id: string;
  variant: string;
  params: MessageParams;
  path: DataPath;
  severity?: Severity;
  fix?: RuleFix;
  related: { path: DataPath; message: string; params: MessageParams }[];
  /** Set when an include reports this finding under another ID (`report_as`). */
  underlying?: Underlying;
}

export interface RuleContext {
  peildatum: string;
  peildatumBron: 'ingediend_op' | 'peildatum';
  vandaag: string;
  /** The contract year whose rules run (from the form registry). */
  contractjaar?: number;
}

/** Problems in evaluating rules that are not about missing data: bugs in a rule, shown in strict mode. */
export interface RuleProblem {
  id: string;
  file: string;
  detail: string;
}

const SEVERITIES = new Set<string>(['error', 'warning', 'info']);

/** The variables `variables()` provides (besides `item`…, set per item). */
const CONTEXT_VARIABLES = new Set(['self', 'root', 'peildatum', 'peildatum_bron', 'vandaag', 'contractjaar']);

/** The variables every rule expression sees (see the file comment). */
function variables(data: unknown, context: RuleContext): Record<string, unknown> {
  return {
    self: data,
    root: data,
    peildatum: context.peildatum,
    peildatum_bron: context.peildatumBron,
    vandaag: context.vandaag,
    contractjaar: context.contractjaar === undefined ? null : BigInt(context.contractjaar),
  };
}

/** A catalogue variant name as written in a rule (`default`, `dubbele-praktijk`); anything else is CEL. */
const VARIANT_NAME = /^[A-Za-z0-9_:-]+$/;

export function isMissingData(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // Absent keys and empty values (`key:` is null) mean "not filled in yet": the schema reports those.
  // A function given such a null (`year(null)`) fails the same way, and so does a list written as
  // something else (a macro ranging over a string): the schema reports the wrong type.
  return /No such key|Cannot read|Index out of range|index out of bounds|dyn<null>|null_type|overload for '[^']*\bnull\b|cannot be range of a comprehension/i.test(message);
}

/** CEL values → message values: BigInt counts become numbers, Maps become records. */
function toMessageValue(value: unknown): MessageValue {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toMessageValue);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toMessageValue(v)]));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toMessageValue(v)]));
  return String(value);
}

/** CEL values → YAML data for fixes. */
function toData(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toData);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toData(v)]));
  return value;
}

export class RuleSet {
  readonly lists = new Map<string, ClosedList>();
  readonly cross: CrossRuleSet[] = [];
  private readonly rules: CompiledRule[] = [];
  /** Every distinct mount chain, for the report_as scopes the engine applies to schema findings. */
  private readonly mountChains: CompiledMount[][] = [];
  private env: Environment | undefined;
  /** Comprehensions rewritten to `zt_map`/`zt_filter`, by site id. */
  private readonly sites: MemoSite[] = [];
  /** Syntax trees of the compiled programs, for what a rule reads. */
  private readonly trees = new WeakMap<Program, unknown>();
  /** The memo of the editor's document being evaluated: memoised comprehensions keep their values there. */
  private activeMemo: RuleMemo | undefined;
  /** Set by a memoised comprehension it could not compute exactly: the original expression runs instead. */
  private memoFailed = false;

  /** @param paths the rule files the set was loaded from, in order (to load it again elsewhere). */
  private constructor(readonly paths: readonly string[] = []) {}

  /**
   * Loads rule files into one set. `baseLists` are closed lists the rules may use without defining
   * them (an organisation's extra rules use the form's own lists).
   */
  static load(files: DataFiles, paths: readonly string[], baseLists?: ReadonlyMap<string, ClosedList>): RuleSet {
    const set = new RuleSet(paths);
    for (const [name, list] of baseLists ?? []) set.lists.set(name, list);
    const parsed = new Map<string, RulesFile>();
    const occurrences: { path: string; includes: { spec: IncludeSpec; from: string; field: string }[] }[] = [];
    const visit = (path: string, includes: { spec: IncludeSpec; from: string; field: string }[], chain: string[]): void => {
      if (chain.includes(path)) throw new DataFileError(chain[chain.length - 1] ?? path, 'include', `kringverwijzing: ${[...chain, path].join(' → ')}`);
      let file = parsed.get(path);
      if (!file) {
        file = validateData(RulesFileSchema, readYamlData(files, path), path);
        parsed.set(path, file);
      }
      occurrences.push({ path, includes });
      file.include.forEach((spec, index) => {
        const target = joinDataPath(path, spec.file);
        if (!files.exists(target)) throw new DataFileError(path, `include[${index}].file`, `bestand ${target} bestaat niet`);
        visit(target, [...includes, { spec, from: path, field: `include[${index}]` }], [...chain, path]);
      });
    };
    for (const path of paths) visit(path, [], []);

    for (const [path, file] of parsed) {
      for (const [name, raw] of Object.entries(file.lists)) {
        if (set.lists.has(name)) throw new DataFileError(path, `lists.${name}`, 'deze lijst is al gedefinieerd in een ander regelbestand');
        set.lists.set(name, new ClosedList(name, raw));
      }
    }
    set.env = createFormEnvironment(set.lists);
    set.registerMemoFunctions(set.env);
    for (const { path, includes } of occurrences) {
      const mounts = includes.map(({ spec, from, field }) => set.compileMount(spec, from, field));
      if (mounts.filter((m) => m.reportAs).length > 1) {
        throw new DataFileError(includes[includes.length - 1]?.from ?? path, 'include', 'report_as op meer dan één niveau van geneste includes wordt niet ondersteund');
      }
      if (mounts.length > 0) set.mountChains.push(mounts);
      const file = parsed.get(path) as RulesFile;
      file.rules.forEach((spec, index) => set.rules.push(set.compile(spec, path, `rules[${index}] (${spec.id})`, mounts)));
      if (file.cross.length > 0 || file.publish.length > 0) {
        set.cross.push(
          new CrossRuleSet(file.cross, file.publish, (expression, field) => set.program(expression, path, field), path, (program) => {
            const tree = set.trees.get(program);
            return tree === undefined ? undefined : freeReferences(tree);
          }),
        );
        file.cross.forEach((spec) => set.crossIds.add(spec.id));
      }
    }
    return set;
  }

  private readonly crossIds = new Set<string>();

  /** IDs the rules can report (and those their includes report under), for the coverage test and the requirements view. */
  ids(): Set<string> {
    const ids = new Set([...this.rules.map((r) => r.spec.id), ...this.crossIds]);
    for (const chain of this.mountChains) for (const mount of chain) if (mount.reportAs) ids.add(mount.reportAs.id);
    return ids;
  }

  /** Entries for cross-document checks, collected from one document's data. */
  collectCross(data: unknown, context: RuleContext, memo?: RuleMemo): CrossEntry[] {
    if (this.cross.length === 0) return [];
    const base = variables(data, context);
    return this.cross.flatMap((set) => set.collect(data, base, memo?.cross));
  }

  private compileMount(spec: IncludeSpec, file: string, field: string): CompiledMount {
    let pattern: PathSegment[];
    try {
      pattern = parsePathPattern(spec.for ?? '.');
    } catch (error) {
      throw new DataFileError(file, `${field}.for`, error instanceof Error ? error.message : String(error));
    }
    const mount: CompiledMount = { pattern };
    if (spec.when !== undefined) mount.when = this.program(spec.when, file, `${field}.when`);
    if (spec.report_as) {
      const reportAs = spec.report_as;
      mount.reportAs = {
        id: reportAs.id,
        variant: reportAs.message,
        params: Object.entries(reportAs.params).map(([name, expr]) => [name, this.program(expr, file, `${field}.report_as.params.${name}`)]),
        ...(reportAs.ids ? { ids: new Set(reportAs.ids) } : {}),
      };
    }
    return mount;
  }

  /** IDs the rules of one file report (an organisation's extra file may only report its own IDs). */
  idsIn(file: string): Set<string> {
    return new Set(this.rules.filter((r) => r.file === file).map((r) => r.spec.id));
  }

  private program(expression: string, file: string, field: string): Program {
    const env = this.env;
    if (!env) throw new Error('rules environment not initialised');
    let parsed;
    try {
      parsed = env.parse(expression);
      const check = parsed.check();
      if (!check.valid) throw check.error ?? new Error('type error');
    } catch (error) {
      throw new DataFileError(file, field, `ongeldige CEL-expressie "${expression}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    const original = parsed as Program;
    const program = this.memoised(expression, parsed.ast, original, env) ?? original;
    this.trees.set(program, parsed.ast);
    return program;
  }

  /**
   * The expression with its per-element comprehensions memoised (`.map(v, body)` → `.zt_map(id)`),
   * or undefined when it has none or the rewrite cannot be proven to be the same expression. The
   * original program runs whenever a memoised comprehension meets something it does not handle.
   */
  private memoised(expression: string, ast: unknown, original: Program, env: Environment): Program | undefined {
    const sites = comprehensionSites(expression, ast);
    if (!sites || sites.length === 0) return undefined;
    const compiled: MemoSite[] = [];
    for (const site of sites) {
      const body = this.siteBody(site, env);
      if (!body) return undefined;
      compiled.push({ kind: site.kind, variable: site.variable, body });
    }
    const ids = compiled.map((_, i) => this.sites.length + i);
    const source = rewriteSites(expression, sites, ids);
    let rewritten;
    try {
      rewritten = env.parse(source);
      if (!rewritten.check().valid) return undefined;
    } catch {
      return undefined;
    }
    const bySite = new Map<unknown, { kind: string; id: number }>(sites.map((site, i) => [site.node, { kind: site.kind, id: ids[i] as number }]));
    if (!sameTree(ast, rewritten.ast, bySite)) return undefined;
    this.sites.push(...compiled);
    const run = rewritten as Program;
    return (context) => {
      const outer = this.memoFailed;
      this.memoFailed = false;
      try {
        let value: unknown;
        try {
          value = run(context);
        } catch (error) {
          if (!this.memoFailed) throw error;
        }
        return this.memoFailed ? original(context) : value;
      } finally {
        this.memoFailed = outer;
      }
    };
  }

  /** A site's body as a program, only when its source slice parses to exactly the body. */
  private siteBody(site: ComprehensionSite, env: Environment): Program | undefined {
    // A body's recorded end may stop before closing parentheses of its own.
    for (let extra = 0; extra <= 3; extra++) {
      const source = site.body + ')'.repeat(extra);
      try {
        const parsed = env.parse(source);
        if (!parsed.check().valid || !sameTree(site.bodyNode, parsed.ast)) continue;
        return this.memoised(source, parsed.ast, parsed as Program, env) ?? (parsed as Program);
      } catch {
        // Not this many parentheses.
      }
    }
    return undefined;
  }

  /**
   * `list.zt_map(site)` and `list.zt_filter(site)`: the site's comprehension over a list, each
   * element's body value remembered while a document is being edited. Anything but a list, or a
   * body that fails or (for filter) is not a bool, marks the evaluation failed: the original
   * expression then runs and yields exactly what CEL gives, errors included.
   */
  private registerMemoFunctions(env: Environment): void {
    const apply = (kind: 'map' | 'filter') => (receiver: unknown, id: bigint) => {
      const site = this.sites[Number(id)];
      if (!site || site.kind !== kind || !Array.isArray(receiver)) return this.failMemo();
      const cache = this.activeMemo?.siteValues(Number(id));
      const context: Record<string, unknown> = {};
      const values = new Array<unknown>(receiver.length);
      for (let i = 0; i < receiver.length; i++) {
        const element: unknown = receiver[i];
        const keyed = cache !== undefined && typeof element === 'object' && element !== null;
        if (keyed && cache.has(element)) {
          values[i] = cache.get(element);
          continue;
        }
        let value: unknown;
        try {
          context[site.variable] = element;
          value = site.body(context);
        } catch {
          return this.failMemo();
        }
        if (kind === 'filter' && typeof value !== 'boolean') return this.failMemo();
        values[i] = value;
        if (keyed) cache.set(element, value);
      }
      return kind === 'map' ? values : receiver.filter((_, i) => values[i] === true);
    };
    env.registerFunction('dyn.zt_map(int): list', apply('map'));
    env.registerFunction('dyn.zt_filter(int): list', apply('filter'));
  }

  private failMemo(): unknown[] {
    this.memoFailed = true;
    return [];
  }

  /**
   * What a per-item rule's `with`, `when` and `assert` read, when its verdicts can be remembered:
   * only context variables (no name a macro of another rule could mean), and no `with` read
   * before it is computed for the item.
   */
  private itemReads(rule: CompiledRule): ItemReads | undefined {
    if (!rule.forPatterns) return undefined;
    const lets = new Set(rule.lets.map(([name]) => name));
    const withNames = rule.withs.map(([name]) => name);
    const shared: ItemReads['shared'] = [];
    const itemVariables = new Set<string>();
    const programs: { program: Program; withIndex?: number }[] = [
      ...rule.withs.map(([, program], i) => ({ program, withIndex: i })),
      ...(rule.when ? [{ program: rule.when }] : []),
      { program: rule.assert },
    ];
    for (const { program, withIndex } of programs) {
      const tree = this.trees.get(program);
      if (tree === undefined) return undefined;
      for (const ref of freeReferences(tree)) {
        const withAt = withNames.indexOf(ref.name);
        if (withAt >= 0) {
          // A with read before this item computed it would see the previous item's value.
          if (withIndex !== undefined && withAt >= withIndex) return undefined;
          continue;
        }
        if (ref.name === 'item') continue;
        if (ref.name === 'index' || ref.name === 'key' || /^item\d+$/.test(ref.name)) {
          itemVariables.add(ref.name);
          continue;
        }
        if (!lets.has(ref.name) && !CONTEXT_VARIABLES.has(ref.name)) return undefined;
        shared.push(ref);
      }
    }
    return { itemVariables: [...itemVariables], shared, lets };
  }

  private compileAt(spec: string, file: string, field: string) {
    const absolute = spec.startsWith('/');
    try {
      return { absolute, segments: parsePathPattern(absolute ? spec.slice(1) : spec) };
    } catch (error) {
      throw new DataFileError(file, field, error instanceof Error ? error.message : String(error));
    }
  }

  private compile(spec: RuleSpec, file: string, field: string, mounts: CompiledMount[]): CompiledRule {
    const atSpecs = spec.at === undefined ? ['.'] : ([] as string[]).concat(spec.at);
    const rule: CompiledRule = {
      spec,
      file,
      mounts,
      lets: Object.entries(spec.let).map(([name, expr]) => [name, this.program(expr, file, `${field}.let.${name}`)]),
      withs: Object.entries(spec.with).map(([name, expr]) => [name, this.program(expr, file, `${field}.with.${name}`)]),
      assert: this.program(spec.assert, file, `${field}.assert`),
      message: VARIANT_NAME.test(spec.message) ? spec.message : this.program(spec.message, file, `${field}.message`),
      at: atSpecs.map((at, i) => this.compileAt(at, file, `${field}.at[${i}]`)),
      params: Object.entries(spec.params).map(([name, expr]) => [name, this.program(expr, file, `${field}.params.${name}`)]),
      related: spec.related.map((r, i) => ({ at: this.compileAt(r.at, file, `${field}.related[${i}].at`), message: r.message })),
    };
    if (spec.for !== undefined) {
      rule.forPatterns = ([] as string[]).concat(spec.for).map((pattern, i) => {
        try {
          return parsePathPattern(pattern);
        } catch (error) {
          throw new DataFileError(file, Array.isArray(spec.for) ? `${field}.for[${i}]` : `${field}.for`, error instanceof Error ? error.message : String(error));
        }
      });
    }
    if (spec.when !== undefined) rule.when = this.program(spec.when, file, `${field}.when`);
    const itemReads = this.itemReads(rule);
    const pattern = rule.forPatterns?.length === 1 ? rule.forPatterns[0] : undefined;
    const first = pattern ? pattern.findIndex((segment) => segment.kind === 'wildcard' || segment.kind === 'match') : -1;
    if (itemReads && pattern && first >= 0) {
      rule.itemReads = itemReads;
      const suffix = pattern.slice(first + 1);
      rule.itemGroups = { prefix: pattern.slice(0, first + 1), suffix, compareIndex: suffix.length === 0 && itemReads.itemVariables.includes('index') };
    }
    if (spec.severity !== undefined) {
      rule.severity = SEVERITIES.has(spec.severity) ? (spec.severity as Severity) : this.program(spec.severity, file, `${field}.severity`);
    }
    if (spec.fix) {
      const fixAt = spec.fix.at === undefined ? atSpecs : ([] as string[]).concat(spec.fix.at);
      rule.fix = {
        kind: spec.fix.kind,
        at: fixAt.map((at, i) => this.compileAt(at, file, `${field}.fix.at[${i}]`)),
        title: spec.fix.title,
        ...(spec.fix.value ? { value: this.program(spec.fix.value, file, `${field}.fix.value`) } : {}),
        ...(spec.fix.when ? { when: this.program(spec.fix.when, file, `${field}.fix.when`) } : {}),
      };
      if (spec.fix.kind === 'replace-value' && !spec.fix.value) throw new DataFileError(file, `${field}.fix.value`, 'replace-value heeft een value nodig');
    }
    return rule;
  }

  /**
   * Evaluates every rule. `memo` (the editor, per document) lets unchanged items keep their silent
   * verdicts and memoised comprehensions their element values; the findings are the same.
   * `only`: evaluate just the rules of the files it accepts (an organisation's rules run apart).
   */
  evaluate(data: unknown, context: RuleContext, problems?: RuleProblem[], memo?: RuleMemo, only?: (file: string) => boolean): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const baseContext = variables(data, context);
    const scopesByChain = new Map<CompiledMount[], Scope[]>();
    const wasActive = this.activeMemo;
    this.activeMemo = memo;
    try {
      for (const rule of this.rules) {
        if (only && !only(rule.file)) continue;
        let scopes = scopesByChain.get(rule.mounts);
        if (!scopes) {
          scopes = this.scopes(rule.mounts, data, baseContext, rule.file, problems);
          scopesByChain.set(rule.mounts, scopes);
        }
        for (const scope of scopes) {
          const found: RuleFinding[] = [];
          try {
            this.evaluateRule(rule, scope.data, { ...baseContext, self: scope.data }, found, problems, memo ? { memo, scope: formatPath(scope.path) } : undefined);
          } catch (error) {
            if (!isMissingData(error)) problems?.push({ id: rule.spec.id, file: rule.file, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
          }
          for (const finding of found) findings.push(placeInScope(finding, scope));
        }
      }
    } finally {
      this.activeMemo = wasActive;
    }
    return findings;
  }

  /**
   * Where the included blocks that report under another ID sit in a submission: the engine
   * relabels schema findings inside them the same way these rules relabel their own.
   */
  reportAsScopes(data: unknown, context: RuleContext, problems?: RuleProblem[]): ReportAsScope[] {
    const baseContext = variables(data, context);
    const out: ReportAsScope[] = [];
    for (const chain of this.mountChains) {
      if (!chain.some((m) => m.reportAs)) continue;
      for (const scope of this.scopes(chain, data, baseContext, 'include', problems)) if (scope.reportAs) out.push({ path: scope.path, reportAs: scope.reportAs });
    }
    return out;
  }

  /** Every place a chain of includes applies in the data, outermost level first. */
  private scopes(mounts: CompiledMount[], data: unknown, baseContext: Record<string, unknown>, file: string, problems?: RuleProblem[]): Scope[] {
    let scopes: Scope[] = [{ data, path: [] }];
    for (const mount of mounts) {
      const next: Scope[] = [];
      for (const scope of scopes) {
        const context: Record<string, unknown> = { ...baseContext, self: scope.data };
        try {
          if (mount.when && mount.when(context) !== true) continue;
        } catch (error) {
          if (!isMissingData(error)) problems?.push({ id: 'include', file, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
          continue;
        }
        for (const target of expandPattern(scope.data, mount.pattern)) {
          // A block that is not a mapping is the schema's to report; its rules cannot apply.
          if (!isRecord(target.value)) continue;
          let reportAs = scope.reportAs;
          if (mount.reportAs) {
            const itemContext: Record<string, unknown> = { ...context, item: target.value };
            target.bound.forEach((value, level) => (itemContext[`item${level}`] = value));
            const params: MessageParams = {};
            for (const [name, program] of mount.reportAs.params) {
              try {
                params[name] = toMessageValue(program(itemContext));
              } catch (error) {
                if (!isMissingData(error)) throw error;
              }
            }
            reportAs = { id: mount.reportAs.id, variant: mount.reportAs.variant, params, ...(mount.reportAs.ids ? { ids: mount.reportAs.ids } : {}) };
          }
          next.push({ data: target.value, path: [...scope.path, ...target.path], ...(reportAs ? { reportAs } : {}) });
        }
      }
      scopes = next;
    }
    return scopes;
  }

  private evaluateRule(rule: CompiledRule, data: unknown, baseContext: Record<string, unknown>, out: RuleFinding[], problems?: RuleProblem[], memo?: { memo: RuleMemo; scope: string }): void {
    const ruleContext: Record<string, unknown> = { ...baseContext };
    for (const [name, program] of rule.lets) ruleContext[name] = program(ruleContext);
    // One context object per rule, updated per item: thousands of list items must not mean
    // thousands of copies of the context.
    const context = ruleContext;
    /** Evaluates one target; true when the rule was silent for it without any exception. */
    const evaluateTarget = (target: Expansion): boolean => {
      if (rule.forPatterns) {
        const last = target.path[target.path.length - 1];
        context['item'] = target.value;
        context['index'] = BigInt(typeof last === 'number' ? last : 0);
        context['key'] = typeof last === 'string' ? last : '';
        target.bound.forEach((value, level) => (context[`item${level}`] = value));
      }
      try {
        for (const [name, program] of rule.withs) context[name] = program(context);
        if (rule.when && rule.when(context) !== true) return true;
        if (rule.assert(context) === true) return true;
        out.push(this.finding(rule, data, target.path, context));
      } catch (error) {
        if (!isMissingData(error)) problems?.push({ id: rule.spec.id, file: rule.file, detail: `${formatPath(target.path)}: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}` });
      }
      return false;
    };

    if (!rule.forPatterns) {
      evaluateTarget({ path: [], value: data, bound: [] });
      return;
    }
    const groups = rule.itemGroups;
    if (memo && groups && rule.itemReads) {
      // The items under one element of the first wildcard (a practice and its GPs) are skipped
      // together when the rule was silent for all of them and nothing else it reads changed.
      const verdicts = memo.memo.verdicts(rule, memo.scope, rule.itemReads, ruleContext);
      for (const group of expandPattern(data, groups.prefix)) {
        const last = group.path[group.path.length - 1];
        const index = groups.compareIndex && typeof last === 'number' ? last : undefined;
        if (verdicts.silent(group.value, index)) continue;
        let silent = true;
        if (groups.suffix.length === 0) silent = evaluateTarget(group);
        else {
          for (const leaf of expandPattern(group.value, groups.suffix)) {
            if (!evaluateTarget({ path: [...group.path, ...leaf.path], value: leaf.value, bound: [...group.bound, ...leaf.bound] })) silent = false;
          }
        }
        if (silent) verdicts.remember(group.value, index);
      }
      return;
    }
    for (const pattern of rule.forPatterns) for (const target of expandPattern(data, pattern)) evaluateTarget(target);
  }

  private finding(rule: CompiledRule, data: unknown, itemPath: DataPath, context: Record<string, unknown>): RuleFinding {
    const params: MessageParams = {};
    for (const [name, program] of rule.params) {
      try {
        params[name] = toMessageValue(program(context));
      } catch (error) {
        // A parameter that cannot be computed stays visible as {name} rather than hiding the finding.
        if (!isMissingData(error)) throw error;
      }
    }
    let severity: Severity | undefined;
    if (typeof rule.severity === 'string') severity = rule.severity;
    else if (rule.severity) {
      const value = rule.severity(context);
      if (typeof value === 'string' && SEVERITIES.has(value)) severity = value as Severity;
    }
    const path = resolveAt(rule.at, data, itemPath);
    const finding: RuleFinding = {
      id: rule.spec.id,
      variant: variantOf(rule.message, context),
      params,
      path,
      related: rule.related.map((r) => ({ path: resolveAt([r.at], data, itemPath), message: r.message, params })),
      ...(severity ? { severity } : {}),
    };
    if (rule.fix && (!rule.fix.when || rule.fix.when(context) === true)) {
      const fixPath = resolveAt(rule.fix.at, data, itemPath);
      finding.fix = {
        kind: rule.fix.kind,
        path: fixPath,
        title: rule.fix.title,
        params,
        ...(rule.fix.value ? { value: toData(rule.fix.value(context)) } : {}),
      };
    }
    return finding;
  }
}

/** A finding of an included rule, placed under its block and reported under the block's ID. */
function placeInScope(finding: RuleFinding, scope: Scope): RuleFinding {
  if (scope.path.length === 0 && !scope.reportAs) return finding;
  const prefix = (path: DataPath): DataPath => [...scope.path, ...path];
  const placed: RuleFinding = {
    ...finding,
    path: prefix(finding.path),
    related: finding.related.map((r) => ({ ...r, path: prefix(r.path) })),
    ...(finding.fix ? { fix: { ...finding.fix, path: prefix(finding.fix.path) } } : {}),
  };
  return scope.reportAs ? relabel(placed, scope.reportAs) : placed;
}

/** A path named in a data file, relative to that file's folder: `asr/igo.rules.yaml` + `x.yaml` → `asr/x.yaml`. */
function joinDataPath(from: string, relative: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The message variant of a finding; a choosing expression that fails or yields no name means "default". */
function variantOf(message: string | Program, context: Record<string, unknown>): string {
  if (typeof message === 'string') return message;
  try {
    const value = message(context);
    return typeof value === 'string' && VARIANT_NAME.test(value) ? value : 'default';
  } catch (error) {
    if (isMissingData(error)) return 'default';
    throw error;
  }
}

/** The first `at` candidate that exists in the data, else the first candidate's path. */
function resolveAt(candidates: { absolute: boolean; segments: PathSegment[] }[], data: unknown, itemPath: DataPath): DataPath {
  let fallback: DataPath | undefined;
  for (const candidate of candidates) {
    const base = candidate.absolute ? [] : itemPath;
    const expansions = expandPattern(base.length === 0 ? data : valueAt(data, base), candidate.segments, true);
    const first = expansions[0];
    const path = first ? [...base, ...first.path] : [...base, ...concreteSegments(candidate.segments)];
    fallback ??= path;
    if (first && first.value !== undefined) return path;
  }
  return fallback ?? itemPath;
}

function concreteSegments(segments: PathSegment[]): DataPath {
  const out: DataPath = [];
  for (const segment of segments) {
    if (segment.kind === 'key') out.push(segment.key);
    else if (segment.kind === 'index') out.push(segment.index);
    else break;
  }
  return out;
}
