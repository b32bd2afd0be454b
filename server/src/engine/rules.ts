import type { Environment } from '@marcbachmann/cel-js';
import { z } from 'zod';
import { createFormEnvironment } from './cel-env.js';
import { ClosedList, ClosedListSchema } from './closed-lists.js';
import { DataFileError, readYamlData, validateData, type DataFiles } from './data-files.js';
import { expandPattern, formatPath, parsePathPattern, valueAt, type PathSegment } from './paths.js';
import type { MessageParams, MessageValue } from './raw-finding.js';
import type { DataPath, FixKind, Severity } from './types.js';

/**
 * Policy rules in CEL, as data next to the schema (`<form>.rules.yaml`), for what JSON Schema
 * cannot say. A rule, in the manner of Kubernetes' x-kubernetes-validations:
 *
 *   - id: VGZ-RHO-07                 catalogue ID
 *     for: zorgketens[*]             optional: evaluate once per matching item (bound as `item`)
 *     let: {n: size(self.x)}         optional: values computed once per document, in order
 *     when: has(item.keten)          optional precondition
 *     assert: has(item.kaderarts)    must hold; false produces a finding
 *     at: kaderarts                  where to point (relative to the item; "/a.b" is absolute;
 *                                    a list means "the first that exists")
 *     message: missing               catalogue message variant (default "default")
 *     severity: warning              literal, or a CEL expression yielding one
 *     params: {keten: item.keten}    CEL expressions for the message's placeholders
 *     fix: {kind: replace-value, value: '"x"', title: replace-addendum}
 *
 * Variables: `self` (the submission), `item`, `item0`…(outer items of nested wildcards), `index`,
 * `peildatum` (ingediend_op, else the chosen reference date), `peildatum_bron`
 * ("ingediend_op" | "peildatum"), `vandaag`. An expression that fails on missing data does not
 * apply; the schema reports what is missing.
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
    for: z.string().optional(),
    let: z.record(z.string(), Cel).default({}),
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

const RulesFileSchema = z
  .object({
    lists: z.record(z.string(), ClosedListSchema).default({}),
    rules: z.array(RuleSchema).default([]),
  })
  .strict();

type RuleSpec = z.infer<typeof RuleSchema>;
type Program = (context: Record<string, unknown>) => unknown;

interface CompiledRule {
  spec: RuleSpec;
  file: string;
  forPattern?: PathSegment[];
  lets: [string, Program][];
  when?: Program;
  assert: Program;
  at: { absolute: boolean; segments: PathSegment[] }[];
  severity?: Severity | Program;
  params: [string, Program][];
  fix?: { kind: FixKind; at: { absolute: boolean; segments: PathSegment[] }[]; value?: Program; when?: Program; title: string };
  related: { at: { absolute: boolean; segments: PathSegment[] }; message: string }[];
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
}

export interface RuleContext {
  peildatum: string;
  peildatumBron: 'ingediend_op' | 'peildatum';
  vandaag: string;
}

/** Problems in evaluating rules that are not about missing data: bugs in a rule, shown in strict mode. */
export interface RuleProblem {
  id: string;
  file: string;
  detail: string;
}

const SEVERITIES = new Set<string>(['error', 'warning', 'info']);

function isMissingData(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // Absent keys and empty values (`key:` is null) mean "not filled in yet": the schema reports those.
  return /No such key|Cannot read|Index out of range|index out of bounds|dyn<null>|null_type/i.test(message);
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
  private readonly rules: CompiledRule[] = [];
  private env: Environment | undefined;

  static load(files: DataFiles, paths: readonly string[]): RuleSet {
    const set = new RuleSet();
    const parsed = paths.map((path) => ({ path, file: validateData(RulesFileSchema, readYamlData(files, path), path) }));
    for (const { path, file } of parsed) {
      for (const [name, raw] of Object.entries(file.lists)) {
        if (set.lists.has(name)) throw new DataFileError(path, `lists.${name}`, 'deze lijst is al gedefinieerd in een ander regelbestand');
        set.lists.set(name, new ClosedList(name, raw));
      }
    }
    set.env = createFormEnvironment(set.lists);
    for (const { path, file } of parsed) {
      file.rules.forEach((spec, index) => set.rules.push(set.compile(spec, path, `rules[${index}] (${spec.id})`)));
    }
    return set;
  }

  /** IDs the rules can report, for the coverage test and the requirements view. */
  ids(): Set<string> {
    return new Set(this.rules.map((r) => r.spec.id));
  }

  /** IDs the rules of one file report (an organisation's extra file may only report its own IDs). */
  idsIn(file: string): Set<string> {
    return new Set(this.rules.filter((r) => r.file === file).map((r) => r.spec.id));
  }

  private program(expression: string, file: string, field: string): Program {
    const env = this.env;
    if (!env) throw new Error('rules environment not initialised');
    try {
      const parsed = env.parse(expression);
      const check = parsed.check();
      if (!check.valid) throw check.error ?? new Error('type error');
      return parsed as Program;
    } catch (error) {
      throw new DataFileError(file, field, `ongeldige CEL-expressie "${expression}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  private compileAt(spec: string, file: string, field: string) {
    const absolute = spec.startsWith('/');
    try {
      return { absolute, segments: parsePathPattern(absolute ? spec.slice(1) : spec) };
    } catch (error) {
      throw new DataFileError(file, field, error instanceof Error ? error.message : String(error));
    }
  }

  private compile(spec: RuleSpec, file: string, field: string): CompiledRule {
    const atSpecs = spec.at === undefined ? ['.'] : ([] as string[]).concat(spec.at);
    const rule: CompiledRule = {
      spec,
      file,
      lets: Object.entries(spec.let).map(([name, expr]) => [name, this.program(expr, file, `${field}.let.${name}`)]),
      assert: this.program(spec.assert, file, `${field}.assert`),
      at: atSpecs.map((at, i) => this.compileAt(at, file, `${field}.at[${i}]`)),
      params: Object.entries(spec.params).map(([name, expr]) => [name, this.program(expr, file, `${field}.params.${name}`)]),
      related: spec.related.map((r, i) => ({ at: this.compileAt(r.at, file, `${field}.related[${i}].at`), message: r.message })),
    };
    if (spec.for !== undefined) {
      try {
        rule.forPattern = parsePathPattern(spec.for);
      } catch (error) {
        throw new DataFileError(file, `${field}.for`, error instanceof Error ? error.message : String(error));
      }
    }
    if (spec.when !== undefined) rule.when = this.program(spec.when, file, `${field}.when`);
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

  evaluate(data: unknown, context: RuleContext, problems?: RuleProblem[]): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const baseContext: Record<string, unknown> = {
      self: data,
      peildatum: context.peildatum,
      peildatum_bron: context.peildatumBron,
      vandaag: context.vandaag,
    };
    for (const rule of this.rules) {
      try {
        this.evaluateRule(rule, data, baseContext, findings, problems);
      } catch (error) {
        if (!isMissingData(error)) problems?.push({ id: rule.spec.id, file: rule.file, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
      }
    }
    return findings;
  }

  private evaluateRule(rule: CompiledRule, data: unknown, baseContext: Record<string, unknown>, out: RuleFinding[], problems?: RuleProblem[]): void {
    const ruleContext: Record<string, unknown> = { ...baseContext };
    for (const [name, program] of rule.lets) ruleContext[name] = program(ruleContext);

    const targets = rule.forPattern ? expandPattern(data, rule.forPattern) : [{ path: [] as DataPath, value: data, bound: [] as unknown[] }];
    for (const target of targets) {
      const context: Record<string, unknown> = rule.forPattern ? { ...ruleContext, item: target.value, index: BigInt(Number(target.path[target.path.length - 1] ?? 0)) } : ruleContext;
      if (rule.forPattern) target.bound.forEach((value, level) => (context[`item${level}`] = value));
      try {
        if (rule.when && rule.when(context) !== true) continue;
        if (rule.assert(context) === true) continue;
        out.push(this.finding(rule, data, target.path, context));
      } catch (error) {
        if (!isMissingData(error)) problems?.push({ id: rule.spec.id, file: rule.file, detail: `${formatPath(target.path)}: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}` });
      }
    }
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
      variant: rule.spec.message,
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
