import type { CrossEntry, LookupEntry, PublishedEntry, UniqueEntry } from './cross-rules.js';
import type { RawFinding } from './raw-finding.js';
import type { DataPath, Range } from './types.js';

/**
 * Findings that need several submissions at once: the same GP in two RHO regioplans, an offer
 * that names a RHO differently from that RHO's own plan. Pure: documents come with the entries
 * their cross rules collected and a way to turn a data path into a range. The result depends only
 * on the set of documents, not on their order, so a folder and a workspace agree.
 */

export interface CrossDocument {
  uri: string;
  /** How other documents' messages name this one (a relative path, a file name). */
  name: string;
  entries: readonly CrossEntry[];
  rangeOf: (path: DataPath) => Range;
}

/**
 * `wanted`: the documents whose findings are needed (an editor publishes only for open ones);
 * default all. The others still take part, as the documents compared with.
 */
export function crossFindings(input: readonly CrossDocument[], wanted?: ReadonlySet<string>): Map<string, RawFinding[]> {
  // In a fixed order (by name, then uri), so which file a message names first never depends on
  // the order the documents were found in.
  const documents = [...input].sort((a, b) => compare(a.name, b.name) || compare(a.uri, b.uri));
  const out = new Map<string, RawFinding[]>();
  const add = (uri: string, finding: RawFinding) => {
    const list = out.get(uri) ?? [];
    list.push(finding);
    out.set(uri, list);
  };

  const groups = documents.map((document) => groupedEntries(document.entries));
  const published = new Map<string, { document: CrossDocument; entry: PublishedEntry }[]>();
  documents.forEach((document, d) => {
    for (const [key, entries] of groups[d]?.published ?? []) {
      const list = published.get(key) ?? [];
      for (const entry of entries) list.push({ document, entry });
      published.set(key, list);
    }
  });

  // unique: index + scope + value → the entries claiming it, in document order.
  for (const key of contestedKeys(groups)) {
    const list: { document: CrossDocument; entry: UniqueEntry }[] = [];
    documents.forEach((document, d) => {
      for (const entry of groups[d]?.unique.get(key) ?? []) list.push({ document, entry });
    });
    const owners = new Set(list.map((c) => c.entry.owner));
    if (owners.size < 2) continue;
    for (const claim of list) {
      if (wanted && !wanted.has(claim.document.uri)) continue;
      const others = list.filter((c) => c.entry.owner !== claim.entry.owner);
      add(claim.document.uri, {
        id: claim.entry.id,
        variant: claim.entry.variant,
        params: {
          ...claim.entry.params(),
          waarde: claim.entry.value,
          andere_bestanden: unique(others.map((o) => o.document.name)),
          andere_organisaties: unique(others.map((o) => o.entry.label)),
        },
        path: claim.entry.path,
        range: claim.document.rangeOf(claim.entry.path),
        ...(claim.entry.severity ? { severity: claim.entry.severity } : {}),
        origin: 'rule',
        related: others.map((o) => ({
          uri: o.document.uri,
          range: o.document.rangeOf(o.entry.path),
          message: 'other-file',
          params: { bestand: o.document.name, organisatie: o.entry.label },
        })),
      });
    }
  }

  // lookup: compared with every document that published the key. Several of them are versions of
  // one submission (drafts of a plan, a questionnaire before and after): one that agrees is
  // enough; when none does, one finding names them all, with the values of the first.
  documents.forEach((document, d) => {
    if (wanted && !wanted.has(document.uri)) return;
    for (const entry of groups[d]?.lookups ?? []) {
      const targets = (published.get(`${entry.index}\u0000${entry.value}`) ?? []).filter((p) => p.document.uri !== document.uri);
      if (targets.length === 0) continue;
      const failed: { target: (typeof targets)[number]; params: RawFinding['params'] }[] = [];
      for (const target of targets) {
        const result = entry.check(target.entry.fields);
        if (result.ok) break;
        failed.push({ target, params: result.params });
      }
      const first = failed[0];
      if (!first || failed.length < targets.length) continue;
      add(document.uri, {
        id: entry.id,
        variant: entry.variant,
        params: { ...first.params, ander_bestand: unique(failed.map((f) => f.target.document.name)) },
        path: entry.path,
        range: document.rangeOf(entry.path),
        ...(entry.severity ? { severity: entry.severity } : {}),
        origin: 'rule',
        related: failed.map(({ target }) => ({ uri: target.document.uri, range: target.document.rangeOf(target.entry.path), message: 'other-file', params: { bestand: target.document.name } })),
      });
    }
  });
  return out;
}

/** One document's entries by key: what the comparison across documents looks up. */
interface GroupedEntries {
  /** index + scope + value → the document's claims of it, in entry order. */
  unique: Map<string, UniqueEntry[]>;
  /** Keys the document itself claims for two owners (two rules of one index reading different owners). */
  ownConflicts: string[];
  published: Map<string, PublishedEntry[]>;
  lookups: LookupEntry[];
}

/**
 * Grouped once per entries array: the language server hands the same array again for every
 * document that did not change (and for an edited one whose entries stayed the same), so an edit
 * of one plan among fifty regroups only that plan, or nothing.
 */
const grouped = new WeakMap<readonly CrossEntry[], GroupedEntries>();

function groupedEntries(entries: readonly CrossEntry[]): GroupedEntries {
  let group = grouped.get(entries);
  if (group) return group;
  group = { unique: new Map(), ownConflicts: [], published: new Map(), lookups: [] };
  for (const entry of entries) {
    if (entry.kind === 'unique') {
      const key = `${entry.index}\u0000${entry.scope}\u0000${entry.value}`;
      const list = group.unique.get(key);
      if (!list) group.unique.set(key, [entry]);
      else {
        if (list.every((other) => other.owner === list[0]?.owner) && entry.owner !== list[0]?.owner) group.ownConflicts.push(key);
        list.push(entry);
      }
    } else if (entry.kind === 'published') {
      const key = `${entry.index}\u0000${entry.value}`;
      const list = group.published.get(key);
      if (list) list.push(entry);
      else group.published.set(key, [entry]);
    } else group.lookups.push(entry);
  }
  grouped.set(entries, group);
  return group;
}

/**
 * The keys claimed by two owners or more can only be among those claimed by two documents or
 * within one: keys claimed once (nearly all) are never compared. Every document's keys but the
 * largest one's are counted, and the largest is only probed, so an edit of a 50,000-line plan
 * next to small ones costs the small ones' keys. In the order documents and entries come.
 */
function contestedKeys(groups: readonly GroupedEntries[]): string[] {
  let largest = -1;
  groups.forEach((group, g) => {
    if (largest < 0 || group.unique.size > (groups[largest]?.unique.size ?? 0)) largest = g;
  });
  const seen = new Map<string, number>();
  groups.forEach((group, g) => {
    if (g === largest) return;
    for (const key of group.unique.keys()) seen.set(key, (seen.get(key) ?? 0) + 1);
  });
  const big = groups[largest]?.unique;
  const contested = new Set<string>();
  for (const [key, count] of seen) if (count >= 2 || big?.has(key)) contested.add(key);
  for (const group of groups) for (const key of group.ownConflicts) contested.add(key);
  if (contested.size === 0) return [];
  const ordered: string[] = [];
  for (const group of groups) {
    for (const key of group.unique.keys()) {
      if (contested.delete(key)) ordered.push(key);
      if (contested.size === 0) return ordered;
    }
  }
  return ordered;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
