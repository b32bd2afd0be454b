import type { CheckResult, Engine, Lang } from '../engine/index.js';
import { readSubmission } from '../node/read-submission.js';
import type { FileReport } from './file-report.js';
import { collectTargets } from './file-walk.js';

export interface CheckCommandOptions {
  lang: Lang;
  today: string;
  peildatum?: string;
}

/** Checks every target file; I/O and encoding problems become findings, never crashes. */
export function runCheck(engine: Engine, paths: readonly string[], options: CheckCommandOptions): FileReport[] {
  const reports: FileReport[] = [];
  const checked: { report: FileReport; result: CheckResult }[] = [];
  for (const target of collectTargets(paths)) {
    const read = readSubmission(target.path);
    if (!read.ok) {
      const finding =
        read.reason === 'encoding'
          ? engine.fileFinding('ZT-LIMIT', 'encoding', { detail: read.detail }, options.lang)
          : engine.fileFinding('ZT-INTERNAL', 'default', { detail: read.detail }, options.lang);
      reports.push({ path: target.path, ours: true, findings: [finding], summary: engine.summarize([finding]) });
      continue;
    }
    const result = engine.check(read.text, {
      lang: options.lang,
      today: options.today,
      explicit: target.explicit,
      ...(options.peildatum ? { peildatum: options.peildatum } : {}),
    });
    const report: FileReport = {
      path: target.path,
      ours: result.ours,
      ...(result.form ? { form: result.form } : {}),
      ...(result.year ? { year: result.year } : {}),
      findings: result.findings,
      summary: engine.summarize(result.findings),
    };
    reports.push(report);
    if (result.ours) checked.push({ report, result });
  }
  addCrossDocumentFindings(engine, checked, options.lang);
  return reports;
}

/** The files of one run are checked together: the same GP in two regioplans is found in both. */
function addCrossDocumentFindings(engine: Engine, checked: readonly { report: FileReport; result: CheckResult }[], lang: Lang): void {
  const cross = engine.crossCheck(
    checked.map(({ report, result }) => ({ uri: report.path, name: report.path, result })),
    lang,
  );
  for (const { report } of checked) {
    const extra = cross.get(report.path);
    if (!extra || extra.length === 0) continue;
    report.findings = [...report.findings, ...extra].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.id.localeCompare(b.id),
    );
    report.summary = engine.summarize(report.findings);
  }
}
