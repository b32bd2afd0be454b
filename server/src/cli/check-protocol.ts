import type { CrossEntry } from '../engine/cross-rules.js';
import type { DataPath, Range } from '../engine/types.js';
import type { Preferences } from '../node/workspace.js';
import type { FileReport } from './file-report.js';

/**
 * Messages between `zorgtoets check` and its worker threads (check-pool.ts, check-worker.ts).
 * Everything here crosses threads by structured clone: no functions. A cross-document entry is
 * sent as its data; what its closures compute (message values, an assert against another file's
 * published fields, ranges) is asked of the worker that holds it, only for the entries a
 * cross-document finding needs.
 */

export interface WorkerSetup {
  preferences: Preferences;
  today: string;
}

/** A cross-document entry without its closures. */
export type PlainEntry =
  | { kind: 'unique'; index: string; id: string; variant: string; value: string; scope: string; owner: string; label: string; path: DataPath }
  | { kind: 'published'; index: string; value: string; fields: Record<string, unknown>; path: DataPath }
  | { kind: 'lookup'; index: string; id: string; variant: string; value: string; path: DataPath };

/** What the thread computes that only the entry's own closures (or the file's tree) can. */
export type Question =
  | { file: number; kind: 'params'; entry: number }
  | { file: number; kind: 'check'; entry: number; other: Record<string, unknown> }
  | { file: number; kind: 'range'; path: DataPath };

export type Answer = { kind: 'params'; params: Record<string, unknown> } | { kind: 'check'; ok: boolean; params: Record<string, unknown> } | { kind: 'range'; range: Range };

export type ToWorker = { type: 'check'; file: number; path: string; explicit: boolean } | { type: 'ask'; id: number; questions: Question[] } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'checked';
      file: number;
      report: FileReport;
      /** Present when the file takes part in cross-document checks. */
      entries?: PlainEntry[];
      /** The entries hold values that cannot cross threads as they are: the main thread checks this file itself. */
      local?: boolean;
    }
  | { type: 'answers'; id: number; answers: Answer[] }
  | { type: 'failed'; file?: number; message: string };

export function plainEntry(entry: CrossEntry): PlainEntry {
  if (entry.kind === 'unique') {
    const { kind, index, id, variant, value, scope, owner, label, path } = entry;
    return { kind, index, id, variant, value, scope, owner, label, path };
  }
  if (entry.kind === 'published') {
    const { kind, index, value, fields, path } = entry;
    return { kind, index, value, fields, path };
  }
  const { kind, index, id, variant, value, path } = entry;
  return { kind, index, id, variant, value, path };
}

/**
 * Whether a value arrives on the other side of a structured clone as the same value: primitives,
 * lists, maps and plain records do; instances of classes (a CEL duration, say) lose their class.
 */
export function crossesIntact(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return true;
  if (type !== 'object') return false;
  if (Array.isArray(value)) return value.every((item) => crossesIntact(item, depth + 1));
  if (value instanceof Map) return [...value].every(([k, v]) => crossesIntact(k, depth + 1) && crossesIntact(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as Record<string, unknown>).every((item) => crossesIntact(item, depth + 1));
}
