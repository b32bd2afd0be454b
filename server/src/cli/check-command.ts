import { checkFileOnDisk, type Workspace } from '../node/workspace.js';
import type { FileReport } from './file-report.js';
import { collectTargets } from './file-walk.js';

/**
 * Checks every target file, each with the configuration (`.zorgtoets.yaml`) that applies to it;
 * I/O and encoding problems become findings, never crashes.
 */
export function runCheck(workspace: Workspace, paths: readonly string[], today: string): FileReport[] {
  return collectTargets(paths).map((target) => checkFileOnDisk(workspace.setupFor(target.path), target.path, { today, explicit: target.explicit }));
}
