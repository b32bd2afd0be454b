/**
 * Hostile and accidental texts, for the hostile-input test (through the server) and benchmark.
 * Each is what a consultant could really paste or open, taken to the extreme; each must give one
 * clear ZT-LIMIT finding in bounded time and memory.
 */

const HEAD = 'formulier: vgz/rho-regioplan\ncontractjaar: 2026\n';

export interface HostileInput {
  name: string;
  /** What the one ZT-LIMIT finding says (Dutch). */
  message: RegExp;
  text: () => string;
  /** Only in the benchmark: seconds of work by design (a finding flood near the bounds). */
  benchOnly?: boolean;
}

/** Billion laughs: ten levels of nine aliases each, 10⁹ strings when expanded. */
function aliasBomb(): string {
  const lines = [HEAD.trimEnd(), 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

export const HOSTILE: HostileInput[] = [
  { name: 'alias bomb (billion laughs)', message: /Te veel alias-verwijzingen/, text: aliasBomb },
  { name: '10,000-deep nesting (flow)', message: /te diep genest/, text: () => `${HEAD}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` },
  { name: '10,000-deep nesting (block lists)', message: /te diep genest/, text: () => `${HEAD}x:\n  ${'- '.repeat(10_000)}a\n` },
  { name: '50 MB file', message: /te groot om te controleren \(51\.200 kB; maximaal 8\.192 kB\)/, text: () => `${HEAD}toelichting: ${'Lorem ipsum dolor sit amet. '.repeat((50 * 1024 * 1024) / 28)}\n` },
  { name: '1 MB single line', message: /Regel 3 is te lang/, text: () => `${HEAD}toelichting: ${'x'.repeat(1024 * 1024)}\n` },
  { name: '5,000 documents in one file', message: /5001 YAML-documenten/, text: () => `${HEAD}${'---\nformulier: vgz/rho-regioplan\ncontractjaar: 2026\n'.repeat(5000)}` },
  { name: '300,000 list items', message: /te omvangrijk om te controleren/, text: () => `${HEAD}praktijken:\n${'  - x\n'.repeat(300_000)}` },
  { name: '1,000,000 duplicate keys', message: /te omvangrijk om te controleren/, text: () => `${HEAD}${'a: 1\n'.repeat(1_000_000)}` },
  { name: '150,000 keys in one mapping', message: /Deze sectie heeft 150\.00\d sleutels/, text: () => `${HEAD}${Array.from({ length: 150_000 }, (_, i) => `k${i}: 1`).join('\n')}\n` },
  { name: '4,990 unknown keys (just under the bound)', message: /Meer dan 1\.000 meldingen/, benchOnly: true, text: () => `${HEAD}${Array.from({ length: 4_990 }, (_, i) => `k${i}: 1`).join('\n')}\n` },
  { name: '40,000 wrong list items', message: /Meer dan 1\.000 meldingen/, benchOnly: true, text: () => `${HEAD}praktijken:\n${'  - {}\n'.repeat(40_000)}` },
  { name: '195,000 wrong list items (just under the bound)', message: /Meer dan 1\.000 meldingen/, benchOnly: true, text: () => `${HEAD}praktijken:\n${'  - {}\n'.repeat(195_000)}` },
];
