import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Lang } from '../engine/index.js';
import { SOURCE } from './convert.js';

/**
 * Internal errors the language server meets (a check that could not run, a request handler that
 * threw): never silence. Each is logged with its context — the document's uri and version, what
 * the server was doing, the stack — and the document gets one visible ZT-INTERNAL diagnostic,
 * "zorgtoets kon dit bestand niet controleren", next to what was published for it before.
 *
 * The wording is the catalogue's (ZT-INTERNAL, variant default), written out here because the
 * catalogue may be exactly what failed to load.
 */

export interface InternalErrorContext {
  uri?: string;
  version?: number;
  /** What the server was doing: "controle", "hover", "completion", … */
  during: string;
}

/** Marks our own fallback diagnostic, so a document carries at most one. */
const MARKER = 'zorgtoets-internal';

export function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? message;
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/** One log entry: context first (uri, version, activity), then the stack. */
export function logEntry(context: InternalErrorContext, error: unknown): string {
  const where = context.uri ? ` van ${context.uri}${context.version !== undefined ? ` (versie ${context.version})` : ''}` : '';
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return `zorgtoets: interne fout bij ${context.during}${where}: ${stack}`;
}

export function internalErrorDiagnostic(context: InternalErrorContext, error: unknown, lang: Lang): Diagnostic {
  const detail = context.during === 'controle' ? detailOf(error) : `${context.during}: ${detailOf(error)}`;
  const message =
    lang === 'en'
      ? `zorgtoets could not check this file (${detail}); see the log`
      : `zorgtoets kon dit bestand niet controleren (${detail}); zie het log`;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    code: 'ZT-INTERNAL',
    source: SOURCE,
    message,
    data: MARKER,
  };
}

export function isInternalErrorDiagnostic(diagnostic: Diagnostic): boolean {
  return diagnostic.data === MARKER;
}

/**
 * What was last published per document, so an internal error met later (in a request) can be
 * added to it rather than replacing the findings the user is working with.
 */
export class PublishedDiagnostics {
  private readonly byUri = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();

  set(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0) this.byUri.delete(uri);
    else this.byUri.set(uri, { ...(version !== undefined ? { version } : {}), diagnostics });
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }

  /** The document's diagnostics with exactly one internal-error diagnostic: the new one. */
  withInternalError(uri: string, diagnostic: Diagnostic): { version?: number; diagnostics: Diagnostic[] } {
    const known = this.byUri.get(uri);
    const kept = (known?.diagnostics ?? []).filter((d) => !isInternalErrorDiagnostic(d));
    return { ...(known?.version !== undefined ? { version: known.version } : {}), diagnostics: [diagnostic, ...kept] };
  }
}
