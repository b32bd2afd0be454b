import type { CrossEntry, LookupEntry, PublishedEntry, UniqueEntry } from './cross-rules.js';
import { samePath } from './paths.js';
import type { Severity } from './types.js';

/**
 * One document's cross entries, grouped for the comparison across documents and kept compactly.
 *
 * A 10,000-line regioplan claims ~6,000 GP and practice numbers. Kept as entry objects (each with
 * its path, grouped under composite key strings in one-element lists) that was ~2.6 MB per
 * document, held for every submission in the workspace. Here a claim is a number: its value
 * string (also the key it is grouped under), its rule's shared fields by number, its position in
 * the document's entry list, and a link to the next claim of the same key — ~90 bytes. What a
 * finding needs beyond that (the claim's path, its message values) comes from `source`: the
 * document's entries made again on demand (the language server), or the entries themselves (a
 * batch run, a test), asked only for the few claims that end up in a finding.
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
  /** space (index + scope) → value → the key's first claim. */
  readonly unique = new Map<string, Map<string, number>>();
  /** Keys the document itself claims for two owners (two rules of one index reading different owners). */
  readonly ownConflicts: { space: string; value: string }[] = [];
  /** index + value → what the document published under it. */
  readonly published = new Map<string, PublishedEntry[]>();
  readonly lookups: LookupEntry[] = [];
  /** How many distinct keys the document claims. */
  readonly keyCount: number;

  private readonly values: string[] = [];
  /** The published entries in entry order (to compare a new version with). */
  private readonly publishedInOrder: PublishedEntry[] = [];
  private readonly rules: RuleFields[] = [];
  private readonly ruleOf: Uint16Array | Uint32Array;
  private readonly positions: Int32Array;
  /** The next claim of the same key, or -1. */
  private readonly next: Int32Array;

  constructor(
    entries: readonly CrossEntry[],
    private readonly source: EntrySource,
  ) {
    this.length = entries.length;
    let claims = 0;
    for (const entry of entries) if (entry.kind === 'unique') claims++;
    this.ruleOf = claims < 65536 ? new Uint16Array(claims) : new Uint32Array(claims);
    this.positions = new Int32Array(claims);
    this.next = new Int32Array(claims).fill(-1);
    const ruleNumbers = new Map<string, number>();
    let keys = 0;
    let n = 0;
    entries.forEach((entry, position) => {
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
      const ruleKey = `${entry.index}\u0000${entry.id}\u0000${entry.variant}\u0000${entry.scope}\u0000${entry.owner}\u0000${entry.label}\u0000${entry.severity ?? ''}`;
      let rule = ruleNumbers.get(ruleKey);
      if (rule === undefined) {
        rule = this.rules.length;
        this.rules.push({ index: entry.index, id: entry.id, variant: entry.variant, scope: entry.scope, owner: entry.owner, label: entry.label, severity: entry.severity, space: `${entry.index}\u0000${entry.scope}` });
        ruleNumbers.set(ruleKey, rule);
      }
      const fields = this.rules[rule] as RuleFields;
      this.ruleOf[n] = rule;
      this.positions[n] = position;
      this.values.push(entry.value);
      let inSpace = this.unique.get(fields.space);
      if (!inSpace) {
        inSpace = new Map();
        this.unique.set(fields.space, inSpace);
      }
      const first = inSpace.get(entry.value);
      if (first === undefined) {
        inSpace.set(entry.value, n);
        keys++;
      } else this.append(first, n, fields.space, entry.value);
      n++;
    });
    this.keyCount = keys;
  }

  /** The claims of a key in this document, as claim numbers in entry order. */
  claimsOf(space: string, value: string): number[] {
    const out: number[] = [];
    for (let n = this.unique.get(space)?.get(value) ?? -1; n >= 0; n = this.next[n] ?? -1) out.push(n);
    return out;
  }

  has(space: string, value: string): boolean {
    return this.unique.get(space)?.has(value) ?? false;
  }

  owner(claim: number): string {
    return this.fields(claim).owner;
  }

  /** A claim as an entry with its path and message values: made from the source, checked against what is kept. */
  entry(claim: number): UniqueEntry {
    const position = this.positions[claim] ?? -1;
    const made = this.source(position);
    const fields = this.fields(claim);
    if (made?.kind !== 'unique' || made.value !== this.values[claim] || made.index !== fields.index || made.owner !== fields.owner || made.scope !== fields.scope) {
      throw new Error(`zorgtoets: de gegevens voor de controle tussen documenten veranderden bij opnieuw maken (${fields.index} ${this.values[claim] ?? ''})`);
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
    let n = 0;
    let p = 0;
    for (const entry of entries) {
      if (entry.kind === 'unique') {
        if (n >= this.values.length) return false;
        const fields = this.fields(n);
        if (entry.value !== this.values[n] || entry.index !== fields.index || entry.id !== fields.id || entry.variant !== fields.variant || entry.scope !== fields.scope || entry.owner !== fields.owner || entry.label !== fields.label || entry.severity !== fields.severity) return false;
        n++;
      } else if (entry.kind === 'published') {
        const before = published[p];
        if (!before || !samePublished(before, entry)) return false;
        p++;
      } else return false;
    }
    return n === this.values.length && p === published.length;
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
