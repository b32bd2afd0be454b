import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RegioplanVariant {
  /**
   * Another RHO (1, 2, …): its own organisation name and KvK number and its own AGB and BIG
   * numbers, so many generated plans checked together do not all claim the same practices.
   */
  variant?: number;
  /** Also list the first practice of this other variant's plan: a cross-document finding in both. */
  sharePracticeOf?: number;
}

/**
 * A valid vgz/rho-regioplan of about `lines` lines: the valid sample with its practice list grown
 * to hundreds of practices and GPs (unique AGB and BIG numbers, 90% mandate), totals kept
 * consistent, so a full check has real work and reports nothing. Deterministic.
 */
export function generateRegioplan(root: string, lines: number, options: RegioplanVariant = {}): string {
  const sample = readFileSync(join(root, 'samples/vgz/rho-regioplan/valid.yaml'), 'utf8');
  const start = sample.indexOf('praktijken:\n');
  const end = sample.indexOf('\nzorgketens:\n');
  const head = sample.slice(0, start);
  const tail = sample.slice(end + 1);
  const fixedLines = (head + tail).split('\n').length;
  const practiceLines = 14; // 6 lines of practice + 8 GPs
  const practices = Math.max(1, Math.round((lines - fixedLines) / practiceLines));
  const variant = options.variant ?? 0;
  // Variant 0 keeps the numbers the benchmarks and tests have always used.
  // Eight digits for every variant up to 2,249 with up to 40,000 practices each.
  const agb = (v: number, p: number) => String(v === 0 ? 1000000 + p : 10000000 + v * 40000 + p).padStart(8, '0');
  const big = (v: number, p: number, h: number) => String(10000000000 + v * 1000000 + p * 8 + h);
  const gemeenten = ['Lingedal', 'Waalhoven', 'Bommerwaard', 'Geldermeer', 'Rietveen', 'Betuwezande'];
  const out: string[] = ['praktijken:'];
  let patients = 0;
  let gps = 0;
  for (let p = 0; p < practices; p++) {
    const count = 9000 + ((p * 7919) % 9000);
    patients += count;
    const shared = p === 0 && options.sharePracticeOf !== undefined;
    out.push(`  - naam: Huisartsenpraktijk Proef ${p + 1}`);
    out.push(`    agb_code: "${shared ? agb(options.sharePracticeOf ?? 0, 0) : agb(variant, p)}"`);
    out.push(`    gemeente: ${gemeenten[p % gemeenten.length]}`);
    out.push(`    aantal_ingeschreven_patienten: ${count}`);
    out.push('    huisartsen:');
    for (let h = 0; h < 8; h++) {
      out.push(`      - {naam: Huisarts ${p + 1}-${h + 1}, big_nummer: "${big(variant, p, h)}", mandaat: ${(p * 8 + h) % 10 !== 0}}`);
      gps++;
    }
    out.push('');
  }
  let body = head
    .replace(/aantal_ingeschreven_patienten: \d+/, `aantal_ingeschreven_patienten: ${patients}`)
    .replace(/aantal_huisartsen_in_regio: \d+/, `aantal_huisartsen_in_regio: ${gps}`);
  if (variant > 0) {
    body = body
      .replace(/^(organisatie:\n  naam: ).*$/m, `$1Stichting Huisartsenzorg Proefregio ${variant}`)
      .replace(/^(  kvk_nummer: )"\d{8}"$/m, `$1"${String(20000000 + variant)}"`);
  }
  return `${body}${out.join('\n')}\n${tail}`;
}
