import type { Catalogue, CatalogueEntry } from '../catalogue.js';
import type { Finding, Lang } from '../types.js';
import { deviationBlocks, formatDataPath, Grid } from './build.js';
import { textCell, numberCell } from './cells.js';
import { DEVIATIONS_TEXT, type DeviationEntry } from './deviations.js';
import type { Block, Cell, ExportDocument, Section, TableBlock } from './model.js';

/**
 * The compliance report every form has (`--soort rapport`): each requirement that applies to the
 * form, met or not, with its policy source; the findings with their place in the file; the notes
 * (requirements that are information, never findings) as such; and the deviations the provider
 * justifies. Built from the check result, so it says exactly what `check` says.
 */

export type RequirementStatus = 'met' | 'not-met' | 'attention' | 'info' | 'note';

export interface RequirementRow {
  id: string;
  title: string;
  status: RequirementStatus;
  source: string;
  /** How many findings this requirement has in the file. */
  findings: number;
}

export interface ReportInput {
  catalogue: Catalogue;
  /** Requirement IDs that apply to the form version (schema, rules, notes). */
  requirementIds: readonly string[];
  /** The check's findings, rendered in the report's language. */
  findings: readonly Finding[];
  deviations: readonly DeviationEntry[];
  lang: Lang;
  title: string;
  subtitle: string[];
  summary: { label: string; value: string }[];
  draft?: string;
  metadata: ExportDocument['metadata'];
}

const TEXT = {
  title: { nl: 'Nalevingsrapport', en: 'Compliance report' },
  summary: { nl: 'Samenvatting', en: 'Summary' },
  requirements: { nl: 'Minimumeisen', en: 'Minimum requirements' },
  requirementsIntro: {
    nl: 'Elke eis die voor dit formulier geldt, met de uitkomst van de toetsing en de bron in het inkoopbeleid. "Voldaan" betekent: zorgtoets vond geen bevinding voor deze eis.',
    en: 'Every requirement that applies to this form, with the outcome of the check and its source in the purchasing policy. "Met" means: zorgtoets found nothing for this requirement.',
  },
  findings: { nl: 'Bevindingen', en: 'Findings' },
  noFindings: { nl: 'Geen bevindingen: de aanvraag voldoet aan alle minimumeisen die zorgtoets controleert.', en: 'No findings: the submission meets every minimum requirement zorgtoets checks.' },
  notes: { nl: 'Notities', en: 'Notes' },
  notesIntro: {
    nl: 'Deze punten uit het inkoopbeleid zijn geen controles maar informatie die bij de aanvraag hoort.',
    en: 'These points of the purchasing policy are not checks but information that belongs with the submission.',
  },
  noNotes: { nl: 'Dit formulier heeft geen notities.', en: 'This form has no notes.' },
  columns: {
    id: { nl: 'Eis', en: 'Requirement' },
    title: { nl: 'Omschrijving', en: 'Description' },
    status: { nl: 'Uitkomst', en: 'Outcome' },
    source: { nl: 'Bron', en: 'Source' },
    line: { nl: 'Regel', en: 'Line' },
    severity: { nl: 'Ernst', en: 'Severity' },
    message: { nl: 'Melding', en: 'Message' },
    field: { nl: 'Veld', en: 'Field' },
  },
  status: {
    met: { nl: 'voldaan', en: 'met' },
    'not-met': { nl: 'niet voldaan', en: 'not met' },
    attention: { nl: 'aandachtspunt', en: 'attention' },
    info: { nl: 'voldaan, met info', en: 'met, with info' },
    note: { nl: 'notitie', en: 'note' },
  },
  severity: {
    error: { nl: 'fout', en: 'error' },
    warning: { nl: 'waarschuwing', en: 'warning' },
    info: { nl: 'info', en: 'info' },
  },
  counts: { nl: 'Eisen', en: 'Requirements' },
  countsValue: { nl: '{met} van {total} voldaan, {notMet} niet voldaan, {attention} aandachtspunt(en), {notes} notitie(s)', en: '{met} of {total} met, {notMet} not met, {attention} to watch, {notes} note(s)' },
} as const;

/** Each requirement of the form with its outcome, in catalogue order. */
export function requirementRows(catalogue: Catalogue, ids: readonly string[], findings: readonly Finding[], lang: Lang): RequirementRow[] {
  const wanted = new Set(ids);
  const byId = new Map<string, Finding[]>();
  for (const finding of findings) byId.set(finding.id, [...(byId.get(finding.id) ?? []), finding]);
  return catalogue
    .all()
    .filter((entry) => wanted.has(entry.id))
    .map((entry) => {
      const own = byId.get(entry.id) ?? [];
      return { id: entry.id, title: entry.title[lang], status: statusOf(entry, own), source: entry.fullSource, findings: own.length };
    });
}

function statusOf(entry: CatalogueEntry, findings: readonly Finding[]): RequirementStatus {
  if (entry.severities.includes('note')) return 'note';
  if (findings.some((f) => f.severity === 'error')) return 'not-met';
  if (findings.some((f) => f.severity === 'warning')) return 'attention';
  if (findings.length > 0) return 'info';
  return 'met';
}

export function buildReport(input: ReportInput): ExportDocument {
  const { lang, catalogue } = input;
  const rows = requirementRows(catalogue, input.requirementIds, input.findings, lang);
  const sections: Section[] = [];
  const grid = () => new Grid(input.draft ? 4 : 3);
  const section = (title: string, sheet: string, blocks: Block[]): void => {
    sections.push({ title, sheet, blocks, titleCell: { ...textCell(title, true), address: { row: input.draft ? 2 : 1, column: 1 } } });
  };

  const count = (status: RequirementStatus) => rows.filter((r) => r.status === status).length;
  const checks = rows.filter((r) => r.status !== 'note').length;
  const countsText = TEXT.countsValue[lang]
    .replace('{met}', String(count('met') + count('info')))
    .replace('{total}', String(checks))
    .replace('{notMet}', String(count('not-met')))
    .replace('{attention}', String(count('attention')))
    .replace('{notes}', String(count('note')));
  const summaryGrid = grid();
  const summaryRows = [...input.summary, { label: TEXT.counts[lang], value: countsText }].map(({ label, value }) => {
    const row = { label: { ...textCell(label, true), address: { row: summaryGrid.row, column: 1 } }, value: { ...textCell(value), address: { row: summaryGrid.row, column: 2 } } };
    summaryGrid.next();
    return row;
  });
  section(TEXT.summary[lang], TEXT.summary[lang], [{ kind: 'fields', id: 'samenvatting', rows: summaryRows }]);

  section(TEXT.requirements[lang], TEXT.requirements[lang], [
    { kind: 'paragraph', text: TEXT.requirementsIntro[lang] },
    table(
      'eisen',
      [
        ['id', TEXT.columns.id[lang], 1.3],
        ['title', TEXT.columns.title[lang], 4],
        ['status', TEXT.columns.status[lang], 1.4],
        ['source', TEXT.columns.source[lang], 3.5],
      ],
      rows.map((r) => [textCell(r.id), textCell(r.title), textCell(TEXT.status[r.status][lang], r.status === 'not-met'), textCell(r.source)]),
      grid().row + 2,
    ),
  ]);

  const findings = [...input.findings];
  section(
    TEXT.findings[lang],
    TEXT.findings[lang],
    findings.length === 0
      ? [{ kind: 'paragraph', text: TEXT.noFindings[lang], muted: true }]
      : [
          table(
            'bevindingen',
            [
              ['line', TEXT.columns.line[lang], 0.7],
              ['severity', TEXT.columns.severity[lang], 1.2],
              ['id', TEXT.columns.id[lang], 1.3],
              ['message', TEXT.columns.message[lang], 5],
              ['field', TEXT.columns.field[lang], 2.2],
            ],
            findings.map((f) => [numberCell(f.range.start.line + 1, 'year', lang), textCell(TEXT.severity[f.severity][lang], f.severity === 'error'), textCell(f.id), textCell(f.message), textCell(formatDataPath(f.path))]),
            grid().row,
          ),
        ],
  );

  const notes = rows.filter((r) => r.status === 'note');
  const noteBlocks: Block[] = [];
  if (notes.length === 0) noteBlocks.push({ kind: 'paragraph', text: TEXT.noNotes[lang], muted: true });
  else {
    noteBlocks.push({ kind: 'paragraph', text: TEXT.notesIntro[lang] });
    for (const note of notes) {
      const entry = catalogue.get(note.id);
      noteBlocks.push({ kind: 'heading', text: `${note.id} — ${note.title}` });
      if (entry?.explanation) noteBlocks.push({ kind: 'paragraph', text: entry.explanation[lang] });
      noteBlocks.push({ kind: 'paragraph', text: `${TEXT.columns.source[lang]}: ${note.source}`, muted: true });
    }
  }
  section(TEXT.notes[lang], TEXT.notes[lang], noteBlocks);

  section(DEVIATIONS_TEXT.title[lang], DEVIATIONS_TEXT.sheet[lang], deviationBlocks(input.deviations, lang, grid()));

  return {
    kind: 'rapport',
    layout: 'document',
    lang,
    title: input.title,
    subtitle: input.subtitle,
    sections,
    metadata: input.metadata,
    ...(input.draft ? { draft: input.draft } : {}),
  };
}

export function reportTitle(lang: Lang): string {
  return TEXT.title[lang];
}

function table(id: string, columns: [string, string, number][], rows: Cell[][], headerRow: number): TableBlock {
  rows.forEach((row, r) => row.forEach((cell, c) => (cell.address = { row: headerRow + 1 + r, column: c + 1 })));
  return {
    kind: 'table',
    id,
    columns: columns.map(([columnId, header, width], c) => ({ id: columnId, header: { ...textCell(header, true), address: { row: headerRow, column: c + 1 } }, width })),
    rows,
  };
}
