import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { ALL_FORMATS } from '../engine/export/index.js';
import type { Finding } from '../engine/index.js';
import { availableExports, defaultOutputPath, exportSubmission } from '../export/export-submission.js';
import type { CheckSetup } from '../node/workspace.js';
import { ExportRequest, ExportsRequest, type DocumentParams, type ExportError, type ExportParams, type ExportResult, type ExportsResult } from './protocol.js';
import { filePath } from './workspace-files.js';

/**
 * "zorgtoets: Export…" on the server's side: which exports the open document's form offers, and
 * one export of its current text with the setup the CLI would use for that file (the same bytes
 * as `zorgtoets export`). The bytes go back to the client, which asks where to save and writes
 * them; a submission with errors is refused with its errors unless the client sends `force`.
 */

export interface ExportHost {
  /** The open document's current text. */
  text(uri: string): string | undefined;
  setupFor(uri: string): CheckSetup;
  today(): string;
  /** Embedded in the files as their creator, e.g. "zorgtoets 0.1.0". */
  generator: string;
  guard<P, R>(name: string, fallback: R, handler: (params: P) => R): (params: P) => R;
}

function exportError(finding: Finding): ExportError {
  return { id: finding.id, message: finding.message, range: finding.range };
}

export function registerExportRequests(connection: Connection, host: ExportHost): void {
  connection.onRequest(
    ExportsRequest,
    host.guard('exports', null as ExportsResult | null, (params: DocumentParams): ExportsResult | null => {
      const text = host.text(params.uri);
      if (text === undefined) return null;
      const { engine, lang } = host.setupFor(params.uri);
      const { form, year } = engine.identify(text);
      if (form === undefined || !engine.forms.manifest(form)) return null;
      return {
        form,
        ...(year !== undefined ? { year } : {}),
        title: engine.forms.manifest(form)?.title[lang] ?? form,
        exports: availableExports(engine, text, lang),
      };
    }),
  );

  connection.onRequest(ExportRequest, async (params: ExportParams): Promise<ExportResult> => {
    try {
      const text = host.text(params.uri);
      if (text === undefined) return { ok: false, reason: 'usage', message: `${params.uri} is niet geopend`, errors: [] };
      if (!ALL_FORMATS.includes(params.format)) return { ok: false, reason: 'usage', message: `onbekend formaat ${String(params.format)}; kies ${ALL_FORMATS.join(', ')}`, errors: [] };
      const { engine, lang, peildatum } = host.setupFor(params.uri);
      const outcome = await exportSubmission(engine, text, {
        format: params.format,
        kind: params.kind,
        lang,
        force: params.force === true,
        today: host.today(),
        generator: host.generator,
        ...(peildatum ? { peildatum } : {}),
      });
      if (!outcome.ok) return { ok: false, reason: outcome.reason, message: outcome.message, errors: outcome.errors.map(exportError) };
      for (const problem of outcome.problems) connection.console.warn(`exportmapping: ${problem}`);
      const file = outcome.files[0];
      if (!file) return { ok: false, reason: 'usage', message: 'de export gaf geen bestand', errors: [] };
      const path = filePath(params.uri);
      return {
        ok: true,
        kind: file.kind,
        format: file.format,
        suffix: file.suffix,
        mediaType: file.mediaType,
        data: Buffer.from(file.bytes).toString('base64'),
        ...(path ? { defaultUri: pathToFileURL(defaultOutputPath(path, file.suffix)).href } : {}),
        errors: outcome.errors.map(exportError),
      };
    } catch (error) {
      connection.console.error(`export: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { ok: false, reason: 'usage', message: `zorgtoets kon niet exporteren: ${error instanceof Error ? error.message : String(error)}`, errors: [] };
    }
  });
}
