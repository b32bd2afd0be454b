import type { CrossEntry, LookupEntry, PublishedEntry, UniqueEntry } from './cross-rules.js';
import { samePath } from './paths.js';
import type { Severity } from './types.js';

/**
 * One document's cross entries, grouped for the comparison across documents and kept compactly.
 *
 * A 10,000-line regioplan claims ~6,000 GP and practice numbers. Kept as entry objects (each with
 * its path, grouped under composite key strings in one-element lists) that was ~2.6 MB per
 * document, held for every submission in the workspace. Here a claim is a number: its value
 * (all of a document's values kept as one string with offsets), its rule's shared fields by
 * number, a link to the next claim of the same key, and a mark on a key's first claim; its
 * position in the document's entry list follows from the few entries that are not claims. A
 * space's keys (their first claims) are a number list sorted by value, found by binary search:
 * a Map per space cost as much as the rest of the table together. What a finding needs beyond that
 * (the claim's path, its message values) comes from `source`: the document's entries made again
 * on demand (the language server), or the entries themselves (a batch run, a test), asked only
 * for the few claims that end up in a finding.
 *
 * Published and lookup entries (a handful per document) are kept as they are.
 */

/** What the claims of one rule in one document share. */
interface RuleFields {
  index: string;
  id: string;
  variant: string;
  scope: string;
  owner: string;
  label: string;
  severity: Severity | undefined;
  /** `index` and `scope`: claims are compared within one space only. */
  space: string;
}

/** The entry at a position of the document's entry list, as made now (undefined if there is none). */
export type EntrySource = (position: number) => CrossEntry | undefined;

export class CrossEntryTable {
  /** How many entries the document has (claims, published and lookups). */
  readonly length: number;
  /** Keys the document itself claims for two owners (two rules of one index reading different owners). */
  readonly ownConflicts: { space: string; value: string }[] = [];
  /** index + value → what the document published under it. */
  readonly published = new Map<string, PublishedEntry[]>();
  readonly lookups: LookupEntry[] = [];
  /** How many distinct keys the document claims. */
  readonly keyCount: number;

  /** The claims' values one after another (claim n's runs from valueStarts[n] to valueStarts[n + 1]). */
  private readonly valueText: string;
  private readonly valueStarts: Int32Array;
  /** The published entries in entry order (to compare a new version with). */
  private readonly publishedInOrder: PublishedEntry[] = [];
  private readonly rules: RuleFields[] = [];
  private readonly ruleOf: Uint16Array | Uint32Array;
  /** Positions of the entries that are not claims, ascending (a claim's position follows from them). */
  private readonly otherPositions: number[] = [];
  /** The next claim of the same key, or -1. */
  private readonly next: Int32Array;
  /** 1 for a key's first claim. */
  private readonly first: Uint8Array;
  /** space (index + scope) → the first claims of its keys, sorted by value (code unit order), for binary search. */
  private readonly spaces = new Map<string, Int32Array>();

  constructor(
    entries: readonly CrossEntry[],
    private readonly source: EntrySource,
  ) {
    this.length = entries.length;
    let claims = 0;
    for (const entry of entries) if (entry.kind === 'unique') claims++;
    this.ruleOf = claims < 65536 ? new Uint16Array(claims) : new Uint32Array(claims);
    this.next = new Int32Array(claims).fill(-1);
    this.first = new Uint8Array(claims);
    this.valueStarts = new Int32Array(claims + 1);
    const ruleNumbers = new Map<string, number>();
    // While the table is made: the values as strings and their grouping by key.
    const values: string[] = [];
    const grouping = new Map<string, Map<string, number>>();
    let keys = 0;
    let n = 0;
    let offset = 0;
    let lastRule = -1;
    entries.forEach((entry, position) => {
      if (entry.kind !== 'unique') this.otherPositions.push(position);
      if (entry.kind === 'published') {
        const key = `${entry.index}\u0000${entry.value}`;
        const list = this.published.get(key);
        if (list) list.push(entry);
        else this.published.set(key, [entry]);
        this.publishedInOrder.push(entry);
        return;
      }
      if (entry.kind === 'lookup') {
        this.lookups.push(entry);
        return;
      }
      // Claims come in runs of one rule: the previous claim's rule is tried before the lookup.
      let rule = lastRule;
      const last = this.rules[lastRule];
      if (!last || !sameRule(last, entry)) {
        const ruleKey = `${entry.index}\u0000${entry.id}\u0000${entry.variant}\u0000${entry.scope}\u0000${entry.owner}\u0000${entry.label}\u0000${entry.severity ?? ''}`;
        let found = ruleNumbers.get(ruleKey);
        if (found === undefined) {
          found = this.rules.length;
          this.rules.push({ index: entry.index, id: entry.id, variant: entry.variant, scope: entry.scope, owner: entry.owner, label: entry.label, severity: entry.severity, space: `${entry.index}\u0000${entry.scope}` });
          ruleNumbers.set(ruleKey, found);
        }
        rule = found;
        lastRule = found;
      }
      const fields = this.rules[rule] as RuleFields;
      this.ruleOf[n] = rule;
      values.push(entry.value);
      offset += entry.value.length;
      this.valueStarts[n + 1] = offset;
      let inSpace = grouping.get(fields.space);
      if (!inSpace) {
        inSpace = new Map();
        grouping.set(fields.space, inSpace);
      }
      const firstOfKey = inSpace.get(entry.value);
      if (firstOfKey === undefined) {
        inSpace.set(entry.value, n);
        this.first[n] = 1;
        keys++;
      } else this.append(firstOfKey, n, fields.space, entry.value);
      n++;
    });
    this.keyCount = keys;
    this.valueText = values.join('');
    for (const [space, firsts] of grouping) {
      this.spaces.set(space, Int32Array.from(firsts.values()).sort((a, b) => compareValues(values[a] ?? '', values[b] ?? '')));
    }
  }

  /** The spaces this document claims keys in. */
  spaceNames(): IterableIterator<string> {
    return this.spaces.keys();
  }

  /** Calls `visit` with each key (value) of a space and the owner of its first claim, in entry order, until it returns true. */
  eachKey(space: string, visit: (value: string, owner: string) => boolean | void): void {
    if (!this.spaces.has(space)) return;
    for (let n = 0; n < this.first.length; n++) {
      if (this.first[n] !== 1) continue;
      const fields = this.fields(n);
      if (fields.space === space && visit(this.value(n), fields.owner) === true) return;
    }
  }

  /** The claims of a key in this document, as claim numbers in entry order. */
  claimsOf(space: string, value: string): number[] {
    const out: number[] = [];
    for (let n = this.firstClaim(space, value); n >= 0; n = this.next[n] ?? -1) out.push(n);
    return out;
  }

  has(space: string, value: string): boolean {
    return this.firstClaim(space, value) >= 0;
  }

  /** The owner of a key's first claim, or undefined when the document does not claim it. */
  ownerOf(space: string, value: string): string | undefined {
    const first = this.firstClaim(space, value);
    return first >= 0 ? this.owner(first) : undefined;
  }

  owner(claim: number): string {
    return this.fields(claim).owner;
  }

  /** A claim as an entry with its path and message values: made from the source, checked against what is kept. */
  entry(claim: number): UniqueEntry {
    const made = this.source(this.position(claim));
    const fields = this.fields(claim);
    if (made?.kind !== 'unique' || this.compareValue(claim, made.value) !== 0 || made.index !== fields.index || made.owner !== fields.owner || made.scope !== fields.scope) {
      throw new Error(`zorgtoets: de gegevens voor de controle tussen documenten veranderden bij opnieuw maken (${fields.index} ${this.value(claim)})`);
    }
    return made;
  }

  /**
   * Whether entries made now stand for the same claims, published entries and lookups as this
   * table, in the same order: then the table can stay (and its grouping with it). A claim's path
   * is not compared: it is always taken from the source, the current version. A lookup's assert
   * reads the document it was made from, so a table with lookups is never kept.
   */
  sameAs(entries: readonly CrossEntry[]): boolean {
    if (entries.length !== this.length || this.lookups.length > 0) return false;
    const published = this.publishedInOrder;
    const claims = this.first.length;
    let n = 0;
    let p = 0;
    for (const entry of entries) {
      if (entry.kind === 'unique') {
        if (n >= claims) return false;
        if (this.compareValue(n, entry.value) !== 0 || !sameRule(this.fields(n), entry)) return false;
        n++;
      } else if (entry.kind === 'published') {
        const before = published[p];
        if (!before || !samePublished(before, entry)) return false;
        p++;
      } else return false;
    }
    return n === claims && p === published.length;
  }

  private value(claim: number): string {
    return this.valueText.slice(this.valueStarts[claim] ?? 0, this.valueStarts[claim + 1] ?? 0);
  }

  /** Claim's value compared with `value` in code unit order (as `<` compares strings), without making the claim's string. */
  private compareValue(claim: number, value: string): number {
    const start = this.valueStarts[claim] ?? 0;
    const length = (this.valueStarts[claim + 1] ?? 0) - start;
    const common = Math.min(length, value.length);
    for (let i = 0; i < common; i++) {
      const difference = this.valueText.charCodeAt(start + i) - value.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return length - value.length;
  }

  /** The key's first claim, or -1. */
  private firstClaim(space: string, value: string): number {
    const sorted = this.spaces.get(space);
    if (!sorted) return -1;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const claim = sorted[middle] ?? -1;
      const order = this.compareValue(claim, value);
      if (order === 0) return claim;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Where claim n sits in the document's entry list: after n claims and the other entries before it. */
  private position(claim: number): number {
    let position = claim;
    for (const other of this.otherPositions) {
      if (other <= position) position++;
      else break;
    }
    return position;
  }

  private fields(claim: number): RuleFields {
    return this.rules[this.ruleOf[claim] ?? 0] as RuleFields;
  }

  /** Links claim n after the key's last claim; notes the key when it now has two owners in this document. */
  private append(first: number, n: number, space: string, value: string): void {
    let last = first;
    let oneOwner = true;
    const owner = this.owner(first);
    for (let k = first; k >= 0; k = this.next[k] ?? -1) {
      last = k;
      if (this.owner(k) !== owner) oneOwner = false;
    }
    this.next[last] = n;
    if (oneOwner && this.owner(n) !== owner) this.ownConflicts.push({ space, value });
  }
}

function sameRule(fields: RuleFields, entry: UniqueEntry): boolean {
  return fields.index === entry.index && fields.id === entry.id && fields.variant === entry.variant && fields.scope === entry.scope && fields.owner === entry.owner && fields.label === entry.label && fields.severity === entry.severity;
}

/** Strings in code unit order, as `<` compares them (not locale order). */
export function compareValues(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether two published entries are the same: key, place and fields. */
function samePublished(before: PublishedEntry, now: PublishedEntry): boolean {
  if (before.index !== now.index || before.value !== now.value || !samePath(before.path, now.path)) return false;
  const keys = Object.keys(now.fields);
  if (Object.keys(before.fields).length !== keys.length) return false;
  for (const key of keys) {
    const x = before.fields[key];
    // Lists and maps count as changed: a published field is nearly always a name or a number.
    if (!Object.is(x, now.fields[key]) || (typeof x === 'object' && x !== null)) return false;
  }
  return true;
}
