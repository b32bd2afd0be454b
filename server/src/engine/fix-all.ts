import type { CheckOptions, CheckResult, Engine } from './engine.js';
import { applyTextEdits } from './text-edits.js';
import { TextIndex } from './text-index.js';
import type { Finding, Fix, TextEdit } from './types.js';

/**
 * Applies the engine's safe quick fixes to a whole text, the way `zorgtoets fix` and an editor's
 * "fix all" do: the preferred fix of each finding (retired products, did-you-mean, "ja" → true,
 * quoting numbers, missing skeleton sections), in rounds until no new fix applies. Within a round
 * only fixes whose edits do not touch each other are applied; the rest wait for the next round,
 * computed on the new text. Never:
 *   - a text that does not parse (syntax errors, limits): refused untouched;
 *   - a result that does not parse: such a fix is left out;
 *   - a result with more problems: a fix after which some ID is reported more often than before
 *     (a replacement that duplicates a list entry) is left out. Questions a skeleton section
 *     asks ("nog niet beantwoord/ingevuld") do not count: asking them is the point;
 *   - an answer to a declaration: a fix that would write true/false is only applied when it
 *     rewrites what the provider typed ("ja" → true); inserted sections ask with null;
 *   - a finding the provider explained under afwijkingen: (a justified deviation stays as it is).
 */

export interface AppliedFix {
  id: string;
  title: string;
  kind: Fix['kind'];
  /** 1-based round; positions are in the text as it was at the start of that round. */
  round: number;
  /** Where the finding was (0-based, LSP). */
  line: number;
  character: number;
  edits: TextEdit[];
}

/** A safe fix that was not applied, and why. */
export interface SkippedFix {
  id: string;
  title: string;
  line: number;
  character: number;
  /** syntax: the result would not parse; worse: IDs reported more often after it; answer: it would answer a yes/no question. */
  reason: 'syntax' | 'worse' | 'answer';
  /** For "worse": the IDs that would be reported more often. */
  ids?: string[];
}

export interface FixAllResult {
  /** The fixed text (the input when nothing applied or it was refused). */
  text: string;
  applied: AppliedFix[];
  /** Fixes left out (each reported once, in the round it was first tried). */
  skipped: SkippedFix[];
  /** Why the text was not touched: it does not parse (then `applied` is empty). */
  refused?: 'syntax';
  /** Rounds that applied at least one fix. */
  rounds: number;
  before: CheckResult;
  after: CheckResult;
}

export interface FixAllOptions {
  /** Upper bound on rounds (default 10): a fix that undoes another cannot loop forever. */
  maxRounds?: number;
}

const SYNTAX = new Set(['ZT-YAML', 'ZT-LIMIT']);

function parses(result: CheckResult): boolean {
  return !result.parsed.unusable && result.parsed.doc !== undefined && !result.findings.some((f) => SYNTAX.has(f.id));
}

export function fixAll(engine: Engine, text: string, options: CheckOptions, fixOptions: FixAllOptions = {}): FixAllResult {
  const checkOptions: CheckOptions = { ...options, explicit: true };
  const before = engine.check(text, checkOptions);
  if (!parses(before)) return { text, applied: [], skipped: [], refused: 'syntax', rounds: 0, before, after: before };

  const crlf = usesCrlf(text);
  const seen = new Set([text]);
  const applied: AppliedFix[] = [];
  const skipped = new Map<string, SkippedFix>();
  const skip = (c: Candidate, reason: SkippedFix['reason'], ids?: string[]) => {
    const key = `${c.finding.id}|${c.fix.title}`;
    if (!skipped.has(key)) skipped.set(key, { id: c.finding.id, title: c.fix.title, line: c.finding.range.start.line, character: c.finding.range.start.character, reason, ...(ids ? { ids } : {}) });
  };
  let current = text;
  let result = before;
  let rounds = 0;
  for (let round = 1; round <= (fixOptions.maxRounds ?? 10); round++) {
    const index = TextIndex.of(current);
    const all = safeFixes(result.findings, index, (c) => skip(c, 'answer')).map((c) => ({ ...c, fix: { ...c.fix, edits: c.fix.edits.map((e) => alignTrailingComment(crlf ? toCrlf(e) : e, index)) } }));
    // Repairs first (a renamed key may supply the "missing" one); skeletons only when none applies.
    const tiers = [all.filter((c) => c.fix.kind !== 'insert-section'), all.filter((c) => c.fix.kind === 'insert-section')];
    let step: { next: string; result: CheckResult; used: Candidate[] } | undefined;
    for (const tier of tiers) {
      step = tier.length > 0 ? applyRound(engine, current, result, nonTouching(tier, index), checkOptions, skip) : undefined;
      if (step) break;
    }
    if (!step) break;
    const { next, result: nextResult, used } = step;
    if (seen.has(next)) break;
    seen.add(next);
    for (const { finding, fix } of used) {
      applied.push({ id: finding.id, title: fix.title, kind: fix.kind, round, line: finding.range.start.line, character: finding.range.start.character, edits: fix.edits });
    }
    current = next;
    result = nextResult;
    rounds = round;
  }
  return { text: current, applied, skipped: [...skipped.values()].filter((s) => !applied.some((a) => a.id === s.id && a.title === s.title)), rounds, before, after: result };
}

interface Candidate {
  finding: Finding;
  fix: Fix;
}

/**
 * Applies a batch of non-touching fixes. When the result does not parse or has more problems,
 * adds them one at a time instead, keeping each after which the text still parses and no ID is
 * reported more often than at the start of the round. Undefined when none can be applied.
 */
function applyRound(
  engine: Engine,
  current: string,
  start: CheckResult,
  batch: readonly Candidate[],
  options: CheckOptions,
  skip: (c: Candidate, reason: SkippedFix['reason'], ids?: string[]) => void,
): { next: string; result: CheckResult; used: Candidate[] } | undefined {
  const next = applyTextEdits(current, batch.flatMap((c) => c.fix.edits));
  const result = engine.check(next, options);
  if (parses(result) && worse(start, result).length === 0) return { next, result, used: [...batch] };
  let best: { next: string; result: CheckResult; used: Candidate[] } | undefined;
  const used: Candidate[] = [];
  for (const candidate of batch) {
    const trial = applyTextEdits(current, [...used, candidate].flatMap((c) => c.fix.edits));
    const trialResult = engine.check(trial, options);
    if (!parses(trialResult)) {
      skip(candidate, 'syntax');
      continue;
    }
    const increased = worse(best?.result ?? start, trialResult);
    if (increased.length > 0) {
      skip(candidate, 'worse', increased);
      continue;
    }
    used.push(candidate);
    best = { next: trial, result: trialResult, used: [...used] };
  }
  return best;
}

/** Variants of findings that ask for what a skeleton section left open: expected after inserting one. */
const QUESTIONS = new Set(['unanswered', 'unfilled']);

/** IDs reported more often in `after` than in `before` (questions and explained findings not counted). */
function worse(before: CheckResult, after: CheckResult): string[] {
  const counts = (result: CheckResult) => {
    const map = new Map<string, number>();
    for (const finding of result.raw) {
      if (QUESTIONS.has(finding.variant) || finding.deviation) continue;
      map.set(finding.id, (map.get(finding.id) ?? 0) + 1);
    }
    return map;
  };
  const was = counts(before);
  return [...counts(after)].filter(([id, n]) => n > (was.get(id) ?? 0)).map(([id]) => id);
}

/** The preferred fix of each finding, when it is safe to apply without a person choosing. */
function safeFixes(findings: readonly Finding[], index: TextIndex, refuse: (c: Candidate) => void): Candidate[] {
  const out: Candidate[] = [];
  for (const finding of findings) {
    if (finding.deviation) continue;
    const fix = finding.fixes?.find((f) => f.preferred);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.kind !== 'boolean-literal' && fix.edits.some((edit) => writesAnswer(edit, index))) {
      refuse({ finding, fix });
      continue;
    }
    out.push({ finding, fix });
  }
  return out;
}

/** An edit that replaces a value by true/false answers a yes/no question for the provider. */
function writesAnswer(edit: TextEdit, index: TextIndex): boolean {
  const replaced = index.text.slice(index.offsetAt(edit.range.start), index.offsetAt(edit.range.end));
  return /^(true|false)$/i.test(edit.newText.trim()) && !/^(true|false)$/i.test(replaced.trim());
}

/** Fixes whose edits neither overlap nor touch those already taken (in text order). */
function nonTouching(candidates: readonly Candidate[], index: TextIndex): Candidate[] {
  const taken: [number, number][] = [];
  const out: Candidate[] = [];
  const spans = (fix: Fix) => fix.edits.map((e) => [index.offsetAt(e.range.start), index.offsetAt(e.range.end)] as [number, number]);
  const sorted = [...candidates].sort((a, b) => Math.min(...spans(a.fix).map((s) => s[0])) - Math.min(...spans(b.fix).map((s) => s[0])));
  for (const candidate of sorted) {
    const own = spans(candidate.fix);
    if (own.some(([s, e]) => taken.some(([ts, te]) => s <= te && ts <= e))) continue;
    taken.push(...own);
    out.push(candidate);
  }
  return out;
}

/**
 * A value replaced on a line with an aligned trailing comment (`key: ja      # ALG-13`) keeps the
 * comment in its column: the spaces before it shrink or grow by the change in length (at least one).
 */
function alignTrailingComment(edit: TextEdit, index: TextIndex): TextEdit {
  const { start, end } = edit.range;
  if (start.line !== end.line || edit.newText.includes('\n')) return edit;
  const rest = index.lineText(end.line).slice(end.character);
  const gap = /^( +)#/.exec(rest)?.[1];
  if (!gap) return edit;
  const spaces = Math.max(1, gap.length - (edit.newText.length - (end.character - start.character)));
  if (spaces === gap.length) return edit;
  return { range: { start, end: { line: end.line, character: end.character + gap.length } }, newText: edit.newText + ' '.repeat(spaces) };
}

function usesCrlf(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  return crlf > 0 && crlf === lf;
}

function toCrlf(edit: TextEdit): TextEdit {
  return { ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') };
}
