import { createInterface } from 'node:readline/promises';
import { relative } from 'node:path';
import { ALL_FORMATS, type ExportFormat } from '../engine/export/index.js';
import type { Engine, Lang } from '../engine/index.js';
import { localToday, productVersion } from '../node/create-engine.js';
import { readSubmission } from '../node/read-submission.js';
import { OutputExistsError, writeFileAtomic } from '../export/atomic-write.js';
import { availableExports, defaultOutputPath, exportSubmission } from '../export/export-submission.js';
import { UsageError } from './file-walk.js';
import { formatText } from './report-text.js';

/**
 * `zorgtoets export <file> --naar xlsx|docx|pdf|csv|md [--soort …] [-o out] [--force] [--overwrite]`.
 * Exit codes as `check`: 0 = exported, no errors; 1 = the submission has errors (refused, or
 * exported as a draft with --force); 2 = usage or I/O error (also: the output exists).
 */

export interface ExportCommandOptions {
  naar?: string;
  soort?: string;
  output?: string;
  force: boolean;
  overwrite: boolean;
  lang: Lang;
  peildatum?: string;
}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const TEXT = {
  nl: {
    oneFile: 'export verwacht één bestand, bijvoorbeeld: zorgtoets export regioplan.yaml --naar xlsx',
    noFormat: (kinds: string) => `geef --naar (xlsx, docx, pdf, csv of md) of een -o met die extensie; dit formulier kan: ${kinds}`,
    badFormat: (f: string) => `--naar moet ${ALL_FORMATS.join(', ')} zijn, niet "${f}"`,
    read: (path: string, detail: string) => `kan ${path} niet lezen: ${detail}`,
    exists: (path: string) => `${path} bestaat al; gebruik --overwrite om het te vervangen`,
    ask: (path: string) => `${path} bestaat al. Overschrijven? [j/N] `,
    written: (path: string, kind: string, size: string) => `${path} geschreven (${kind}, ${size})`,
    draft: (n: number) => `let op: geëxporteerd als concept met ${n} fout(en); elke pagina en elk blad is gemarkeerd "concept — voldoet niet aan alle minimumeisen"`,
    write: (path: string, detail: string) => `kan ${path} niet schrijven: ${detail}; er is geen (half) bestand achtergebleven`,
  },
  en: {
    oneFile: 'export expects one file, for example: zorgtoets export regioplan.yaml --naar xlsx',
    noFormat: (kinds: string) => `give --naar (xlsx, docx, pdf, csv or md) or an -o with that extension; this form offers: ${kinds}`,
    badFormat: (f: string) => `--naar must be ${ALL_FORMATS.join(', ')}, not "${f}"`,
    read: (path: string, detail: string) => `cannot read ${path}: ${detail}`,
    exists: (path: string) => `${path} already exists; use --overwrite to replace it`,
    ask: (path: string) => `${path} already exists. Overwrite? [y/N] `,
    written: (path: string, kind: string, size: string) => `${path} written (${kind}, ${size})`,
    draft: (n: number) => `note: exported as a draft with ${n} error(s); every page and sheet is marked "draft — does not meet all minimum requirements"`,
    write: (path: string, detail: string) => `cannot write ${path}: ${detail}; no (partial) file was left behind`,
  },
} as const;

function formatOf(options: ExportCommandOptions, lang: Lang, kinds: () => string): ExportFormat {
  const wanted = options.naar ?? options.output?.split('.').pop()?.toLowerCase();
  if (wanted === undefined || (options.naar === undefined && !ALL_FORMATS.includes(wanted as ExportFormat))) throw new UsageError(TEXT[lang].noFormat(kinds()));
  if (!ALL_FORMATS.includes(wanted as ExportFormat)) throw new UsageError(TEXT[lang].badFormat(wanted));
  return wanted as ExportFormat;
}

/** Asks before overwriting, only when a person is at the terminal; scripts and CI are refused. */
async function confirmOverwrite(path: string, lang: Lang): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(TEXT[lang].ask(path))).trim().toLowerCase();
    return answer === 'j' || answer === 'ja' || answer === 'y' || answer === 'yes';
  } finally {
    prompt.close();
  }
}

export async function runExport(engine: Engine, args: readonly string[], options: ExportCommandOptions, io: Io): Promise<number> {
  const lang = options.lang;
  const t = TEXT[lang];
  const input = args[0];
  if (input === undefined || args.length !== 1) throw new UsageError(t.oneFile);
  const read = readSubmission(input);
  if (!read.ok) throw new UsageError(t.read(input, read.detail));
  const format = formatOf(options, lang, () =>
    availableExports(engine, read.text, lang)
      .map((k) => `${k.name} (${k.formats.join(', ')})`)
      .join('; '),
  );
  const outcome = await exportSubmission(engine, read.text, {
    format,
    lang,
    force: options.force,
    today: localToday(),
    generator: `zorgtoets ${productVersion()}`,
    ...(options.soort ? { kind: options.soort } : {}),
    ...(options.peildatum ? { peildatum: options.peildatum } : {}),
  });
  const listErrors = (errors: typeof outcome.errors) => {
    if (errors.length === 0) return;
    const report = { path: input, ours: true, findings: errors, summary: engine.summarize(errors), deviations: [] };
    io.stderr(formatText([report], engine, lang));
  };
  if (!outcome.ok) {
    listErrors(outcome.errors);
    io.stderr(`zorgtoets: ${outcome.message}\n`);
    return outcome.reason === 'errors' ? 1 : 2;
  }
  const file = outcome.files[0];
  if (!file) return 2;
  const output = options.output ?? defaultOutputPath(input, file.suffix);
  let overwrite = options.overwrite;
  const write = () => writeFileAtomic(output, file.bytes, { overwrite });
  try {
    try {
      await write();
    } catch (error) {
      if (!(error instanceof OutputExistsError) || !(await confirmOverwrite(output, lang))) throw error;
      overwrite = true;
      await write();
    }
  } catch (error) {
    if (error instanceof OutputExistsError) throw new UsageError(t.exists(output));
    throw new UsageError(t.write(output, error instanceof Error ? error.message : String(error)));
  }
  for (const problem of outcome.problems) io.stderr(`zorgtoets: exportmapping: ${problem}\n`);
  const shown = relative(process.cwd(), output) || output;
  io.stderr(`${t.written(shown.startsWith('..') ? output : shown, file.kind, `${(file.bytes.length / 1024).toFixed(1)} kB`)}\n`);
  if (outcome.errors.length > 0) {
    listErrors(outcome.errors);
    io.stderr(`${t.draft(outcome.errors.length)}\n`);
    return 1;
  }
  return 0;
}
