import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A valid vgz/rho-regioplan of about `lines` lines: the valid sample with its practice list grown
 * to hundreds of practices and GPs (unique AGB and BIG numbers, 90% mandate), totals kept
 * consistent, so a full check has real work and reports nothing. Deterministic.
 */
export function generateRegioplan(root: string, lines: number): string {
  const sample = readFileSync(join(root, 'samples/vgz/rho-regioplan/valid.yaml'), 'utf8');
  const start = sample.indexOf('praktijken:\n');
  const end = sample.indexOf('\nzorgketens:\n');
  const head = sample.slice(0, start);
  const tail = sample.slice(end + 1);
  const fixedLines = (head + tail).split('\n').length;
  const practiceLines = 14; // 6 lines of practice + 8 GPs
  const practices = Math.max(1, Math.round((lines - fixedLines) / practiceLines));
  const gemeenten = ['Lingedal', 'Waalhoven', 'Bommerwaard', 'Geldermeer', 'Rietveen', 'Betuwezande'];
  const out: string[] = ['praktijken:'];
  let patients = 0;
  let gps = 0;
  for (let p = 0; p < practices; p++) {
    const count = 9000 + ((p * 7919) % 9000);
    patients += count;
    out.push(`  - naam: Huisartsenpraktijk Proef ${p + 1}`);
    out.push(`    agb_code: "${String(1000000 + p).padStart(8, '0')}"`);
    out.push(`    gemeente: ${gemeenten[p % gemeenten.length]}`);
    out.push(`    aantal_ingeschreven_patienten: ${count}`);
    out.push('    huisartsen:');
    for (let h = 0; h < 8; h++) {
      const big = String(10000000000 + p * 8 + h);
      out.push(`      - {naam: Huisarts ${p + 1}-${h + 1}, big_nummer: "${big}", mandaat: ${(p * 8 + h) % 10 !== 0}}`);
      gps++;
    }
    out.push('');
  }
  const body = head
    .replace(/aantal_ingeschreven_patienten: \d+/, `aantal_ingeschreven_patienten: ${patients}`)
    .replace(/aantal_huisartsen_in_regio: \d+/, `aantal_huisartsen_in_regio: ${gps}`);
  return `${body}${out.join('\n')}\n${tail}`;
}
