import type { MessageParams } from './raw-finding.js';
import type { DataPath } from './types.js';

/**
 * Reporting a block of checks under another requirement: a form that reuses a shared block of
 * conditions once per item (a.s.r.'s kraamzorg conditions for each kraamzorg provider of an IGO)
 * reports what fails inside that item under its own requirement ID, naming the item and the
 * underlying requirement. The finding keeps the underlying ID, message variant and values, so the
 * message can show both and SARIF can carry the underlying ID.
 */

/** The requirement a finding is reported under instead of its own, with that message's values. */
export interface ReportAs {
  id: string;
  variant: string;
  params: MessageParams;
  /** Only these underlying IDs are relabelled; absent = every requirement ID. */
  ids?: ReadonlySet<string>;
}

/** A subtree of the submission whose findings are reported under `reportAs`. */
export interface ReportAsScope {
  path: DataPath;
  reportAs: ReportAs;
}

/** What a finding was before it was reported under another requirement. */
export interface Underlying {
  id: string;
  variant: string;
  params: MessageParams;
}

interface Relabelable {
  id: string;
  variant: string;
  params: MessageParams;
  underlying?: Underlying;
}

export function appliesTo(reportAs: ReportAs, id: string): boolean {
  return id !== reportAs.id && (reportAs.ids === undefined || reportAs.ids.has(id));
}

/** The finding reported under `reportAs`; unchanged when already relabelled or not in scope. */
export function relabel<T extends Relabelable>(finding: T, reportAs: ReportAs): T {
  if (finding.underlying || !appliesTo(reportAs, finding.id)) return finding;
  return {
    ...finding,
    id: reportAs.id,
    variant: reportAs.variant,
    params: reportAs.params,
    underlying: { id: finding.id, variant: finding.variant, params: finding.params },
  };
}

function isPrefix(prefix: DataPath, path: DataPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

/** The innermost scope containing `path` (a finding exactly at a scope's root is inside it). */
export function scopeOf(path: DataPath, scopes: readonly ReportAsScope[]): ReportAsScope | undefined {
  let best: ReportAsScope | undefined;
  for (const scope of scopes) {
    if (isPrefix(scope.path, path) && (!best || scope.path.length > best.path.length)) best = scope;
  }
  return best;
}
