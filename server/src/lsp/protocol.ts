/**
 * The zorgtoets-specific part of the protocol between the VS Code client and the language server:
 * custom requests and notifications, shared by both sides so their names and shapes cannot drift.
 * Plain types only: the client bundles this file too, and it must not pull in the server.
 */

import type { ExportFormat } from '../engine/export/index.js';
import type { ComplianceSummary, Range, RequirementStatus } from '../engine/index.js';

export interface DocumentParams {
  uri: string;
}

/** `zorgtoets/summary`: the compliance summary of an open document (null: not a zorgtoets file). */
export const SummaryRequest = 'zorgtoets/summary';
export type SummaryResult = ComplianceSummary | null;

/** `zorgtoets/requirements`: every requirement of the document's form with its status. */
export const RequirementsRequest = 'zorgtoets/requirements';
export interface RequirementsResult {
  form: string;
  year: number;
  title: string;
  summary: ComplianceSummary;
  requirements: RequirementStatus[];
}

/** `zorgtoets/forms`: the known forms, for "new submission". */
export const FormsRequest = 'zorgtoets/forms';
export interface FormInfo {
  form: string;
  title: string;
  years: number[];
}

/** `zorgtoets/template`: the template of a form's newest year: every declaration asked, none answered. */
export const TemplateRequest = 'zorgtoets/template';
export interface TemplateParams {
  form: string;
}
export interface TemplateResult {
  form: string;
  year: number;
  text: string;
}

/** `zorgtoets/status` (server → client): a document's summary changed after a check. */
export const StatusNotification = 'zorgtoets/status';
export interface StatusParams {
  uri: string;
  version: number;
  summary: SummaryResult;
}

/** `zorgtoets/exports`: what the form of an open document can be exported as (null: not a zorgtoets file). */
export const ExportsRequest = 'zorgtoets/exports';
export interface ExportsResult {
  form: string;
  year?: number;
  title: string;
  exports: ExportKind[];
}
export interface ExportKind {
  /** `offerteformat`, `regioplan`, `rapport`, … (the CLI's `--soort`). */
  name: string;
  title: string;
  formats: ExportFormat[];
}

/** `zorgtoets/export`: one export of an open document's current text, as bytes; writing is the client's. */
export const ExportRequest = 'zorgtoets/export';
export interface ExportParams {
  uri: string;
  kind: string;
  format: ExportFormat;
  /** Export despite errors, marked "concept — voldoet niet aan alle minimumeisen" on every page and sheet. */
  force?: boolean;
}
/** An error that blocks (or, forced, marks) an export, with where it is. */
export interface ExportError {
  id: string;
  message: string;
  range: Range;
}
export type ExportResult =
  | {
      ok: true;
      kind: string;
      format: ExportFormat;
      /** `offerteformat.xlsx`: the file name suffix. */
      suffix: string;
      mediaType: string;
      /** The file's bytes, base64. */
      data: string;
      /** Where the CLI would write it (beside the submission), when the document is a file. */
      defaultUri?: string;
      /** The errors a forced export was made despite (empty otherwise). */
      errors: ExportError[];
    }
  | { ok: false; reason: 'errors' | 'usage'; message: string; errors: ExportError[] };

/** Settings the server reads (section `zorgtoets`), and what the client may pass at start. */
export interface ServerSettings {
  /** Only when set explicitly: it then wins over the workspace's `.zorgtoets.yaml` (`taal`). */
  taal?: 'nl' | 'en';
  /** Reference date for deadlines (YYYY-MM-DD); empty: the `.zorgtoets.yaml`'s, else today. */
  peildatum?: string;
  /** An organisation's own rules; the client sends none in an untrusted workspace. */
  extraSchemaFolders?: string[];
  /**
   * Whether the workspace is trusted (VS Code's workspace trust). When false the server loads no
   * extra folders from any source, whatever else the settings say. Absent: trusted.
   */
  workspaceTrusted?: boolean;
}

export interface InitializationOptions extends ServerSettings {
  /** Wait this long after the last keystroke before checking (ms); 0 checks at once. */
  debounceMs?: number;
}

/** The command a code lens runs (registered by the client). */
export const ShowRequirementsCommand = 'zorgtoets.showRequirements';
