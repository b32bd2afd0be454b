import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { fixAll, type AppliedFix, type Lang, type SkippedFix, type Summary } from '../engine/index.js';
import { ChangedOnDiskError, writeFileAtomic } from '../node/atomic-write.js';
import { decodeSubmission } from '../node/read-submission.js';
import type { Workspace } from '../node/workspace.js';
import { collectTargets, UsageError } from './file-walk.js';

/**
 * `zorgtoets fix <files…> [--dry-run]`: the engine's safe quick fixes applied to files on disk.
 * Files that do not parse are refused untouched; results are written atomically, and only when
 * the file did not change meanwhile. `--dry-run` writes nothing and prints a unified diff.
 */

export interface FixFileReport {
  path: string;
  /** Why the file was left untouched. */
  refused?: 'syntax' | 'encoding' | 'write';
  detail?: string;
  applied: AppliedFix[];
  /** Safe fixes left out, with the reason. */
  skipped: SkippedFix[];
  before: Summary;
  after: Summary;
  /** Unified diff of the change (empty when nothing changed). */
  diff: string;
  written: boolean;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function runFix(workspace: Workspace, paths: readonly string[], options: { today: string; dryRun: boolean }): FixFileReport[] {
  const reports: FixFileReport[] = [];
  for (const target of collectTargets(paths)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(target.path);
    } catch (error) {
      throw new UsageError(`kan ${target.path} niet lezen: ${error instanceof Error ? error.message : String(error)}`);
    }
    const setup = workspace.setupFor(target.path);
    const { engine } = setup;
    const decoded = decodeSubmission(bytes);
    const none: Summary = { errors: 0, warnings: 0, infos: 0 };
    if (!decoded.ok) {
      if (!target.explicit) continue;
      reports.push({ path: target.path, refused: 'encoding', detail: decoded.detail, applied: [], skipped: [], before: { ...none, errors: 1 }, after: { ...none, errors: 1 }, diff: '', written: false });
      continue;
    }
    const text = decoded.text;
    if (!target.explicit && engine.identify(text).form === undefined) continue;
    const outcome = fixAll(engine, text, { lang: setup.lang, today: options.today, ...(setup.peildatum ? { peildatum: setup.peildatum } : {}) });
    const before = engine.summarize(outcome.before.findings);
    const after = engine.summarize(outcome.after.findings);
    if (outcome.refused) {
      const first = outcome.before.findings[0];
      const detail = first ? `${first.range.start.line + 1}:${first.range.start.character + 1} ${first.id} ${first.message}` : '';
      reports.push({ path: target.path, refused: 'syntax', detail, applied: [], skipped: [], before, after, diff: '', written: false });
      continue;
    }
    const changed = outcome.text !== text;
    const label = displayPath(target.path);
    const diff = changed ? createTwoFilesPatch(`a/${label}`, `b/${label}`, text, outcome.text, '', '', { headerOptions: FILE_HEADERS_ONLY }) : '';
    let written = false;
    if (changed && !options.dryRun) {
      const hasBom = bytes.subarray(0, 3).equals(BOM);
      const out = Buffer.concat([hasBom ? BOM : Buffer.alloc(0), Buffer.from(outcome.text, 'utf8')]);
      try {
        writeFileAtomic(target.path, out, bytes);
        written = true;
      } catch (error) {
        const detail = error instanceof ChangedOnDiskError ? error.message : `kan ${target.path} niet schrijven: ${error instanceof Error ? error.message : String(error)}`;
        reports.push({ path: target.path, refused: 'write', detail, applied: outcome.applied, skipped: outcome.skipped, before, after: before, diff, written: false });
        continue;
      }
    }
    reports.push({ path: target.path, applied: outcome.applied, skipped: outcome.skipped, before, after, diff, written });
  }
  return reports;
}

function displayPath(path: string): string {
  const rel = isAbsolute(path) ? relative(process.cwd(), path) : path;
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

/** The human part: one line per applied fix (compiler-style), refusals, and a summary per file. */
export function formatFixReport(reports: readonly FixFileReport[], lang: Lang, dryRun: boolean): string {
  const nl = lang === 'nl';
  const lines: string[] = [];
  let fixes = 0;
  let files = 0;
  for (const report of reports) {
    if (report.refused === 'syntax') {
      lines.push(nl ? `${report.path}: niet aangepast: het bestand bevat syntaxfouten (${report.detail}); los die eerst op` : `${report.path}: not changed: the file has syntax errors (${report.detail}); fix those first`);
      continue;
    }
    if (report.refused === 'write') {
      lines.push(nl ? `${report.path}: niet aangepast: ${report.detail}` : `${report.path}: not changed: ${report.detail}`);
      continue;
    }
    if (report.refused === 'encoding') {
      lines.push(nl ? `${report.path}: niet aangepast: geen geldige UTF-8-tekst (${report.detail})` : `${report.path}: not changed: not valid UTF-8 text (${report.detail})`);
      continue;
    }
    for (const fix of report.applied) {
      const round = fix.round > 1 ? (nl ? ` (ronde ${fix.round})` : ` (round ${fix.round})`) : '';
      lines.push(`${report.path}:${fix.line + 1}:${fix.character + 1}  ${fix.id.padEnd(12)}  ${fix.title}${round}`);
    }
    for (const fix of report.skipped) {
      const why =
        fix.reason === 'worse'
          ? nl ? `zou ${fix.ids?.join(', ')} vaker melden` : `would report ${fix.ids?.join(', ')} more often`
          : fix.reason === 'syntax'
            ? nl ? 'het bestand zou ongeldige YAML worden' : 'the file would become invalid YAML'
            : nl ? 'zou een vraag beantwoorden' : 'would answer a question';
      lines.push(`${report.path}:${fix.line + 1}:${fix.character + 1}  ${fix.id.padEnd(12)}  ${nl ? 'niet toegepast' : 'not applied'}: ${fix.title} (${why})`);
    }
    fixes += report.applied.length;
    if (report.applied.length > 0) files++;
    const remaining = `${count(report.after.errors, nl ? 'fout' : 'error', nl ? 'fouten' : 'errors')}, ${count(report.after.warnings, nl ? 'waarschuwing' : 'warning', nl ? 'waarschuwingen' : 'warnings')}`;
    const n = report.applied.length;
    if (n === 0) lines.push(nl ? `${report.path}: geen veilige oplossingen; ${remaining}` : `${report.path}: no safe fixes; ${remaining}`);
    else if (dryRun) lines.push(nl ? `${report.path}: ${count(n, 'oplossing', 'oplossingen')} mogelijk; daarna ${remaining}` : `${report.path}: ${count(n, 'fix', 'fixes')} possible; then ${remaining}`);
    else lines.push(nl ? `${report.path}: ${count(n, 'oplossing', 'oplossingen')} toegepast; nu ${remaining}` : `${report.path}: ${count(n, 'fix', 'fixes')} applied; now ${remaining}`);
  }
  const total = dryRun
    ? nl ? `${count(fixes, 'oplossing', 'oplossingen')} in ${count(files, 'bestand', 'bestanden')} (proefdraai: niets geschreven)` : `${count(fixes, 'fix', 'fixes')} in ${count(files, 'file', 'files')} (dry run: nothing written)`
    : nl ? `${count(fixes, 'oplossing', 'oplossingen')} toegepast in ${count(files, 'bestand', 'bestanden')}` : `${count(fixes, 'fix', 'fixes')} applied in ${count(files, 'file', 'files')}`;
  lines.push(total);
  return `${lines.join('\n')}\n`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
