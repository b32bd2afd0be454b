import type { Catalogue } from './catalogue.js';
import type { Severity } from './types.js';

/**
 * An organisation may give its own requirements another severity (`ernst:` in .zorgtoets.yaml).
 * The insurer's requirements and zorgtoets's own checks keep theirs: the insurer decides what a
 * minimum requirement is, and a finding a provider deliberately leaves standing belongs under
 * `afwijkingen:`, where the insurer sees why.
 */

/** A severity override the engine refuses (unknown ID, or a built-in requirement). */
export class SeverityOverrideError extends Error {
  constructor(
    readonly id: string,
    readonly problem: string,
  ) {
    super(`${id}: ${problem}`);
    this.name = 'SeverityOverrideError';
  }
}

export function checkSeverityOverrides(catalogue: Catalogue, overrides: Record<string, Severity>): Map<string, Severity> {
  const checked = new Map<string, Severity>();
  for (const [id, severity] of Object.entries(overrides)) {
    const entry = catalogue.get(id);
    if (!entry) throw new SeverityOverrideError(id, 'onbekend ID (niet in de catalogus, ook niet in de extra mappen)');
    if (entry.origin !== 'extra') {
      throw new SeverityOverrideError(
        id,
        `${id} is een eis van ${entry.insurer === 'zorgtoets' ? 'zorgtoets zelf' : entry.insurer}; de ernst van ingebouwde eisen ligt vast (de verzekeraar bepaalt wat een minimumeis is). Alleen eigen regels van de organisatie kunnen een andere ernst krijgen; een melding die u bewust laat staan, licht u toe onder afwijkingen:`,
      );
    }
    if (entry.severities.includes('note')) throw new SeverityOverrideError(id, `${id} is een notitie en wordt nooit een melding`);
    if (!['error', 'warning', 'info'].includes(severity)) throw new SeverityOverrideError(id, `ernst moet error, warning of info zijn, niet "${String(severity)}"`);
    checked.set(id, severity);
  }
  return checked;
}
