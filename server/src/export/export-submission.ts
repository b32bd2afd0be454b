import { basename, dirname, extname, join } from 'node:path';
import type { Engine, Finding, Lang } from '../engine/index.js';
import { exportKinds, planExport, type ExportDocument, type ExportFormat, type ExportKindInfo } from '../engine/export/index.js';

/**
 * The export entry point for every adapter (CLI now, the language server's "zorgtoets: Export…"
 * later): checks the submission's text, refuses it when it has errors unless forced, and returns
 * the file's bytes. Writing them (atomically, never overwriting without consent) is the caller's
 * step, with `writeFileAtomic`.
 */

export interface ExportOptions {
  format: ExportFormat;
  /** `offerteformat`, `regioplan`, `rapport`, …; default: the form's first export with this format. */
  kind?: string;
  lang: Lang;
  force?: boolean;
  /** Today's date (YYYY-MM-DD), for deadlines when the file has no ingediend_op. */
  today: string;
  peildatum?: string;
  /** Embedded as the files' creator, e.g. "zorgtoets 0.1.0". */
  generator: string;
}

export interface ExportFile {
  kind: string;
  format: ExportFormat;
  /** File name suffix: `offerteformat.xlsx`; see `defaultOutputPath`. */
  suffix: string;
  mediaType: string;
  bytes: Uint8Array;
}

export type ExportOutcome =
  | {
      ok: true;
      files: ExportFile[];
      /** The errors a forced export was made despite (empty otherwise); the file is marked as a draft. */
      errors: Finding[];
      /** Mapping expressions that failed on this data (bugs in the mapping), for the log. */
      problems: string[];
    }
  | { ok: false; reason: 'errors' | 'usage'; message: string; errors: Finding[] };

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/**
 * The bytes of an export model in one format. The writers load on first use, so `check` and the
 * language server do not pay for exceljs, docx and pdfkit until someone exports.
 */
export async function renderExport(document: ExportDocument, format: ExportFormat): Promise<Uint8Array> {
  switch (format) {
    case 'xlsx':
      return (await import('./xlsx-writer.js')).writeXlsx(document);
    case 'docx':
      return (await import('./docx-writer.js')).writeDocx(document);
    case 'pdf':
      return (await import('./pdf-writer.js')).writePdf(document);
    case 'csv':
      return (await import('./csv-writer.js')).writeCsv(document);
    case 'md':
      return (await import('./markdown-writer.js')).writeMarkdown(document);
  }
}

export async function exportSubmission(engine: Engine, text: string, options: ExportOptions): Promise<ExportOutcome> {
  const result = engine.check(text, {
    today: options.today,
    lang: options.lang,
    explicit: true,
    ...(options.peildatum ? { peildatum: options.peildatum } : {}),
  });
  const plan = planExport(engine, result, {
    format: options.format,
    lang: options.lang,
    force: options.force ?? false,
    referenceDate: options.peildatum ?? options.today,
    generator: options.generator,
    ...(options.kind ? { kind: options.kind } : {}),
  });
  if (!plan.ok) return { ok: false, reason: plan.reason, message: plan.message, errors: plan.reason === 'errors' ? plan.errors : [] };
  const bytes = await renderExport(plan.document, plan.format);
  return {
    ok: true,
    files: [{ kind: plan.kind, format: plan.format, suffix: `${plan.kind}.${plan.format}`, mediaType: MEDIA_TYPES[plan.format], bytes }],
    errors: plan.errors,
    problems: plan.problems,
  };
}

/** The exports the form of a text offers (for a picker: the VS Code command, `--help` of a file). */
export function availableExports(engine: Engine, text: string, lang: Lang): ExportKindInfo[] {
  const { form, year } = engine.identify(text);
  const version = form !== undefined && year !== undefined ? engine.forms.version(form, year) : undefined;
  return exportKinds(engine, version, lang);
}

/** `regioplan.yaml` → `regioplan.offerteformat.xlsx` beside it. */
export function defaultOutputPath(input: string, suffix: string): string {
  const ext = extname(input);
  const stem = basename(input, ext === '.yaml' || ext === '.yml' ? ext : '');
  return join(dirname(input), `${stem}.${suffix}`);
}
