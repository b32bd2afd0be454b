import type { Document } from 'yaml';
import type { Catalogue, CatalogueEntry } from './catalogue.js';
import { didYouMean } from './did-you-mean.js';
import { rangeForPath } from './node-ranges.js';
import { formatPath, isRecord, matchesItem, parsePathPattern, type PathSegment } from './paths.js';
import type { RawFinding } from './raw-finding.js';
import type { TextIndex } from './text-index.js';
import type { DataPath, Finding, Range } from './types.js';

/**
 * Justified deviations: the submission's `afwijkingen:` list, applied to the findings after every
 * check has run. For a submission to an insurer a suppression is not silence: a finding the
 * provider explains stays visible as information ("afwijking toegelicht"), and the explanation
 * goes into exports and reports for the insurer to judge.
 *
 *   afwijkingen:
 *     - id: VGZ-RHO-04c                        catalogue ID (case-insensitive)
 *       pad: regio.aantal_huisartsen_in_regio  optional: where; a prefix of the finding's path,
 *                                              with [2], [*] and [naam=X] as in rule files
 *       toelichting: Twee praktijken treden per 1 januari toe; zie bijlage 3 van het regioplan.
 *
 * A deviation without toelichting is itself an error (ZT-DEV-REASON) and justifies nothing; one
 * that matches no finding is a warning (ZT-DEV-UNUSED); one for a requirement that cannot be
 * deviated from (exclusion grounds: catalogue `no_deviation`) or for one of zorgtoets's own checks
 * is an error (ZT-DEV-FORBIDDEN), and the finding keeps its severity. When several deviations
 * match a finding, the one with the most specific `pad` explains it (the first on a tie).
 */

export type DeviationStatus = 'justified' | 'unjustified' | 'unused' | 'forbidden';

/** A deviation as the engine read and judged it, before localization. */
export interface RawDeviation {
  /** Position in `afwijkingen:` (0-based). */
  index: number;
  /** The ID as written. */
  id: string;
  /** The catalogue ID it names, when the catalogue knows it. */
  requirement?: string;
  pad?: string;
  /** The explanation, trimmed; absent when missing, empty or a placeholder. */
  toelichting?: string;
  status: DeviationStatus;
  /** The list item (its first line). */
  range: Range;
  /** The findings it names: explained by it (status justified), or still standing. */
  findings: RawFinding[];
  /** ZT-DEV findings about the deviation itself. */
  problems: RawFinding[];
}

/** A justified (or refused) deviation of the submission, localized: what exports and reports list. */
export interface Deviation {
  /** Position in `afwijkingen:` (0-based); the item's range is `range`. */
  index: number;
  /** The ID as written. */
  id: string;
  /** The catalogue ID it names, with its title, policy source and policy version (when known). */
  requirement?: { id: string; title: string; source: string; policyVersion?: string };
  pad?: string;
  /** The explanation as written (trimmed); absent when missing, empty or a placeholder. */
  toelichting?: string;
  /** justified: the findings are explained; unjustified: no toelichting; unused: matches nothing; forbidden: may not be deviated from. */
  status: DeviationStatus;
  /** The status in words ("toegelicht", "zonder toelichting", …). */
  statusText: string;
  range: Range;
  /** The findings it names: for "justified" shown as info with `deviation` set; otherwise as reported. */
  findings: Finding[];
  /** ZT-DEV findings about the deviation itself (also in the result's findings). */
  problems: Finding[];
}

export interface DeviationInput {
  raw: readonly RawFinding[];
  data: Record<string, unknown>;
  doc: Document.Parsed;
  index: TextIndex;
  catalogue: Catalogue;
  /** Requirement IDs that apply to the form version (schema, rules, notes, extra rules). */
  formIds: ReadonlySet<string>;
  form: string;
}

export interface DeviationOutcome {
  /** The input findings (justified ones marked with `deviation`), then the ZT-DEV findings. */
  raw: RawFinding[];
  deviations: RawDeviation[];
}

export const DEVIATIONS_KEY = 'afwijkingen';
const DEVIATION_IDS = new Set(['ZT-DEV-REASON', 'ZT-DEV-UNUSED', 'ZT-DEV-FORBIDDEN']);
/** Words people type instead of an explanation. */
const PLACEHOLDERS = new Set(['nvt', 'todo', 'tbd', 'pm', 'volgt', 'xxx', 'x', 'toelichting', 'reden', 'zieboven', 'idem']);

interface Candidate {
  deviation: RawDeviation;
  pattern: PathSegment[];
}

export function applyDeviations(input: DeviationInput): DeviationOutcome {
  const list = input.data[DEVIATIONS_KEY];
  if (!Array.isArray(list) || list.length === 0) return { raw: [...input.raw], deviations: [] };
  const findings = input.raw.map((finding) => ({ ...finding }));
  const deviations: RawDeviation[] = [];
  const candidates: Candidate[] = [];

  list.forEach((item, index) => {
    // Items that are not mappings, or lack an id, are reported by the schema.
    if (!isRecord(item) || !('id' in item) || (typeof item['id'] !== 'string' && typeof item['id'] !== 'number')) return;
    const judged = judge(item, index, input, findings);
    deviations.push(judged.deviation);
    if (judged.pattern) candidates.push({ deviation: judged.deviation, pattern: judged.pattern });
  });

  // Each finding is explained by the most specific justified deviation that matches it.
  for (const finding of findings) {
    let best: Candidate | undefined;
    for (const candidate of candidates) {
      if (candidate.deviation.requirement !== finding.id || !matchesPrefix(candidate.pattern, finding.path, input.data)) continue;
      if (!best || candidate.pattern.length > best.pattern.length) best = candidate;
    }
    if (!best) continue;
    finding.deviation = { index: best.deviation.index, toelichting: best.deviation.toelichting ?? '' };
    best.deviation.findings.push(finding);
  }
  for (const candidate of candidates) {
    const deviation = candidate.deviation;
    if (deviation.findings.length > 0) continue;
    // It matched findings, but each is explained by a more specific (or earlier) deviation.
    const other = candidates.find((c) => c !== candidate && c.deviation.findings.some((f) => f.id === deviation.requirement && matchesPrefix(candidate.pattern, f.path, input.data)));
    deviation.status = 'unused';
    deviation.problems.push(problem(input, 'ZT-DEV-UNUSED', 'duplicate', deviation.index, 'id', { id: deviation.requirement ?? deviation.id, andere: (other?.deviation.index ?? 0) + 1 }));
  }

  return { raw: [...findings, ...deviations.flatMap((d) => d.problems)], deviations };
}

function judge(item: Record<string, unknown>, index: number, input: DeviationInput, findings: readonly RawFinding[]): { deviation: RawDeviation; pattern?: PathSegment[] } {
  const id = String(item['id']).trim();
  const pad = typeof item['pad'] === 'string' || typeof item['pad'] === 'number' ? String(item['pad']).trim() : undefined;
  const reason = readReason(item['toelichting']);
  const entry = lookup(input.catalogue, id);
  const deviation: RawDeviation = {
    index,
    id,
    ...(entry ? { requirement: entry.id } : {}),
    ...(pad ? { pad } : {}),
    ...(reason.text !== undefined ? { toelichting: reason.text } : {}),
    status: 'unused',
    range: rangeForPath(input.doc, input.index, [DEVIATIONS_KEY, index]),
    findings: [],
    problems: [],
  };
  const report = (id: string, variant: string, at: 'id' | 'pad' | 'toelichting', params: RawFinding['params']) =>
    deviation.problems.push(problem(input, id, variant, index, at, params));
  const askReason = () => {
    if (reason.text === undefined) report('ZT-DEV-REASON', reason.variant, 'toelichting', { id: entry?.id ?? id, toelichting: reason.written ?? '' });
  };

  if (!entry) {
    const suggestion = didYouMean(id, [...input.formIds].filter((x) => !x.startsWith('ZT-')));
    report('ZT-DEV-UNUSED', suggestion ? 'unknown-suggest' : 'unknown', 'id', { id, suggestie: suggestion });
    askReason();
    return { deviation };
  }
  // zorgtoets's own checks first (they belong to no form), then IDs that have no place here, then
  // exclusion grounds of this form.
  const forbidden = (variant: 'product' | 'default') => {
    deviation.status = 'forbidden';
    deviation.findings = findings.filter((f) => f.id === entry.id);
    report('ZT-DEV-FORBIDDEN', variant, 'id', { id: entry.id });
    return { deviation };
  };
  if (entry.insurer === 'zorgtoets') return forbidden('product');
  if (entry.severities.includes('note')) {
    report('ZT-DEV-UNUSED', 'note', 'id', { id: entry.id });
    askReason();
    return { deviation };
  }
  if (!input.formIds.has(entry.id)) {
    report('ZT-DEV-UNUSED', 'other-form', 'id', { id: entry.id, formulier: input.form });
    askReason();
    return { deviation };
  }
  if (entry.no_deviation) return forbidden('default');
  let pattern: PathSegment[] = [];
  if (pad) {
    try {
      pattern = parsePathPattern(pad);
    } catch (error) {
      report('ZT-DEV-UNUSED', 'bad-path', 'pad', { id: entry.id, pad, detail: error instanceof Error ? error.message : String(error) });
      askReason();
      return { deviation };
    }
  }
  const sameId = findings.filter((f) => f.id === entry.id);
  const matches = sameId.filter((f) => matchesPrefix(pattern, f.path, input.data));
  if (matches.length === 0) {
    const elsewhere = [...new Set(sameId.map((f) => formatPath(f.path)))];
    if (pad && elsewhere.length > 0) report('ZT-DEV-UNUSED', 'path', 'pad', { id: entry.id, pad, elders: elsewhere.slice(0, 5) });
    else report('ZT-DEV-UNUSED', 'default', 'id', { id: entry.id });
    askReason();
    return { deviation };
  }
  if (reason.text === undefined) {
    deviation.status = 'unjustified';
    deviation.findings = matches;
    askReason();
    return { deviation };
  }
  deviation.status = 'justified';
  return { deviation, pattern };
}

/** A catalogue entry by ID, exactly or ignoring case ("vgz-rho-04C"). */
function lookup(catalogue: Catalogue, id: string): CatalogueEntry | undefined {
  const exact = catalogue.get(id);
  if (exact) return exact;
  const lower = id.toLowerCase();
  return catalogue.all().find((entry) => entry.id.toLowerCase() === lower);
}

/** The toelichting, or why there is none: missing/empty, or a placeholder such as "nvt" or "-". */
function readReason(value: unknown): { text?: string; variant: string; written?: string } {
  if (value === undefined || value === null) return { variant: 'default' };
  const written = String(value).trim();
  if (written === '') return { variant: 'default' };
  const letters = written.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (letters === '' || PLACEHOLDERS.has(letters)) return { variant: 'placeholder', written };
  return { text: written, variant: 'default' };
}

/** The pattern matches the start of the path: a deviation for a section covers what lies in it. */
export function matchesPrefix(pattern: readonly PathSegment[], path: DataPath, data: unknown): boolean {
  if (pattern.length > path.length) return false;
  let node: unknown = data;
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as PathSegment;
    const step = path[i] as string | number;
    switch (segment.kind) {
      case 'key':
        if (step !== segment.key) return false;
        break;
      case 'index':
        if (step !== segment.index) return false;
        break;
      case 'wildcard':
        if (typeof step !== 'number') return false;
        break;
      case 'match':
        if (typeof step !== 'number' || !Array.isArray(node) || !matchesItem(node[step], segment.key, segment.value)) return false;
        break;
    }
    node = typeof step === 'number' ? (Array.isArray(node) ? node[step] : undefined) : isRecord(node) ? node[step] : undefined;
  }
  return true;
}

function problem(input: DeviationInput, id: string, variant: string, index: number, at: 'id' | 'pad' | 'toelichting', params: RawFinding['params']): RawFinding {
  const path: DataPath = [DEVIATIONS_KEY, index, at];
  return { id, variant, params, path, range: rangeForPath(input.doc, input.index, path), origin: 'rule' };
}

export function isDeviationCheck(id: string): boolean {
  return DEVIATION_IDS.has(id);
}
