import * as z from 'zod';
import { DataFileError } from './data-files.js';
import { expandPattern, parsePathPattern, samePath, type PathSegment } from './paths.js';
import type { MessageParams, MessageValue } from './raw-finding.js';
import type { FreeReference } from './cel-analysis.js';
import type { DataPath, Severity } from './types.js';

/**
 * Cross-document rules, as data in a form's rules file. They compare submissions checked together
 * (the files and folders of one CLI run, or a workspace in the editor):
 *
 *   publish:                         what this form tells other documents about itself
 *     - index: rho                   an index name shared between forms
 *       value: self.organisatie.kvk_nummer           the key it is found by
 *       fields: {naam: self.organisatie.naam}        what others may compare
 *       at: organisatie                              where related locations point
 *
 *   cross:
 *     - id: VGZ-RHO-05
 *       unique: rho-huisartsen       a value may belong to one owner only, across documents
 *       for: praktijken[*].huisartsen[*]
 *       value: item.big_nummer
 *       scope: string(self.contractjaar)    only documents of the same scope are compared
 *       owner: self.organisatie.kvk_nummer  documents of the same owner are versions of one plan
 *       label: self.organisatie.naam        how the owner is named in the other file's message
 *       at: big_nummer
 *       message: ander-bestand
 *       params: {huisarts: item.naam}
 *     - id: ZT-XDOC
 *       lookup: rho                  compare with what another document published under this index
 *       value: self.rho.kvk_nummer
 *       assert: other.naam == self.rho.naam  `other` = the published fields
 *       at: rho.naam
 *       message: rho-naam
 *       params: {naam_daar: other.naam}
 *       severity: warning            optional: instead of the catalogue's default (a literal)
 *
 * Findings of `unique` appear in every document involved; findings of `lookup` in the looking
 * document, with a related location in the publishing one.
 */

const Cel = z.string().min(1);

const Common = {
  id: z.string().min(1),
  description: z.string().optional(),
  for: z.string().optional(),
  when: Cel.optional(),
  value: Cel,
  at: z.string().optional(),
  message: z.string().default('default'),
  params: z.record(z.string(), Cel).default({}),
  severity: z.enum(['error', 'warning', 'info']).optional(),
};

export const CrossRuleSchema = z.union([
  z
    .object({
      ...Common,
      unique: z.string().min(1),
      scope: Cel.optional(),
      owner: Cel,
      label: Cel,
    })
    .strict(),
  z
    .object({
      ...Common,
      lookup: z.string().min(1),
      assert: Cel,
    })
    .strict(),
]);

export const PublishSchema = z
  .object({
    index: z.string().min(1),
    for: z.string().optional(),
    when: Cel.optional(),
    value: Cel,
    fields: z.record(z.string(), Cel).default({}),
    at: z.string().optional(),
  })
  .strict();

type Program = (context: Record<string, unknown>) => unknown;
export type ProgramCompiler = (expression: string, field: string) => Program;
/** The variables a compiled program reads (its free references), or undefined when unknown. */
export type ReadsOf = (program: Program) => readonly FreeReference[] | undefined;

type Collector = (data: unknown, base: Record<string, unknown>, out: CrossEntry[], memo?: CrossMemo) => void;

/**
 * What a document's cross rules remember between its versions (kept with its RuleMemo), so an
 * edit in one practice of a 50,000-line regioplan does not evaluate the key of every GP again.
 *
 * Per `unique` rule whose expressions read nothing but `item`: the entries made under each element
 * of the rule's first list (a practice, for `praktijken[*].huisartsen[*]`), by that element
 * object. Parsed data is never mutated, and incremental parsing hands out the same object only
 * for unchanged text (chunked-parse.ts), so the same object at the same path makes the same
 * entries. The owner, scope and label come from the whole document: when one of them changes,
 * the rule starts afresh. The entries' params read the item only, so they hold no document.
 */
export class CrossMemo {
  private readonly states = new Map<Collector, { key: string; groups: WeakMap<object, { path: DataPath; entries: CrossEntry[] }> }>();

  groups(collector: Collector, key: string): WeakMap<object, { path: DataPath; entries: CrossEntry[] }> {
    let state = this.states.get(collector);
    if (!state || state.key !== key) {
      state = { key, groups: new WeakMap() };
      this.states.set(collector, state);
    }
    return state.groups;
  }
}

/** An entry a document contributes to a `unique` index. */
export interface UniqueEntry {
  kind: 'unique';
  index: string;
  id: string;
  variant: string;
  value: string;
  scope: string;
  owner: string;
  label: string;
  path: DataPath;
  severity?: Severity;
  /** Computed only for entries that end up in a finding. */
  params: () => MessageParams;
}

/** What a document published under an index. */
export interface PublishedEntry {
  kind: 'published';
  index: string;
  value: string;
  fields: Record<string, unknown>;
  path: DataPath;
}

/** A document's wish to compare itself with what another published; `check` runs the assert. */
export interface LookupEntry {
  kind: 'lookup';
  index: string;
  id: string;
  variant: string;
  value: string;
  path: DataPath;
  severity?: Severity;
  /** Evaluates the assert and the params against another document's published fields. */
  check: (other: Record<string, unknown>) => { ok: boolean; params: MessageParams };
}

export type CrossEntry = UniqueEntry | PublishedEntry | LookupEntry;

interface CompiledTarget {
  for?: PathSegment[];
  when?: Program;
  value: Program;
  at: PathSegment[];
}

function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * An item's key value and where its entry points (relative to the item), or undefined when the
 * item takes no part: `when` false, no key, or data the expressions cannot read (the schema and
 * the document's own rules report what is wrong with it).
 */
function keyOf(target: CompiledTarget, context: Record<string, unknown>, item: unknown): { value: string; at?: DataPath } | undefined {
  try {
    if (target.when && target.when(context) !== true) return undefined;
    const value = keyText(target.value(context));
    if (value === undefined) return undefined;
    if (target.at.length === 0) return { value };
    const at = expandPattern(item, target.at, true)[0];
    return at ? { value, at: at.path } : { value };
  } catch {
    return undefined;
  }
}

/** `praktijken[*].huisartsen[*]` → up to the first list (`praktijken[*]`) and the rest. */
function splitAtFirstList(pattern: PathSegment[]): { prefix: PathSegment[]; suffix: PathSegment[] } | undefined {
  const first = pattern.findIndex((segment) => segment.kind === 'wildcard' || segment.kind === 'match');
  return first < 0 ? undefined : { prefix: pattern.slice(0, first + 1), suffix: pattern.slice(first + 1) };
}

function plainMessageValue(value: unknown): MessageValue {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) return value as MessageValue;
  if (Array.isArray(value)) return value.map(plainMessageValue);
  return String(value);
}

export class CrossRuleSet {
  private readonly collectors: Collector[] = [];

  constructor(
    cross: readonly z.infer<typeof CrossRuleSchema>[],
    publish: readonly z.infer<typeof PublishSchema>[],
    compile: ProgramCompiler,
    file: string,
    private readonly readsOf: ReadsOf = () => undefined,
  ) {
    cross.forEach((spec, i) => this.collectors.push(this.compileCross(spec, compile, file, `cross[${i}] (${spec.id})`)));
    publish.forEach((spec, i) => this.collectors.push(this.compilePublish(spec, compile, file, `publish[${i}] (${spec.index})`)));
  }

  get size(): number {
    return this.collectors.length;
  }

  /** `memo`: the document's, when it is checked version after version (the editor). */
  collect(data: unknown, base: Record<string, unknown>, memo?: CrossMemo): CrossEntry[] {
    const out: CrossEntry[] = [];
    for (const collector of this.collectors) {
      try {
        collector(data, base, out, memo);
      } catch {
        // Data a cross rule cannot read (missing or mistyped) contributes nothing; the schema
        // and the document's own rules report what is wrong with it.
      }
    }
    return out;
  }

  private target(spec: { for?: string | undefined; when?: string | undefined; value: string; at?: string | undefined }, compile: ProgramCompiler, file: string, field: string): CompiledTarget {
    const pattern = (text: string, where: string) => {
      try {
        return parsePathPattern(text);
      } catch (error) {
        throw new DataFileError(file, `${field}.${where}`, error instanceof Error ? error.message : String(error));
      }
    };
    return {
      ...(spec.for !== undefined ? { for: pattern(spec.for, 'for') } : {}),
      ...(spec.when !== undefined ? { when: compile(spec.when, `${field}.when`) } : {}),
      value: compile(spec.value, `${field}.value`),
      at: pattern(spec.at ?? '.', 'at'),
    };
  }

  /**
   * Every item a target addresses (once per `for` item, or once for the document) with its key
   * value. The context object is reused between items; `capture` gives a context of one's own for
   * the lazy parts of an entry.
   */
  private *visit(target: CompiledTarget, data: unknown, base: Record<string, unknown>): Generator<{ path: DataPath; value: string; capture: () => Record<string, unknown> }> {
    const items = target.for ? expandPattern(data, target.for) : [{ path: [] as DataPath, value: data, bound: [] as unknown[] }];
    const context: Record<string, unknown> = { ...base };
    for (const item of items) {
      if (target.for) {
        context['item'] = item.value;
        item.bound.forEach((value, level) => (context[`item${level}`] = value));
      }
      const found = keyOf(target, context, item.value);
      if (!found) continue;
      const bound = item.bound;
      const itemValue = item.value;
      yield {
        path: found.at ? [...item.path, ...found.at] : item.path,
        value: found.value,
        capture: () => {
          const own: Record<string, unknown> = { ...base };
          if (target.for) {
            own['item'] = itemValue;
            bound.forEach((v, level) => (own[`item${level}`] = v));
          }
          return own;
        },
      };
    }
  }

  /** Whether every program reads nothing but `item` (then an item alone decides its entry). */
  private readsItemOnly(programs: readonly (Program | undefined)[]): boolean {
    return programs.every((program) => {
      if (!program) return true;
      const reads = this.readsOf(program);
      return reads !== undefined && reads.every((ref) => ref.name === 'item');
    });
  }

  private compileCross(spec: z.infer<typeof CrossRuleSchema>, compile: ProgramCompiler, file: string, field: string): Collector {
    const target = this.target(spec, compile, file, field);
    const params = Object.entries(spec.params).map(([name, expr]) => [name, compile(expr, `${field}.params.${name}`)] as const);
    const evaluateParams = (context: Record<string, unknown>): MessageParams => {
      const out: MessageParams = {};
      for (const [name, program] of params) {
        try {
          out[name] = plainMessageValue(program(context));
        } catch {
          // A parameter that cannot be computed stays visible as {name}.
        }
      }
      return out;
    };
    if ('unique' in spec) {
      const scope = spec.scope ? compile(spec.scope, `${field}.scope`) : undefined;
      const owner = compile(spec.owner, `${field}.owner`);
      const label = compile(spec.label, `${field}.label`);
      // Remembered per element of the first list when an item alone decides its entry.
      const groups = target.for && this.readsItemOnly([target.value, target.when, ...params.map(([, program]) => program)]) ? splitAtFirstList(target.for) : undefined;
      const collector: Collector = (data, base, out, memo) => {
        const ownerKey = keyText(owner(base));
        if (ownerKey === undefined) return;
        const scopeKey = scope ? (keyText(scope(base)) ?? '') : '';
        const labelText = keyText(label(base)) ?? ownerKey;
        const entry = (path: DataPath, value: string, params: () => MessageParams): UniqueEntry => ({
          kind: 'unique',
          index: spec.unique,
          id: spec.id,
          variant: spec.message,
          value,
          scope: scopeKey,
          owner: ownerKey,
          label: labelText,
          path,
          ...(spec.severity ? { severity: spec.severity } : {}),
          params,
        });
        if (!memo || !groups) {
          for (const { capture, path, value } of this.visit(target, data, base)) out.push(entry(path, value, () => evaluateParams(capture())));
          return;
        }
        const known = memo.groups(collector, `${ownerKey}\u0000${scopeKey}\u0000${labelText}`);
        const context: Record<string, unknown> = { ...base };
        for (const group of expandPattern(data, groups.prefix)) {
          const element = typeof group.value === 'object' && group.value !== null ? group.value : undefined;
          const before = element ? known.get(element) : undefined;
          if (before && samePath(before.path, group.path)) {
            for (const made of before.entries) out.push(made);
            continue;
          }
          const made: CrossEntry[] = [];
          const leaves = groups.suffix.length === 0 ? [{ path: [] as DataPath, value: group.value }] : expandPattern(group.value, groups.suffix);
          for (const leaf of leaves) {
            context['item'] = leaf.value;
            const found = keyOf(target, context, leaf.value);
            if (!found) continue;
            const item = leaf.value;
            made.push(entry(group.path.concat(leaf.path, found.at ?? []), found.value, () => evaluateParams({ item })));
          }
          if (element) known.set(element, { path: group.path, entries: made });
          for (const one of made) out.push(one);
        }
      };
      return collector;
    }
    const assert = compile(spec.assert, `${field}.assert`);
    return (data: unknown, base: Record<string, unknown>, out: CrossEntry[]) => {
      for (const { capture, path, value } of this.visit(target, data, base)) {
        out.push({
          kind: 'lookup',
          index: spec.lookup,
          id: spec.id,
          variant: spec.message,
          value,
          path,
          ...(spec.severity ? { severity: spec.severity } : {}),
          check: (other) => {
            const withOther = { ...capture(), other };
            let ok = true;
            try {
              ok = assert(withOther) === true;
            } catch {
              ok = true;
            }
            return { ok, params: ok ? {} : evaluateParams(withOther) };
          },
        });
      }
    };
  }

  private compilePublish(spec: z.infer<typeof PublishSchema>, compile: ProgramCompiler, file: string, field: string): Collector {
    const target = this.target(spec, compile, file, field);
    const fields = Object.entries(spec.fields).map(([name, expr]) => [name, compile(expr, `${field}.fields.${name}`)] as const);
    return (data: unknown, base: Record<string, unknown>, out: CrossEntry[]) => {
      for (const { capture, path, value } of this.visit(target, data, base)) {
        const values: Record<string, unknown> = {};
        const context = capture();
        for (const [name, program] of fields) {
          try {
            values[name] = program(context);
          } catch {
            values[name] = null;
          }
        }
        out.push({ kind: 'published', index: spec.index, value, fields: values, path });
      }
    };
  }
}
