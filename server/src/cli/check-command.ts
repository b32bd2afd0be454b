import type { CrossInput, Engine, Lang } from '../engine/index.js';
import { checkFileOnDisk, type Workspace } from '../node/workspace.js';
import type { FileReport } from './file-report.js';
import { collectTargets } from './file-walk.js';

/**
 * Checks every target file, each with the configuration (`.zorgtoets.yaml`) that applies to it;
 * I/O and encoding problems become findings, never crashes. The files of one run are then checked
 * together (cross-document checks): the same GP in two regioplans is found in both.
 */
export function runCheck(workspace: Workspace, paths: readonly string[], today: string): FileReport[] {
  const reports: FileReport[] = [];
  const parties: CrossParty[] = [];
  for (const target of collectTargets(paths)) {
    const setup = workspace.setupFor(target.path);
    const report = checkFileOnDisk(setup, target.path, { today, explicit: target.explicit, keep: true });
    const { result, text } = report;
    // Only what cross-document checks need is kept: the entries, and the text for a range.
    delete report.result;
    delete report.text;
    reports.push(report);
    const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
    if (result && text !== undefined && entries.length > 0) {
      parties.push({
        report,
        engine: setup.engine,
        lang: setup.lang,
        input: {
          uri: report.path,
          name: report.path,
          ...(result.form ? { form: result.form } : {}),
          ...(result.year ? { year: result.year } : {}),
          entries,
          rangeOf: setup.engine.rangeResolver(text),
        },
      });
    }
  }
  addCrossDocumentFindings(parties);
  return reports;
}

/** A checked file taking part in cross-document checks (also built by parallel-check.ts). */
export interface CrossParty {
  report: FileReport;
  input: CrossInput;
  engine: Engine;
  lang: Lang;
}

/** Adds the findings across files to their reports (the same for the single- and multi-threaded run). */
export function addCrossDocumentFindings(parties: readonly CrossParty[]): void {
  const first = parties[0];
  if (!first) return;
  const cross = first.engine.crossCheck(
    parties.map((p) => p.input),
    first.lang,
  );
  for (const { report, engine } of parties) {
    const extra = cross.get(report.path);
    if (!extra || extra.length === 0) continue;
    report.findings = [...report.findings, ...extra].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.id.localeCompare(b.id),
    );
    report.summary = engine.summarize(report.findings);
  }
}
