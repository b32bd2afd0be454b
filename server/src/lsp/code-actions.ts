import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Engine, Finding, Fix, FixKind, Lang } from '../engine/index.js';
import { sameFinding, toDiagnostic } from './convert.js';

/**
 * Code actions: each quick fix the engine computed for a diagnostic in the request, and "fix all
 * of this kind in the file" where several findings of one ID have a safe (preferred) fix.
 */
export function codeActions(engine: Engine, uri: string, version: number, findings: readonly Finding[], requested: readonly Diagnostic[], lang: Lang): CodeAction[] {
  const actions: CodeAction[] = [];
  const fixAllDone = new Set<string>();
  for (const diagnostic of requested) {
    const finding = findings.find((f) => sameFinding(diagnostic, f));
    if (!finding?.fixes) continue;
    for (const fix of finding.fixes) {
      actions.push(action(fix.title, uri, version, fix.edits, [diagnostic], fix.preferred === true));
    }
    if (!fixAllDone.has(finding.id)) {
      fixAllDone.add(finding.id);
      const all = fixAll(findings.filter((f) => f.id === finding.id));
      if (all.count > 1) {
        const title = engine.catalogue.label('editor-fix-all', lang, { id: finding.id, n: all.count });
        actions.push(action(title, uri, version, all.edits, all.findings.map((f) => toDiagnostic(f, uri)), false));
      }
    }
    // Mechanical fixes ("ja" → true) also across requirements: each declaration has its own ID.
    for (const kind of new Set(finding.fixes.filter((f) => f.preferred).map((f) => f.kind))) {
      if (!MECHANICAL.has(kind) || fixAllDone.has(`kind:${kind}`)) continue;
      fixAllDone.add(`kind:${kind}`);
      const all = fixAll(findings.filter((f) => f.fixes?.some((x) => x.preferred && x.kind === kind)), kind);
      if (all.count > 1 && new Set(all.findings.map((f) => f.id)).size > 1) {
        const title = engine.catalogue.label(`editor-fix-all-${kind}`, lang, { n: all.count });
        actions.push(action(title, uri, version, all.edits, all.findings.map((f) => toDiagnostic(f, uri)), false));
      }
    }
  }
  return actions;
}

/** Fix kinds that need no judgement, offered for the whole file across requirement IDs. */
const MECHANICAL = new Set<FixKind>(['boolean-literal']);

function action(title: string, uri: string, version: number, edits: readonly TextEdit[], diagnostics: Diagnostic[], preferred: boolean): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    ...(preferred ? { isPreferred: true } : {}),
    // Versioned: the client refuses the edit if the text changed since the check.
    edit: { documentChanges: [{ textDocument: { uri, version }, edits: [...edits] }] },
  };
}

/** The preferred fix of each finding, leaving out any whose edits would overlap an earlier one. */
function fixAll(findings: readonly Finding[], kind?: FixKind): { edits: TextEdit[]; count: number; findings: Finding[] } {
  const taken: { start: number[]; end: number[] }[] = [];
  const edits: TextEdit[] = [];
  const used: Finding[] = [];
  const key = (p: { line: number; character: number }) => [p.line, p.character];
  const less = (a: number[], b: number[]) => (a[0] ?? 0) < (b[0] ?? 0) || ((a[0] ?? 0) === (b[0] ?? 0) && (a[1] ?? 0) < (b[1] ?? 0));
  for (const finding of findings) {
    const fix: Fix | undefined = finding.fixes?.find((f) => f.preferred && (kind === undefined || f.kind === kind));
    if (!fix) continue;
    const spans = fix.edits.map((e) => ({ start: key(e.range.start), end: key(e.range.end) }));
    // Two edits overlap when one starts before the other ends; insertions at one point do not.
    const overlaps = spans.some((s) => taken.some((t) => less(s.start, t.end) && less(t.start, s.end)));
    if (overlaps) continue;
    taken.push(...spans);
    edits.push(...fix.edits);
    used.push(finding);
  }
  return { edits, count: used.length, findings: used };
}
