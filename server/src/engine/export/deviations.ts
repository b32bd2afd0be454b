import type { Catalogue } from '../catalogue.js';
import { isRecord } from '../paths.js';
import type { Lang } from '../types.js';

/**
 * The justified deviations a submission states (`afwijkingen: [{id, pad, toelichting}]`, per the
 * forms README), as every export and the compliance report show them in the section
 * "Afwijkingen en toelichting". This is the one place the export reads them: when the engine
 * learns to judge deviations (justified, unused, forbidden), that judgement is passed in through
 * `DeviationEntry.status` and the section shows it; until then each entry is listed as stated.
 */

export interface DeviationEntry {
  id: string;
  /** The requirement's title in the export's language, when the ID is known. */
  title?: string;
  pad?: string;
  toelichting?: string;
  /** The engine's judgement of the deviation, localized ("toegelicht", "ongebruikt", …), when known. */
  status?: string;
}

export function listDeviations(data: unknown, catalogue: Catalogue, lang: Lang): DeviationEntry[] {
  if (!isRecord(data) || !Array.isArray(data['afwijkingen'])) return [];
  const entries: DeviationEntry[] = [];
  for (const item of data['afwijkingen']) {
    if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'].trim() === '') continue;
    const id = item['id'].trim();
    const title = catalogue.get(id)?.title[lang];
    entries.push({
      id,
      ...(title ? { title } : {}),
      ...(typeof item['pad'] === 'string' && item['pad'] !== '' ? { pad: item['pad'] } : {}),
      ...(typeof item['toelichting'] === 'string' && item['toelichting'].trim() !== '' ? { toelichting: item['toelichting'].trim() } : {}),
    });
  }
  return entries;
}

export const DEVIATIONS_TEXT = {
  title: { nl: 'Afwijkingen en toelichting', en: 'Deviations and justification' },
  sheet: { nl: 'Afwijkingen', en: 'Deviations' },
  none: { nl: 'Er zijn geen afwijkingen opgegeven: de aanvraag volgt alle minimumeisen zonder uitzondering.', en: 'No deviations are stated: the submission follows every minimum requirement without exception.' },
  intro: {
    nl: 'De zorgaanbieder wijkt op de volgende punten bewust af van een minimumeis en licht dat toe.',
    en: 'The provider deliberately deviates from a minimum requirement on the following points and explains why.',
  },
  columns: {
    id: { nl: 'Eis', en: 'Requirement' },
    title: { nl: 'Omschrijving', en: 'Description' },
    pad: { nl: 'Veld', en: 'Field' },
    toelichting: { nl: 'Toelichting', en: 'Justification' },
    status: { nl: 'Beoordeling', en: 'Assessment' },
  },
  missing: { nl: '(geen toelichting)', en: '(no justification)' },
} as const;
