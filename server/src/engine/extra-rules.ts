import type { RuleContext, RuleFinding, RuleProblem, RuleSet } from './rules.js';

/**
 * Evaluating an organisation's own rules (its extra folders) with a bound on their cost. The
 * insurer's rules are ours and run on bounded input (Limits); an organisation's rules are data
 * from elsewhere, and CEL has no metering of its own: a nested comprehension over a long list, or
 * over a 200-element list literal four levels deep, runs for hours. So the engine hands each extra
 * rules file to an evaluator the adapter provides — the Node adapters run it in a worker thread
 * with a time and memory limit (server/src/node/rule-sandbox.ts). The engine itself stays pure.
 */

export interface ExtraRuleRequest {
  /** The rule files of the set, in order (the form's own first: the extra rules use its lists). */
  paths: readonly string[];
  /** The extra rules file whose rules to evaluate. */
  file: string;
  data: unknown;
  context: RuleContext;
}

export type ExtraRuleOutcome =
  | { ok: true; findings: RuleFinding[]; problems: RuleProblem[] }
  /** The rules did not finish: too slow, too much memory, or the evaluator broke. Said in Dutch. */
  | { ok: false; reason: string };

export interface ExtraRuleEvaluator {
  evaluate(request: ExtraRuleRequest): ExtraRuleOutcome;
  /** Frees what the evaluator holds (a worker thread) when its engine is dropped. */
  dispose?(): void;
}

/** In-process evaluation, unbounded: for tests and embedders that trust their extra rules. */
export function evaluateInProcess(set: RuleSet, request: ExtraRuleRequest): ExtraRuleOutcome {
  const problems: RuleProblem[] = [];
  const findings = set.evaluate(request.data, request.context, problems, undefined, (file) => file === request.file);
  return { ok: true, findings, problems };
}

/**
 * A rule that fails on every item fails the same way each time: one problem per rule, with the
 * number of places, so a broken rule is one clear finding and not a thousand.
 */
export function problemsPerRule(problems: readonly RuleProblem[]): { id: string; file: string; detail: string }[] {
  const byRule = new Map<string, { id: string; file: string; detail: string; count: number }>();
  for (const problem of problems) {
    const key = `${problem.file}|${problem.id}`;
    const known = byRule.get(key);
    if (known) known.count++;
    else byRule.set(key, { ...problem, count: 1 });
  }
  return [...byRule.values()].map(({ count, ...problem }) => ({ ...problem, detail: count > 1 ? `${problem.detail} (en op ${count - 1} andere plaatsen)` : problem.detail }));
}
