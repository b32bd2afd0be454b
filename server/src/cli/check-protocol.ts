import type { CheckOptions } from '../engine/index.js';
import type { DataPath, Severity } from '../engine/types.js';
import type { Preferences } from '../node/workspace.js';
import type { FileReport } from './file-report.js';

/**
 * Messages between `zorgtoets check` and its worker threads (parallel-check.ts, check-worker.ts).
 * Everything here crosses threads by structured clone: no functions. A file taking part in
 * cross-document checks comes with its text and its entries as plain data (cross-step.ts).
 */

export interface WorkerSetup {
  preferences: Preferences;
  today: string;
}

/**
 * A cross-document entry without its closures and values: what decides which entries meet. A
 * published entry's fields are read only by a lookup's assert, from the file checked again.
 */
export type PlainEntry =
  | { kind: 'unique'; index: string; id: string; variant: string; value: string; scope: string; owner: string; label: string; path: DataPath; severity?: Severity }
  | { kind: 'published'; index: string; value: string; path: DataPath }
  | { kind: 'lookup'; index: string; id: string; variant: string; value: string; path: DataPath; severity?: Severity };

export type ToWorker = { type: 'check'; file: number; path: string; explicit: boolean } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'checked';
      file: number;
      report: FileReport;
      /** Present when the file takes part in cross-document checks (see cross-step.ts). */
      cross?: { text: string; options: CheckOptions; entries: PlainEntry[] };
    }
  | { type: 'failed'; file?: number; message: string };
