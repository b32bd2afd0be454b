import type { FreeReference } from './cel-analysis.js';
import { CrossMemo } from './cross-rules.js';

/**
 * What the rules of one document (an editor's open file) remember between its versions, so a
 * keystroke in one practice of a 50,000-line regioplan does not re-run every rule for every GP.
 *
 * Only one thing is remembered: that a per-item rule (`for:`) was silent for an item — its `with`,
 * `when` and `assert` ran without any exception and produced no finding. Such a verdict is reused
 * only when everything those expressions read is unchanged:
 *
 * - the item itself: the same object. Parsed data is never mutated, and incremental parsing hands
 *   out the same object for an item only when its text did not change (chunked-parse.ts);
 * - `index`, `key` and the outer items `item0`… as far as the rule reads them;
 * - every other variable read, with its field chain (`self.regio.gemeenten`, a `let`, `peildatum`):
 *   objects along a chain must be the same objects, `let` values equal in value.
 *
 * Anything else — a finding, an exception, a rule reading something this cannot compare — is
 * evaluated again. Results are therefore always those of a full evaluation.
 */

/** What a rule's item-level expressions read, from their syntax trees (see rules.ts). */
export interface ItemReads {
  /** Context variables besides `item` that belong to the item and are read: `index`, `key`, `item0`…. */
  itemVariables: string[];
  /** Everything else read: the same for every item of one evaluation. */
  shared: FreeReference[];
  /** Names among `shared` that are `let` values (compared by value, since they are recomputed). */
  lets: ReadonlySet<string>;
}

interface RuleState {
  shared: unknown[];
  verdicts: WeakMap<object, number | null>;
}

/** Stop comparing let values beyond this many nodes: such a value counts as changed. */
const COMPARE_BUDGET = 10000;

export class RuleMemo {
  /** The cross rules' entries by element (cross-rules.ts). */
  readonly cross = new CrossMemo();
  private readonly states = new Map<object, Map<string, RuleState>>();
  private readonly sites = new Map<number, WeakMap<object, unknown>>();

  /**
   * A memoised comprehension's body values by element (rules.ts, `zt_map`/`zt_filter`). A body
   * reads nothing but its element, so a value holds as long as the element object lives; kept
   * here, per document, so a closed or evicted document takes its values with it.
   */
  siteValues(site: number): WeakMap<object, unknown> {
    let values = this.sites.get(site);
    if (!values) {
      values = new WeakMap();
      this.sites.set(site, values);
    }
    return values;
  }

  /**
   * The verdicts of a rule (at a place: an included block is evaluated once per scope), valid
   * for this evaluation: kept when what the rule reads besides its items is unchanged, else new.
   */
  verdicts(rule: object, scope: string, reads: ItemReads, context: Record<string, unknown>): ItemVerdicts {
    const shared = reads.shared.map((ref) => sharedValue(ref, context, reads.lets.has(ref.name)));
    let byScope = this.states.get(rule);
    if (!byScope) {
      byScope = new Map();
      this.states.set(rule, byScope);
    }
    let state = byScope.get(scope);
    if (!state || !sameShared(state.shared, shared, reads)) {
      state = { shared, verdicts: new WeakMap() };
      byScope.set(scope, state);
    }
    return new ItemVerdicts(state.verdicts);
  }
}

/**
 * The silent verdicts of one rule for one evaluation, per group of items: the element of the
 * pattern's first wildcard (a practice, for `praktijken[*].huisartsen[*]`), since everything
 * below it is determined by it. Where the item is that element itself, its list index is kept
 * too when the rule reads `index`.
 */
export class ItemVerdicts {
  constructor(private readonly verdicts: WeakMap<object, number | null>) {}

  silent(group: unknown, index: number | undefined): boolean {
    if (typeof group !== 'object' || group === null) return false;
    const known = this.verdicts.get(group);
    return known !== undefined && known === (index ?? null);
  }

  remember(group: unknown, index: number | undefined): void {
    if (typeof group === 'object' && group !== null) this.verdicts.set(group, index ?? null);
  }
}

/**
 * What a shared reference reads: a let value itself, or for a chain the values along it (the
 * objects a chain passes through decide everything after them).
 */
function sharedValue(ref: FreeReference, context: Record<string, unknown>, isLet: boolean): unknown {
  let value = context[ref.name];
  if (isLet && ref.fields.length === 0) return value;
  const along: unknown[] = [value];
  for (const field of ref.fields) {
    value = fieldOf(value, field);
    along.push(value);
  }
  return along;
}

function fieldOf(value: unknown, field: string): unknown {
  if (value instanceof Map) return value.get(field);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, field)) {
    return (value as Record<string, unknown>)[field];
  }
  return undefined;
}

function sameShared(before: readonly unknown[], now: readonly unknown[], reads: ItemReads): boolean {
  for (let i = 0; i < now.length; i++) {
    const ref = reads.shared[i] as FreeReference;
    const a = before[i];
    const b = now[i];
    if (reads.lets.has(ref.name)) {
      // A let is computed afresh each time: equal values, not the same object. Along a chain
      // into a let value the first entry decides, the rest follow from it.
      const budget = { left: COMPARE_BUDGET };
      if (ref.fields.length === 0 ? !sameValue(a, b, budget) : !sameValue((a as unknown[])[0], (b as unknown[])[0], budget)) return false;
    } else {
      // self/root are new objects each version; what counts is what the chain reaches from them.
      const along = a as unknown[];
      const next = b as unknown[];
      const fromDocument = ref.name === 'self' || ref.name === 'root';
      if (fromDocument && ref.fields.length === 0) return false;
      // Primitives and objects alike: a different object may hold the same value, but only the
      // same object is known to.
      for (let k = fromDocument ? 1 : 0; k < next.length; k++) if (!Object.is(along[k], next[k])) return false;
    }
  }
  return true;
}

/** Equality of CEL values (the same object, or equal primitives, lists, maps and records). */
function sameValue(a: unknown, b: unknown, budget: { left: number }): boolean {
  if (Object.is(a, b)) return true;
  if (--budget.left < 0) return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], other[i], budget)) return false;
    return true;
  }
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    if (a.size !== other.size) return false;
    for (const [key, value] of a) if (!other.has(key) || !sameValue(value, other.get(key), budget)) return false;
    return true;
  }
  if (a instanceof Set) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], budget)) return false;
  }
  return true;
}
