import type { Summary } from '../engine/index.js';
import type { CheckedFile } from '../node/workspace.js';

/** What `check` learned about one file, for every output format. */
export type FileReport = CheckedFile;

export function totals(reports: readonly FileReport[]): Summary & { files: number; skipped: number; deviations: number } {
  const total = { errors: 0, warnings: 0, infos: 0, files: 0, skipped: 0, deviations: 0 };
  for (const report of reports) {
    if (!report.ours) {
      total.skipped++;
      continue;
    }
    total.files++;
    total.errors += report.summary.errors;
    total.warnings += report.summary.warnings;
    total.infos += report.summary.infos;
    total.deviations += report.deviations.filter((d) => d.status === 'justified').length;
  }
  return total;
}
