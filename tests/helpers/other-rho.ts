import { sample } from './engine.js';

/**
 * The valid regioplan of another RHO (Waalmond, its own KvK number) that lists exactly one of
 * Lingestroom's practices, Waalkade, with its GPs: the same practice and GPs in two RHOs' plans
 * (VGZ-RHO-05).
 */
export function otherRhoPlan(regioplan = sample('vgz/rho-regioplan')): string {
  const start = regioplan.indexOf('  - naam: Huisartsenpraktijk Waalkade');
  const end = regioplan.indexOf('  - naam: Gezondheidscentrum Bommerwaard');
  const ownStart = regioplan.indexOf('praktijken:\n') + 'praktijken:\n'.length;
  const ownEnd = regioplan.indexOf('\nzorgketens:');
  return (regioplan.slice(0, ownStart) + regioplan.slice(start, end) + regioplan.slice(ownEnd + 1))
    .replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond')
    .replace('"71845203"', '"62930174"');
}
