import { CrossEntryTable, type CheckOptions, type CheckResult, type CrossEntry, type CrossInput, type DataPath, type Engine, type Finding, type Lang, type Range } from '../engine/index.js';

/** The options a document's cross entries were made with: made again identically when needed. */
export type CrossOptions = Pick<CheckOptions, 'today' | 'peildatum'>;

/**
 * The cross-document side of the language server: what each submission of the workspace
 * contributes to the checks across documents (VGZ-RHO-05, ZT-XDOC), and the findings across them,
 * as the CLI computes them for the files of one run. Open documents count with their current
 * text, the others with their saved file. Per document it keeps only its cross entries, its text
 * (ranges are resolved only for entries that end up in a finding) and the engine and language it
 * was checked with; a document without cross entries is not kept at all. No I/O here.
 */

interface Party {
  uri: string;
  /** How other documents' messages name it: its path relative to the workspace folder. */
  name: string;
  form?: string;
  year?: number;
  /**
   * Made on first need (see CheckedParty.entries), then kept in a table without their data: an
   * entry per GP and per practice (a 10,000-line regioplan has ~6,000) whose message values and
   * path are made again from the text for the few that end up in a finding (cross-entry-table.ts).
   */
  entries: CrossEntryTable | (() => readonly CrossEntry[]);
  /** The table of the document's version before, kept if the new entries are the same. */
  before?: CrossEntryTable;
  ranges: RangeSource;
  engine: Engine;
  lang: Lang;
  /** From the editor: the saved file does not replace it until the document is closed. */
  open: boolean;
  /** The entries made again from the text, for the params of the few that end up in a finding. */
  again: Reproduction;
}

/**
 * A document's cross entries made again from its text, for the paths and message values of its
 * claims that end up in a finding. Kept while findings keep asking for them (a saved plan that
 * shares practices with the one being edited is asked on every edit), let go after a computation
 * of the findings that did not ask: only documents in a conflict hold their entries.
 */
class Reproduction {
  private made: readonly CrossEntry[] | undefined;
  private asked = false;

  constructor(
    private readonly engine: Engine,
    private readonly text: string,
    private readonly options: CrossOptions,
  ) {}

  entries(): readonly CrossEntry[] {
    this.asked = true;
    this.made ??= this.engine.crossEntriesOf(this.text, this.options).entries;
    return this.made;
  }

  /** After the findings are computed: keeps the entries only if they were asked for this time. */
  releaseUnasked(): void {
    if (!this.asked) this.made = undefined;
    this.asked = false;
  }
}

/**
 * Ranges of one document's data paths. Right after a check the result's yaml tree answers; once
 * the findings are computed that tree is let go, and a path not asked before parses the text.
 * Ranges once found are kept: the text they belong to does not change (a new text is a new source).
 */
class RangeSource {
  private readonly known = new Map<string, Range>();

  constructor(
    private readonly engine: Engine,
    private readonly text: string,
    private resolve: ((path: DataPath) => Range) | undefined,
  ) {}

  rangeOf(path: DataPath): Range {
    const key = JSON.stringify(path);
    let range = this.known.get(key);
    if (!range) {
      this.resolve ??= this.engine.rangeResolver(this.text);
      range = this.resolve(path);
      this.known.set(key, range);
    }
    return range;
  }

  /** Drops the yaml tree (the check's, or one parsed for a range): only found ranges stay. */
  release(): void {
    this.resolve = undefined;
  }
}

/** What a document brings: its cross entries, the text they come from, and the setup it was read with. */
export interface CheckedParty {
  uri: string;
  name: string;
  form?: string;
  year?: number;
  /**
   * The document's cross entries, or how to make them: an open document's are made only when
   * another document takes part too (collecting them costs ~35 ms per edit of a 50,000-line plan,
   * wasted while it is the only submission around).
   */
  entries: readonly CrossEntry[] | (() => readonly CrossEntry[]);
  text: string;
  /** Ranges from the yaml tree of a check just made (valid until the document's next check). */
  rangeOf?: (path: DataPath) => Range;
  engine: Engine;
  lang: Lang;
  open: boolean;
  /** What the entries were made with, to make them again from the text (see `detached`). */
  options: CrossOptions;
}

/** An open document's check as a party: its entries, and ranges from its tree while it is current. */
export function partyOfCheck(uri: string, name: string, result: CheckResult, text: string, engine: Engine, lang: Lang, options: CrossOptions): CheckedParty {
  const collect = result.crossEntries;
  return {
    uri,
    name,
    ...(result.form ? { form: result.form } : {}),
    ...(result.year ? { year: result.year } : {}),
    entries: result.ours && collect ? () => collect() : [],
    text,
    ...(result.parsed.doc ? { rangeOf: engine.rangesOf(result) } : {}),
    engine,
    lang,
    open: true,
    options,
  };
}

export class WorkspaceIndex {
  private readonly parties = new Map<string, Party>();
  private findings = new Map<string, Finding[]>();
  private dirty = false;

  /** How many documents take part (have cross entries). */
  get size(): number {
    return this.parties.size;
  }

  /**
   * Records what a checked document contributes. A document from disk does not replace the open
   * one of the same uri: the editor's text is what the consultant sees.
   */
  update(checked: CheckedParty): void {
    const existing = this.parties.get(checked.uri);
    if (!checked.open && existing?.open) return;
    const { entries } = checked;
    if (typeof entries !== 'function' && entries.length === 0) {
      this.remove(checked.uri);
      return;
    }
    const again = new Reproduction(checked.engine, checked.text, checked.options);
    // Kept entries make their params from whichever version is current (see settle).
    const before = existing && existing.engine === checked.engine ? (typeof existing.entries === 'function' ? existing.before : existing.entries) : undefined;
    this.parties.set(checked.uri, {
      uri: checked.uri,
      name: checked.name,
      ...(checked.form ? { form: checked.form } : {}),
      ...(checked.year ? { year: checked.year } : {}),
      entries: typeof entries === 'function' ? entries : this.detached(checked.uri, entries, before),
      ...(before && typeof entries === 'function' ? { before } : {}),
      again,
      // An open document's tree stays valid until its next check, which replaces this source.
      ranges: new RangeSource(checked.engine, checked.text, checked.rangeOf),
      engine: checked.engine,
      lang: checked.lang,
      open: checked.open,
    });
    this.dirty = true;
  }

  /**
   * A document's entries in a table, without their data. When they are the same as its version
   * before (an edit that changed no key or owner: nearly every keystroke), that version's table is
   * kept, grouped already. Paths and message values always come from the current version's text
   * (the engine is pure: the same entries, in the same order, made again).
   */
  private detached(uri: string, entries: readonly CrossEntry[], before: CrossEntryTable | undefined): CrossEntryTable {
    if (before?.sameAs(entries)) return before;
    return new CrossEntryTable(entries, (position) => this.parties.get(uri)?.again.entries()[position]);
  }

  /** A document leaves (deleted, closed without a saved file, no longer a submission). */
  remove(uri: string): void {
    if (this.parties.delete(uri)) this.dirty = true;
  }

  /** An open document was closed: from now on its saved file counts (the caller indexes it). */
  closed(uri: string): void {
    const party = this.parties.get(uri);
    if (party?.open) this.remove(uri);
  }

  /** Before the workspace is scanned again: forget every document that is not open. */
  removeSaved(): void {
    for (const [uri, party] of this.parties) if (!party.open) this.remove(uri);
  }

  /** Nothing is kept for anyone (the settings or configuration changed: every document is checked anew). */
  clear(): void {
    if (this.parties.size > 0) this.dirty = true;
    this.parties.clear();
  }

  /**
   * Computes the findings across documents again if anything changed since the last time, and
   * returns the uris whose findings differ from before (to publish again). Only the open
   * documents' findings are computed: nothing is published for the others.
   */
  settle(): string[] {
    if (!this.dirty) return [];
    this.dirty = false;
    const parties = [...this.parties.values()];
    const next = new Map<string, Finding[]>();
    const wanted = new Set(parties.filter((p) => p.open).map((p) => p.uri));
    if (parties.length >= 2 && wanted.size > 0) {
      for (const party of parties) {
        // Made now that another document takes part; kept without the data they were made from.
        if (typeof party.entries === 'function') {
          party.entries = this.detached(party.uri, party.entries(), party.before);
          delete party.before;
        }
      }
      const inputs: CrossInput[] = parties.map((party) => ({
        uri: party.uri,
        name: party.name,
        ...(party.form ? { form: party.form } : {}),
        ...(party.year ? { year: party.year } : {}),
        entries: party.entries as CrossEntryTable,
        rangeOf: (path) => party.ranges.rangeOf(path),
      }));
      // Each document's findings in its own engine and language (its configuration's); almost
      // always one group.
      const groups = new Map<Engine, Map<Lang, Party[]>>();
      for (const party of parties) {
        if (!party.open) continue;
        const byLang = groups.get(party.engine) ?? new Map<Lang, Party[]>();
        byLang.set(party.lang, [...(byLang.get(party.lang) ?? []), party]);
        groups.set(party.engine, byLang);
      }
      for (const [engine, byLang] of groups) {
        for (const [lang, members] of byLang) {
          const out = engine.crossCheck(inputs, lang, new Set(members.map((m) => m.uri)));
          for (const member of members) {
            const found = out.get(member.uri);
            if (found && found.length > 0) next.set(member.uri, found);
          }
        }
      }
    }
    for (const party of parties) {
      party.ranges.release();
      party.again.releaseUnasked();
    }
    const changed: string[] = [];
    for (const uri of new Set([...this.findings.keys(), ...next.keys()])) {
      if (fingerprint(this.findings.get(uri)) !== fingerprint(next.get(uri))) changed.push(uri);
    }
    this.findings = next;
    return changed;
  }

  /** The findings across documents for one document, as of the last `settle`. */
  findingsFor(uri: string): Finding[] {
    return this.findings.get(uri) ?? [];
  }
}

/** What a publish shows of the findings, as one string to compare (positions, IDs, texts, related places). */
function fingerprint(findings: readonly Finding[] | undefined): string {
  const at = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  return (findings ?? []).map((f) => `${f.id}|${f.severity}|${at(f.range)}|${f.message}|${(f.related ?? []).map((r) => `${r.uri ?? ''}@${at(r.range)}`).join(',')}`).join('\n');
}
