import type { CheckResult, Engine, Summary } from './engine.js';
import { compareIds } from './notation.js';
import type { Lang, Range, Severity } from './types.js';

/**
 * A submission's compliance at a glance: the summary line of the code lens and status bar, and
 * every requirement of its form with its status, for the "requirements of this form" view.
 */

export interface ComplianceSummary extends Summary {
  /** "3 fouten, 1 waarschuwing — VGZ RHO 2026" */
  text: string;
  form?: string;
  year?: number;
}

export function complianceSummary(engine: Engine, result: CheckResult, lang: Lang): ComplianceSummary {
  const summary = engine.summarize(result.findings);
  return {
    ...summary,
    text: engine.summaryText(summary, lang, result.form, result.year),
    ...(result.form !== undefined ? { form: result.form } : {}),
    ...(result.year !== undefined ? { year: result.year } : {}),
  };
}

export type RequirementState = 'met' | Severity | 'note' | 'unchecked';

export interface RequirementStatus {
  id: string;
  title: string;
  source: string;
  state: RequirementState;
  /** "voldoet", "2 fouten", "niet gecontroleerd": the state in words. */
  stateText: string;
  /** The findings of this requirement, with where they are. */
  findings: { message: string; range: Range; severity: Severity }[];
}

const ORDER: Record<RequirementState, number> = { error: 0, warning: 1, info: 2, unchecked: 3, met: 4, note: 5 };

/**
 * Every requirement the form checks (schema, rules, notes), with its state in this submission.
 * "unchecked" when the text could not be checked as a whole (YAML errors, unknown form or year).
 */
export function requirementsStatus(engine: Engine, result: CheckResult, lang: Lang): RequirementStatus[] {
  if (!result.form || result.year === undefined) return [];
  const version = engine.forms.version(result.form, result.year);
  if (!version) return [];
  const checked = !result.parsed.unusable && result.parsed.doc !== undefined;
  const ids = engine.requirementIds(version);
  const out: RequirementStatus[] = [];
  for (const id of ids) {
    const entry = engine.catalogue.get(id);
    if (!entry) continue;
    const findings = result.findings.filter((f) => f.id === id).map((f) => ({ message: f.message, range: f.range, severity: f.severity }));
    let state: RequirementState;
    if (entry.severities.includes('note')) state = 'note';
    else if (findings.length > 0) state = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    else state = checked ? 'met' : 'unchecked';
    out.push({ id, title: entry.title[lang], source: entry.fullSource, state, stateText: stateText(engine, state, findings.length, lang), findings });
  }
  return out.sort((a, b) => ORDER[a.state] - ORDER[b.state] || compareIds(a.id, b.id));
}

function stateText(engine: Engine, state: RequirementState, count: number, lang: Lang): string {
  const label = (key: string, params?: Record<string, number>) => engine.catalogue.label(key, lang, params);
  switch (state) {
    case 'met':
      return label('editor-status-ok');
    case 'unchecked':
      return label('editor-status-unchecked');
    case 'note':
      return label('editor-status-note');
    case 'error':
      return label(count === 1 ? 'error-one' : 'error-many', { n: count });
    case 'warning':
      return label(count === 1 ? 'warning-one' : 'warning-many', { n: count });
    default:
      return `${count} ${label('info')}`;
  }
}
