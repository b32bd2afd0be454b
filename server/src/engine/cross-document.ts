import { compareValues, CrossEntryTable } from './cross-entry-table.js';
import type { CrossEntry, PublishedEntry } from './cross-rules.js';
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
  /** Its entries: as made, or already in a table (the language server keeps tables, see cross-entry-table.ts). */
  entries: readonly CrossEntry[] | CrossEntryTable;
  rangeOf: (path: DataPath) => Range;
}

/**
 * `wanted`: the documents whose findings are needed (an editor publishes only for open ones);
 * default all. The others still take part, as the documents compared with.
 */
export function crossFindings(input: readonly CrossDocument[], wanted?: ReadonlySet<string>): Map<string, RawFinding[]> {
  // In a fixed order (by name, then uri), so which file a message names first never depends on
  // the order the documents were found in.
  const documents = [...input].sort((a, b) => compareValues(a.name, b.name) || compareValues(a.uri, b.uri));
  const out = new Map<string, RawFinding[]>();
  const add = (uri: string, finding: RawFinding) => {
    const list = out.get(uri) ?? [];
    list.push(finding);
    out.set(uri, list);
  };

  const tables = documents.map((document) => tableOf(document.entries));
  const published = new Map<string, { document: CrossDocument; entry: PublishedEntry }[]>();
  documents.forEach((document, d) => {
    for (const [key, entries] of tables[d]?.published ?? []) {
      const list = published.get(key) ?? [];
      for (const entry of entries) list.push({ document, entry });
      published.set(key, list);
    }
  });

  // unique: index + scope + value → the claims of it, in document order. Only claims of keys with
  // two owners or more become entries (with their paths and message values).
  for (const { space, value } of contestedKeys(tables)) {
    const claims: { document: CrossDocument; table: CrossEntryTable; claim: number }[] = [];
    documents.forEach((document, d) => {
      const table = tables[d] as CrossEntryTable;
      for (const claim of table.claimsOf(space, value)) claims.push({ document, table, claim });
    });
    const owners = new Set(claims.map((c) => c.table.owner(c.claim)));
    if (owners.size < 2) continue;
    const list = claims.map((c) => ({ document: c.document, entry: c.table.entry(c.claim) }));
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
    for (const entry of tables[d]?.lookups ?? []) {
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

/**
 * Entries as made are put in a table once per entries array: a caller that hands the same array
 * again (a batch run's stand-ins, a test) is not grouped twice. The language server keeps tables
 * itself, one per document version whose entries changed.
 */
const tables = new WeakMap<readonly CrossEntry[], CrossEntryTable>();

function tableOf(entries: readonly CrossEntry[] | CrossEntryTable): CrossEntryTable {
  if (entries instanceof CrossEntryTable) return entries;
  let table = tables.get(entries);
  if (!table) {
    table = new CrossEntryTable(entries, (position) => entries[position]);
    tables.set(entries, table);
  }
  return table;
}

/**
 * The keys claimed by two owners or more. Each document's keys but the largest one's are counted
 * with the owner claiming them, and the largest is only probed, so an edit of a 50,000-line plan
 * next to small ones costs the small ones' keys. Documents of one owner (versions of one plan)
 * share nearly all keys: counting owners rather than documents keeps those keys out of the
 * comparison. In the order documents and their keys come.
 */
function contestedKeys(tables: readonly CrossEntryTable[]): readonly { space: string; value: string }[] {
  let largest = -1;
  tables.forEach((table, t) => {
    if (largest < 0 || table.keyCount > (tables[largest]?.keyCount ?? 0)) largest = t;
  });
  const big = tables[largest];
  if (!big) return [];
  const known = lastContested.get(big);
  if (known && known.tables.length === tables.length && known.tables.every((table, t) => table === tables[t])) return known.keys;
  const keys = countContested(tables, largest);
  lastContested.set(big, { tables: [...tables], keys });
  return keys;
}

/**
 * The last contested keys found with a table as the largest, and the tables they were found
 * among. Tables never change, so the same tables give the same keys: typing that changes no
 * claimed value (nearly all typing) keeps every table (see CrossEntryTable.sameAs), and the
 * comparison of thousands of keys across the workspace is not repeated on every keystroke.
 */
const lastContested = new WeakMap<CrossEntryTable, { tables: readonly CrossEntryTable[]; keys: readonly { space: string; value: string }[] }>();

function countContested(tables: readonly CrossEntryTable[], largest: number): { space: string; value: string }[] {
  // space → value → the one owner claiming it so far, or null once a second owner claims it.
  const seen = new Map<string, Map<string, string | null>>();
  tables.forEach((table, t) => {
    if (t === largest) return;
    for (const space of table.spaceNames()) {
      let owners = seen.get(space);
      if (!owners) {
        owners = new Map();
        seen.set(space, owners);
      }
      const inSpace = owners;
      // A key a document claims for two owners is among its ownConflicts, marked below; the
      // owner of its first claim stands for it here.
      table.eachKey(space, (value, owner) => {
        const before = inSpace.get(value);
        if (before === undefined) inSpace.set(value, owner);
        else if (before !== null && before !== owner) inSpace.set(value, null);
      });
    }
  });
  const big = tables[largest];
  const contested = new Map<string, Set<string>>();
  let open = 0;
  const mark = (space: string, value: string) => {
    let values = contested.get(space);
    if (!values) {
      values = new Set();
      contested.set(space, values);
    }
    if (!values.has(value)) {
      values.add(value);
      open++;
    }
  };
  for (const [space, owners] of seen) {
    for (const [value, owner] of owners) {
      if (owner === null) mark(space, value);
      else {
        const bigOwner = big?.ownerOf(space, value);
        if (bigOwner !== undefined && bigOwner !== owner) mark(space, value);
      }
    }
  }
  for (const table of tables) for (const { space, value } of table.ownConflicts) mark(space, value);
  const ordered: { space: string; value: string }[] = [];
  for (const table of tables) {
    for (const space of table.spaceNames()) {
      const wantedHere = contested.get(space);
      if (!wantedHere || wantedHere.size === 0) continue;
      table.eachKey(space, (value) => {
        if (!wantedHere.delete(value)) return false;
        ordered.push({ space, value });
        return --open === 0;
      });
      if (open === 0) return ordered;
    }
  }
  return ordered;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
