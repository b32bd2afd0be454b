import type { CheckResult, Engine } from '../engine.js';
import type { FormVersion } from '../forms.js';
import { formatDate } from '../message-format.js';
import { isRecord } from '../paths.js';
import type { Finding, Lang } from '../types.js';
import { buildExport, localize } from './build.js';
import { listDeviations, type DeviationEntry } from './deviations.js';
import { ALL_FORMATS, REPORT_KIND, type ExportFormat } from './mapping.js';
import type { ExportDocument } from './model.js';
import { buildReport, reportTitle } from './report.js';
import { SchemaLookup } from './schema-lookup.js';

/**
 * The export model's public door: which exports a form offers, and the model of one export of a
 * checked submission. Refuses a submission with errors unless forced (then the model carries the
 * draft mark for every page and sheet). Pure: the Node side writes the bytes.
 */

export { ALL_FORMATS, REPORT_KIND, type ExportFormat } from './mapping.js';
export type { Block, Cell, CellValue, ExportDocument, FieldsBlock, NumberFormat, Section, TableBlock } from './model.js';
export { csvBlock } from './model.js';
export { listDeviations, DEVIATIONS_TEXT, type DeviationEntry } from './deviations.js';
export { requirementRows, type RequirementRow, type RequirementStatus } from './report.js';
export { parseFormula, evaluateFormula, renderFormula, type FormulaNode } from './formula.js';

export interface ExportKindInfo {
  name: string;
  title: string;
  formats: ExportFormat[];
}

export interface ExportRequest {
  format: ExportFormat;
  /** The export kind (`offerteformat`, `regioplan`, `rapport`); default: the first that has the format. */
  kind?: string;
  lang: Lang;
  /** Export despite errors, marking every page and sheet as a draft. */
  force?: boolean;
  /** The reference date the check used when the file has no ingediend_op (YYYY-MM-DD). */
  referenceDate: string;
  /** "zorgtoets 0.1.0", embedded as the files' creator. */
  generator: string;
  /** Overrides the deviations read from the submission (the engine's judgement of them, once it has one). */
  deviations?: DeviationEntry[];
}

export type ExportPlan =
  | { ok: true; document: ExportDocument; kind: string; format: ExportFormat; problems: string[]; errors: Finding[] }
  | { ok: false; reason: 'errors'; errors: Finding[]; message: string }
  | { ok: false; reason: 'usage'; message: string };

const TEXT = {
  draft: { nl: 'concept — voldoet niet aan alle minimumeisen', en: 'draft — does not meet all minimum requirements' },
  organisation: { nl: 'Organisatie', en: 'Organisation' },
  form: { nl: 'Formulier', en: 'Form' },
  year: { nl: 'Contractjaar', en: 'Contract year' },
  submitted: { nl: 'Ingediend op', en: 'Submitted on' },
  reference: { nl: 'Beoordeeld per', en: 'Assessed as of' },
  result: { nl: 'Uitkomst toetsing', en: 'Outcome of the check' },
  refused: {
    nl: '{n} fout(en): de aanvraag voldoet niet aan alle minimumeisen en wordt niet geëxporteerd. Los de fouten op, of exporteer met --force als concept.',
    en: '{n} error(s): the submission does not meet all minimum requirements and is not exported. Fix the errors, or export with --force as a draft.',
  },
  notOurs: { nl: 'dit bestand is geen zorgtoets-aanvraag (geen formulier:)', en: 'this file is not a zorgtoets submission (no formulier:)' },
  unknownForm: { nl: 'formulier en contractjaar moeten bekend zijn om te exporteren, ook met --force', en: 'the form and contract year must be known to export, even with --force' },
  unusable: { nl: 'de aanvraag kan niet gelezen worden; alleen het rapport (--soort rapport) kan gemaakt worden', en: 'the submission cannot be read; only the report (--soort rapport) can be made' },
  reportTitle: { nl: 'Nalevingsrapport', en: 'Compliance report' },
} as const;

/** The exports a form version offers: its mapping's kinds, then the compliance report. */
export function exportKinds(engine: Engine, version: FormVersion | undefined, lang: Lang): ExportKindInfo[] {
  const kinds: ExportKindInfo[] = [];
  const mapping = version ? engine.exportMapping(version) : undefined;
  for (const kind of mapping?.kinds ?? []) kinds.push({ name: kind.name, title: localize(kind.title, lang), formats: [...kind.formats] });
  kinds.push({ name: REPORT_KIND, title: TEXT.reportTitle[lang], formats: ['pdf', 'md', 'docx'] });
  return kinds;
}

function describeKinds(kinds: readonly ExportKindInfo[]): string {
  return kinds.map((k) => `${k.name} (${k.formats.join(', ')})`).join('; ');
}

/** Builds the model of one export of a checked submission, or says why it cannot. */
export function planExport(engine: Engine, result: CheckResult, request: ExportRequest): ExportPlan {
  const { lang } = request;
  if (!result.ours) return { ok: false, reason: 'usage', message: TEXT.notOurs[lang] };
  if (!ALL_FORMATS.includes(request.format)) return { ok: false, reason: 'usage', message: `--naar: ${request.format}? ${ALL_FORMATS.join(', ')}` };
  const form = result.form;
  if (form === undefined) return { ok: false, reason: 'usage', message: TEXT.notOurs[lang] };
  const version = result.year !== undefined ? engine.forms.version(form, result.year) : undefined;
  if (!version) {
    // Without a known form and year there are no requirements to report on: show why, as check does.
    const errors = engine.render(result.raw, lang).filter((f) => f.severity === 'error');
    return { ok: false, reason: 'errors', errors, message: TEXT.unknownForm[lang] };
  }
  const kinds = exportKinds(engine, version, lang);
  const chosen = request.kind !== undefined ? kinds.find((k) => k.name === request.kind) : kinds.find((k) => k.formats.includes(request.format));
  if (!chosen) {
    const message =
      request.kind !== undefined
        ? lang === 'nl'
          ? `onbekende soort "${request.kind}"; ${form} kent: ${describeKinds(kinds)}`
          : `unknown kind "${request.kind}"; ${form} offers: ${describeKinds(kinds)}`
        : lang === 'nl'
          ? `${form} heeft geen export naar ${request.format}; wel: ${describeKinds(kinds)}`
          : `${form} has no export to ${request.format}; it offers: ${describeKinds(kinds)}`;
    return { ok: false, reason: 'usage', message };
  }
  if (!chosen.formats.includes(request.format)) {
    const message =
      lang === 'nl'
        ? `${chosen.name} kan niet naar ${request.format}, wel naar ${chosen.formats.join(', ')}`
        : `${chosen.name} cannot be written as ${request.format}, only as ${chosen.formats.join(', ')}`;
    return { ok: false, reason: 'usage', message };
  }

  const findings = engine.render(result.raw, lang, version);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0 && !request.force) return { ok: false, reason: 'errors', errors, message: TEXT.refused[lang].replace('{n}', String(errors.length)) };

  const data = isRecord(result.parsed.data) ? result.parsed.data : undefined;
  const manifest = engine.forms.manifest(form);
  const ingediend = data && typeof data['ingediend_op'] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data['ingediend_op']) ? data['ingediend_op'] : undefined;
  const date = ingediend ?? request.referenceDate;
  const organisation = data && isRecord(data['organisatie']) && typeof data['organisatie']['naam'] === 'string' ? data['organisatie']['naam'] : undefined;
  const summaryText = engine.summaryText(engine.summarize(findings), lang, form, result.year);
  const summary: { label: string; value: string }[] = [
    { label: TEXT.form[lang], value: manifest ? `${manifest.title[lang]} (${form})` : form },
    ...(organisation ? [{ label: TEXT.organisation[lang], value: organisation }] : []),
    ...(result.year !== undefined ? [{ label: TEXT.year[lang], value: String(result.year) }] : []),
    ingediend ? { label: TEXT.submitted[lang], value: formatDate(ingediend, lang) } : { label: TEXT.reference[lang], value: formatDate(request.referenceDate, lang) },
    { label: TEXT.result[lang], value: summaryText },
  ];
  const draft = errors.length > 0 ? TEXT.draft[lang] : undefined;
  const deviations = request.deviations ?? listDeviations(data, engine.catalogue, lang);
  const subtitle = summary.map(({ label, value }) => `${label}: ${value}`);
  const metadata = (title: string): ExportDocument['metadata'] => ({
    title,
    subject: manifest ? manifest.title[lang] : form,
    author: organisation ?? '',
    creator: request.generator,
    date,
    keywords: [form, String(version.year), chosen.name],
  });

  if (chosen.name === REPORT_KIND) {
    const title = `${reportTitle(lang)}${organisation ? ` — ${organisation}` : ''}`;
    const document = buildReport({
      catalogue: engine.catalogue,
      requirementIds: engine.forms.requirementIds(version),
      findings,
      deviations,
      lang,
      title,
      // The summary table opens the report; repeating its lines under the title adds nothing.
      subtitle: [],
      summary,
      metadata: metadata(title),
      ...(draft ? { draft } : {}),
    });
    return { ok: true, document, kind: chosen.name, format: request.format, problems: [], errors };
  }

  const mapping = version ? engine.exportMapping(version) : undefined;
  const kind = mapping?.kinds.find((k) => k.name === chosen.name);
  if (!kind || !data || result.parsed.unusable) return { ok: false, reason: 'usage', message: TEXT.unusable[lang] };
  const title = `${localize(kind.title, lang)}${organisation ? ` — ${organisation}` : ''}`;
  const labels = engine.labels(version);
  const built = buildExport({
    kind,
    data,
    lang,
    labels: labels ?? (() => undefined),
    schema: new SchemaLookup(engine.schemaSource(version), engine.catalogue),
    title,
    subtitle,
    deviations,
    metadata: metadata(title),
    ...(draft ? { draft } : {}),
  });
  return { ok: true, document: built.document, kind: chosen.name, format: request.format, problems: built.problems, errors };
}
