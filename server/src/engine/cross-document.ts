import type { CrossEntry, PublishedEntry, UniqueEntry } from './cross-rules.js';
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

  // unique: index + scope + value → the entries claiming it, per document.
  const claims = new Map<string, { document: CrossDocument; entry: UniqueEntry }[]>();
  const published = new Map<string, { document: CrossDocument; entry: PublishedEntry }[]>();
  for (const document of documents) {
    for (const entry of document.entries) {
      if (entry.kind === 'unique') {
        const key = `${entry.index}\u0000${entry.scope}\u0000${entry.value}`;
        const list = claims.get(key);
        if (list) list.push({ document, entry });
        else claims.set(key, [{ document, entry }]);
      } else if (entry.kind === 'published') {
        const key = `${entry.index}\u0000${entry.value}`;
        const list = published.get(key) ?? [];
        list.push({ document, entry });
        published.set(key, list);
      }
    }
  }

  for (const list of claims.values()) {
    // Nearly every value is claimed once (a batch has a hundred thousand GPs): nothing to compare.
    if (list.length < 2) continue;
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
  for (const document of documents) {
    if (wanted && !wanted.has(document.uri)) continue;
    for (const entry of document.entries) {
      if (entry.kind !== 'lookup') continue;
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
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
