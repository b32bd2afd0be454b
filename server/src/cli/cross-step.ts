import { compareFindings, CrossEntryTable, type CheckOptions, type CrossInput, type Engine, type Lang } from '../engine/index.js';
import type { CrossEntry } from '../engine/cross-rules.js';
import type { DataPath, Range } from '../engine/types.js';
import type { PlainEntry } from './check-protocol.js';
import type { FileReport } from './file-report.js';

/**
 * The cross-document step of `zorgtoets check` without holding every file's data. A checked file
 * keeps its text and its cross-document entries in a compact table (cross-entry-table.ts), made
 * as soon as the file is checked (while other files are still being checked, on other threads);
 * the entries' closures — message values, an assert against another file's fields, ranges — are
 * what holds a file's whole data alive, and a run needs them only for the few files a
 * cross-document finding involves. Those files are checked again from their kept text, with the
 * same options (the engine is pure, so the entries come out the same), and the table's claims,
 * the published fields and the asserts are taken from that second check.
 * Used by the single-threaded run and by the run on worker threads alike (workers send plain data).
 */

export interface PlainParty {
  report: FileReport;
  engine: Engine;
  lang: Lang;
  text: string;
  /** The options the file was checked with, to check it again identically. */
  options: CheckOptions;
  table: CrossEntryTable;
}

/** A rule's own severity (`severity:` in the rules file) travels with its entries: the finding is made from them. */
export function plainEntry(entry: CrossEntry): PlainEntry {
  if (entry.kind === 'unique') {
    const { kind, index, id, variant, value, scope, owner, label, path, severity } = entry;
    return { kind, index, id, variant, value, scope, owner, label, path, ...(severity ? { severity } : {}) };
  }
  if (entry.kind === 'published') {
    const { kind, index, value, path } = entry;
    return { kind, index, value, path };
  }
  const { kind, index, id, variant, value, path, severity } = entry;
  return { kind, index, id, variant, value, path, ...(severity ? { severity } : {}) };
}

/** One run's cross-document step: the files taking part, and their second checks when asked. */
export class CrossStep {
  private readonly real = new Map<PlainParty, { entries: CrossEntry[]; rangeOf: (path: DataPath) => Range }>();
  /** A stand-in's fields are a token; a lookup's assert gets the publishing file's own fields. */
  private readonly publishers = new Map<Record<string, unknown>, { party: PlainParty; entry: number; value: string }>();

  /** A checked file taking part: its entries go into a table at once and are not kept. */
  party(file: Omit<PlainParty, 'table'>, entries: readonly PlainEntry[]): PlainParty {
    // The table is set below; the stand-ins' closures reach it only when the step runs.
    const party = file as PlainParty;
    const standIns = entries.map((plain, k): CrossEntry => {
      if (plain.kind === 'published') {
        const token: Record<string, unknown> = {};
        this.publishers.set(token, { party, entry: k, value: plain.value });
        return { ...plain, fields: token };
      }
      if (plain.kind === 'unique') return { ...plain, params: () => ({}) };
      return {
        ...plain,
        check: (other) => {
          const entry = this.again(party).entries[k];
          if (entry?.kind !== 'lookup' || entry.value !== plain.value) throw changedOnSecondCheck(party);
          return entry.check(this.realFields(other));
        },
      };
    });
    // A claim in a finding comes from the second check (its path, message values and severity).
    party.table = new CrossEntryTable(standIns, (position) => this.again(party).entries[position]);
    return party;
  }

  /** Adds the findings across files to the parties' reports, exactly as with the files' own entries. */
  run(parties: readonly PlainParty[]): void {
    addCrossDocumentFindings(
      parties.map((party) => {
        const input: CrossInput = {
          uri: party.report.path,
          name: party.report.path,
          ...(party.report.form ? { form: party.report.form } : {}),
          ...(party.report.year ? { year: party.report.year } : {}),
          entries: party.table,
          rangeOf: (path) => this.again(party).rangeOf(path),
        };
        return { report: party.report, engine: party.engine, lang: party.lang, input };
      }),
    );
  }

  private again(party: PlainParty): { entries: CrossEntry[]; rangeOf: (path: DataPath) => Range } {
    let known = this.real.get(party);
    if (!known) {
      // quick: the entries are wanted here, the ranges come from rangeResolver below.
      const result = party.engine.check(party.text, { ...party.options, quick: true });
      const entries = result.ours ? (result.crossEntries?.() ?? []) : [];
      // The table checks each claim it hands out against what it kept (CrossEntryTable.entry).
      if (entries.length !== party.table.length) throw changedOnSecondCheck(party);
      known = { entries, rangeOf: party.engine.rangeResolver(party.text) };
      this.real.set(party, known);
    }
    return known;
  }

  private realFields(token: Record<string, unknown>): Record<string, unknown> {
    const publisher = this.publishers.get(token);
    const entry = publisher ? this.again(publisher.party).entries[publisher.entry] : undefined;
    if (entry?.kind !== 'published' || entry.value !== publisher?.value) throw new Error('zorgtoets: gepubliceerde gegevens van een ander bestand niet gevonden');
    return entry.fields;
  }
}

/** A file whose second check made other cross-document entries than its first (the engine is meant to be pure). */
function changedOnSecondCheck(party: PlainParty): Error {
  return new Error(`zorgtoets: ${party.report.path} gaf bij een tweede controle andere gegevens voor de controle tussen bestanden`);
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
    report.findings = [...report.findings, ...extra].sort(compareFindings);
    report.summary = engine.summarize(report.findings);
  }
}
