import type { Engine, Lang } from '../engine/index.js';
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
    reports.push({
      path: target.path,
      ours: result.ours,
      ...(result.form ? { form: result.form } : {}),
      ...(result.year ? { year: result.year } : {}),
      findings: result.findings,
      summary: engine.summarize(result.findings),
    });
  }
  return reports;
}
