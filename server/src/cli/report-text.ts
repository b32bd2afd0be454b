import type { Engine, Lang } from '../engine/index.js';
import { totals, type FileReport } from './file-report.js';

/**
 * Compiler-style text: `file:line:col  severity  ID  message`, one line per finding, so editors and
 * CI logs can link each line to its place. Severity words stay English (error/warning/info) for
 * problem matchers; the messages are in the chosen language.
 */
export function formatText(reports: readonly FileReport[], engine: Engine, lang: Lang): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (!report.ours) continue;
    for (const finding of report.findings) {
      const { line, character } = finding.range.start;
      lines.push(`${report.path}:${line + 1}:${character + 1}  ${finding.severity.padEnd(7)}  ${finding.id.padEnd(12)}  ${finding.message}`);
    }
  }
  const total = totals(reports);
  const files = lang === 'nl' ? `${total.files} ${total.files === 1 ? 'bestand' : 'bestanden'} gecontroleerd` : `${total.files} ${total.files === 1 ? 'file' : 'files'} checked`;
  const skipped = total.skipped === 0 ? '' : lang === 'nl' ? `, ${total.skipped} overgeslagen (geen formulier:)` : `, ${total.skipped} skipped (no formulier:)`;
  const deviations = total.deviations === 0 ? '' : lang === 'nl' ? ` (${total.deviations} ${total.deviations === 1 ? 'afwijking' : 'afwijkingen'} toegelicht)` : ` (${total.deviations} ${total.deviations === 1 ? 'deviation' : 'deviations'} explained)`;
  lines.push(`${files}${skipped}: ${engine.summaryText(total, lang)}${deviations}`);
  return `${lines.join('\n')}\n`;
}
