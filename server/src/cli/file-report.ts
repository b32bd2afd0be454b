import type { Finding, Summary } from '../engine/index.js';

/** What `check` learned about one file, for every output format. */
export interface FileReport {
  /** As given or found (relative to the working directory when walked). */
  path: string;
  /** False for YAML files found in a folder that are not submissions (no `formulier:`). */
  ours: boolean;
  form?: string;
  year?: number;
  findings: Finding[];
  summary: Summary;
}

export function totals(reports: readonly FileReport[]): Summary & { files: number; skipped: number } {
  const total = { errors: 0, warnings: 0, infos: 0, files: 0, skipped: 0 };
  for (const report of reports) {
    if (!report.ours) {
      total.skipped++;
      continue;
    }
    total.files++;
    total.errors += report.summary.errors;
    total.warnings += report.summary.warnings;
    total.infos += report.summary.infos;
  }
  return total;
}
