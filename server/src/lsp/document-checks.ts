import type { CheckResult, ComplianceSummary, Engine, Finding, Lang } from '../engine/index.js';
import { complianceSummary } from '../engine/index.js';

/**
 * The checks of open documents: debounced per document, run one at a time with the event loop
 * free in between (so new edits and requests are seen), always on the document's latest text.
 * Keeps per document only what later requests need (findings, summary); the full result with
 * its yaml tree only for the few most recent documents, so fifty open files stay small.
 */

export interface DocumentSource {
  /** The current text and version of an open document, or undefined when it is closed. */
  get(uri: string): { text: string; version: number } | undefined;
}

export interface CheckedDocument {
  uri: string;
  version: number;
  ours: boolean;
  findings: Finding[];
  summary: ComplianceSummary | null;
}

export interface CheckSettings {
  debounceMs: number;
  /** The language of a document's messages (its configuration's, or the editor setting). */
  lang(uri: string): Lang;
  /** `uri` lets the engine re-parse only what changed since the document's previous version. */
  check(engine: Engine, text: string, uri: string): CheckResult;
}

/** How many full results (with the yaml tree) to keep, for hover and outline on the active files. */
const FULL_RESULTS = 2;

export class DocumentChecks {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queue: string[] = [];
  private pumping = false;
  private readonly checked = new Map<string, CheckedDocument>();
  private readonly full: { uri: string; version: number; result: CheckResult }[] = [];
  /** Versions whose diagnostics were published, so a result is published once. */
  private readonly published = new Map<string, number>();
  /** Documents we published findings for: a later "not ours" must clear them. */
  private readonly hadFindings = new Set<string>();

  constructor(
    private readonly source: DocumentSource,
    /** The engine for a document (its `.zorgtoets.yaml` decides the extra rules); may throw for a broken configuration. */
    private engine: (uri: string) => Engine,
    private readonly settings: () => CheckSettings,
    private readonly publish: (document: CheckedDocument, clear: boolean) => void,
    /** `failed`: no result at all (the engine could not run), so nothing was published for this version. */
    private readonly onError: (uri: string, version: number, error: unknown, failed: boolean) => void,
  ) {}

  /** A document opened or changed: check it after the debounce; earlier pending work for it is dropped. */
  schedule(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    const delay = this.settings().debounceMs;
    if (delay <= 0) {
      this.timers.delete(uri);
      this.enqueue(uri);
      return;
    }
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.enqueue(uri);
      }, delay),
    );
  }

  close(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.checked.delete(uri);
    this.published.delete(uri);
    this.dropFull(uri);
    try {
      this.engine(uri).forget(uri);
    } catch {
      // No engine for this document (a broken configuration): nothing was parsed incrementally.
    }
    if (this.hadFindings.delete(uri)) this.publish({ uri, version: 0, ours: false, findings: [], summary: null }, true);
  }

  /** Settings or extra rules changed: every open document again. */
  recheckAll(uris: Iterable<string>): void {
    this.checked.clear();
    this.full.length = 0;
    this.published.clear();
    for (const uri of uris) this.schedule(uri);
  }

  /** The check of the document's current version, computed now if needed (requests cannot wait for the debounce). */
  current(uri: string): CheckedDocument | undefined {
    const doc = this.source.get(uri);
    if (!doc) return undefined;
    const known = this.checked.get(uri);
    if (known && known.version === doc.version) return known;
    return this.run(uri, doc)?.checked;
  }

  /** The full result (with the yaml tree) of the current version, for hover and outline. */
  currentFull(uri: string): CheckResult | undefined {
    const doc = this.source.get(uri);
    if (!doc) return undefined;
    const cached = this.full.find((f) => f.uri === uri && f.version === doc.version);
    if (cached) return cached.result;
    return this.run(uri, doc)?.result;
  }

  private enqueue(uri: string): void {
    if (!this.queue.includes(uri)) this.queue.push(uri);
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.queue.length === 0) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      const uri = this.queue.shift();
      try {
        if (uri !== undefined) {
          const doc = this.source.get(uri);
          if (doc) {
            const known = this.checked.get(uri);
            if (known && known.version === doc.version) this.publishOnce(known);
            else this.run(uri, doc);
          }
        }
      } catch (error) {
        // Publishing failed (run() catches its own errors): reported, and the queue goes on.
        if (uri !== undefined) this.onError(uri, this.source.get(uri)?.version ?? 0, error, true);
      } finally {
        this.pump();
      }
    });
  }

  private run(uri: string, doc: { text: string; version: number }): { checked: CheckedDocument; result: CheckResult } | undefined {
    let result: CheckResult;
    let checked: CheckedDocument;
    try {
      result = this.settings().check(this.engine(uri), doc.text, uri);
      if (result.internalError !== undefined) this.onError(uri, doc.version, result.internalError, false);
      checked = {
        uri,
        version: doc.version,
        ours: result.ours,
        findings: result.findings,
        summary: result.ours ? complianceSummary(this.engine(uri), result, this.settings().lang(uri)) : null,
      };
    } catch (error) {
      // Engine.check does not throw; this is the last line of defence (e.g. the engine failed to load).
      this.onError(uri, doc.version, error, true);
      return undefined;
    }
    this.checked.set(uri, checked);
    this.dropFull(uri);
    this.full.unshift({ uri, version: doc.version, result });
    if (this.full.length > FULL_RESULTS) this.full.length = FULL_RESULTS;
    this.publishOnce(checked);
    return { checked, result };
  }

  private publishOnce(checked: CheckedDocument): void {
    if (this.published.get(checked.uri) === checked.version) return;
    this.published.set(checked.uri, checked.version);
    const pending = this.timers.get(checked.uri);
    // A request computed this version before its timer fired: the timer has nothing left to do.
    if (pending && this.source.get(checked.uri)?.version === checked.version) {
      clearTimeout(pending);
      this.timers.delete(checked.uri);
    }
    if (!checked.ours) {
      // Not a zorgtoets file: nothing from us, except clearing what we said before it stopped being one.
      if (this.hadFindings.delete(checked.uri)) this.publish(checked, true);
      return;
    }
    this.hadFindings.add(checked.uri);
    this.publish(checked, false);
  }

  private dropFull(uri: string): void {
    for (let i = this.full.length - 1; i >= 0; i--) if (this.full[i]?.uri === uri) this.full.splice(i, 1);
  }
}

