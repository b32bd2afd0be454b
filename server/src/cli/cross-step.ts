import type { CheckOptions, CrossInput, Engine, Lang } from '../engine/index.js';
import type { CrossEntry } from '../engine/cross-rules.js';
import type { DataPath, Range } from '../engine/types.js';
import type { PlainEntry } from './check-protocol.js';
import type { FileReport } from './file-report.js';

/**
 * The cross-document step of `zorgtoets check` without holding every file's data. A checked file
 * keeps its text and its cross-document entries as plain data (value, owner, path…); the entries'
 * closures — message values, an assert against another file's fields, ranges — are what holds a
 * file's whole data alive, and a run needs them only for the few files a cross-document finding
 * involves. Those files are checked again from their kept text, with the same options (the engine
 * is pure, so the entries come out the same), and the step runs over stand-ins that ask them.
 * Used by the single-threaded run and by the run on worker threads alike (workers send plain data).
 */

export interface PlainParty {
  report: FileReport;
  engine: Engine;
  lang: Lang;
  text: string;
  /** The options the file was checked with, to check it again identically. */
  options: CheckOptions;
  entries: PlainEntry[];
}

export function plainEntry(entry: CrossEntry): PlainEntry {
  if (entry.kind === 'unique') {
    const { kind, index, id, variant, value, scope, owner, label, path } = entry;
    return { kind, index, id, variant, value, scope, owner, label, path };
  }
  if (entry.kind === 'published') {
    const { kind, index, value, path } = entry;
    return { kind, index, value, path };
  }
  const { kind, index, id, variant, value, path } = entry;
  return { kind, index, id, variant, value, path };
}

/** Adds the findings across files to the parties' reports, exactly as with the files' own entries. */
export function crossStep(parties: readonly PlainParty[]): void {
  const real = new Map<PlainParty, { entries: CrossEntry[]; rangeOf: (path: DataPath) => Range }>();
  const again = (party: PlainParty) => {
    let known = real.get(party);
    if (!known) {
      // quick: the entries are wanted here, the ranges come from rangeResolver below.
      const result = party.engine.check(party.text, { ...party.options, quick: true });
      const entries = result.ours ? (result.crossEntries?.() ?? []) : [];
      const same = entries.length === party.entries.length && entries.every((entry, i) => entry.kind === party.entries[i]?.kind && entry.value === party.entries[i]?.value);
      if (!same) throw new Error(`zorgtoets: ${party.report.path} gaf bij een tweede controle andere gegevens voor de controle tussen bestanden`);
      known = { entries, rangeOf: party.engine.rangeResolver(party.text) };
      real.set(party, known);
    }
    return known;
  };
  // A stand-in's fields are a token; a lookup's assert gets the publishing file's own fields.
  const publishers = new Map<Record<string, unknown>, { party: PlainParty; entry: number }>();
  const realFields = (token: Record<string, unknown>): Record<string, unknown> => {
    const publisher = publishers.get(token);
    const entry = publisher ? again(publisher.party).entries[publisher.entry] : undefined;
    if (entry?.kind !== 'published') throw new Error('zorgtoets: gepubliceerde gegevens van een ander bestand niet gevonden');
    return entry.fields;
  };

  const crossParties: CrossParty[] = parties.map((party) => {
    const entries = party.entries.map((plain, k): CrossEntry => {
      if (plain.kind === 'published') {
        const token: Record<string, unknown> = {};
        publishers.set(token, { party, entry: k });
        return { ...plain, fields: token };
      }
      if (plain.kind === 'unique') {
        return {
          ...plain,
          params: () => {
            const entry = again(party).entries[k];
            return entry?.kind === 'unique' ? entry.params() : {};
          },
        };
      }
      return {
        ...plain,
        check: (other) => {
          const entry = again(party).entries[k];
          return entry?.kind === 'lookup' ? entry.check(realFields(other)) : { ok: true, params: {} };
        },
      };
    });
    const input: CrossInput = {
      uri: party.report.path,
      name: party.report.path,
      ...(party.report.form ? { form: party.report.form } : {}),
      ...(party.report.year ? { year: party.report.year } : {}),
      entries,
      rangeOf: (path) => again(party).rangeOf(path),
    };
    return { report: party.report, engine: party.engine, lang: party.lang, input };
  });
  addCrossDocumentFindings(crossParties);
}

/** A checked file taking part in cross-document checks, with entries to ask. */
export interface CrossParty {
  report: FileReport;
  input: CrossInput;
  engine: Engine;
  lang: Lang;
}

/** Adds the findings across files to their reports, sorted in with the file's own. */
export function addCrossDocumentFindings(parties: readonly CrossParty[]): void {
  const first = parties[0];
  if (!first) return;
  const cross = first.engine.crossCheck(
    parties.map((p) => p.input),
    first.lang,
  );
  for (const { report, engine } of parties) {
    const extra = cross.get(report.path);
    if (!extra || extra.length === 0) continue;
    report.findings = [...report.findings, ...extra].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.id.localeCompare(b.id),
    );
    report.summary = engine.summarize(report.findings);
  }
}
