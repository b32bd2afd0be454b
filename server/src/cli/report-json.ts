import { totals, type FileReport } from './file-report.js';

/** Machine-readable output: the findings exactly as the engine reports them (0-based positions). */
export function formatJson(reports: readonly FileReport[], version: string): string {
  const total = totals(reports);
  return `${JSON.stringify(
    {
      tool: 'zorgtoets',
      version,
      summary: { files: total.files, skipped: total.skipped, errors: total.errors, warnings: total.warnings, infos: total.infos, deviations: total.deviations },
      files: reports.map((r) => ({
        path: r.path,
        ours: r.ours,
        form: r.form ?? null,
        year: r.year ?? null,
        summary: r.summary,
        findings: r.findings,
        deviations: r.deviations,
      })),
    },
    null,
    2,
  )}\n`;
}
