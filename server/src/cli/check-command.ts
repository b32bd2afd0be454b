import { checkFileOnDisk, checkOptionsFor, type Workspace } from '../node/workspace.js';
import { CrossStep, plainEntry, type PlainParty } from './cross-step.js';
import type { FileReport } from './file-report.js';
import { collectTargets } from './file-walk.js';

/**
 * Checks every target file, each with the configuration (`.zorgtoets.yaml`) that applies to it;
 * I/O and encoding problems become findings, never crashes. The files of one run are then checked
 * together (cross-document checks): the same GP in two regioplans is found in both.
 */
export function runCheck(workspace: Workspace, paths: readonly string[], today: string): FileReport[] {
  const reports: FileReport[] = [];
  const parties: PlainParty[] = [];
  const cross = new CrossStep();
  for (const target of collectTargets(paths)) {
    const setup = workspace.setupFor(target.path);
    const report = checkFileOnDisk(setup, target.path, { today, explicit: target.explicit, keep: true });
    const { result, text } = report;
    // Only what cross-document checks need is kept: the text and the entries in a table (an
    // entry's closures hold the file's whole data; cross-step.ts checks the text again if needed).
    delete report.result;
    delete report.text;
    reports.push(report);
    const entries = result?.ours ? (result.crossEntries?.() ?? []) : [];
    if (result && text !== undefined && entries.length > 0) {
      parties.push(cross.party({ report, engine: setup.engine, lang: setup.lang, text, options: checkOptionsFor(setup, { today, explicit: target.explicit }) }, entries.map(plainEntry)));
    }
  }
  cross.run(parties);
  return reports;
}
