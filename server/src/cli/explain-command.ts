import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogueEntry, Engine, Example, Lang } from '../engine/index.js';
import { applyExampleEdits, describeEdits, exampleFindings, examplePartner, ExampleError } from '../engine/examples.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { UsageError } from './file-walk.js';

/**
 * `zorgtoets explain <ID>`: what a requirement asks, why, where it comes from, the forms it applies
 * to, and an example that fails (with the message zorgtoets then gives) and one that passes.
 */

const WORDS = {
  nl: { severity: 'Ernst', source: 'Bron', policy: 'Beleid', version: 'Beleidsversie', deviation: 'Afwijken', noDeviation: 'niet mogelijk (uitsluitingsgrond): een afwijking onder afwijkingen: is een fout (ZT-DEV-FORBIDDEN)', own: 'eigen regel van de organisatie', origin: 'Herkomst', forms: 'Formulieren', fails: 'Voldoet niet', passes: 'Voldoet', gives: 'geeft', based: 'wijzigingen op', unchanged: 'het voorbeeld zonder wijzigingen', together: 'samen gecontroleerd met', note: 'notitie: geen melding in het bestand, wel getoond in de hover op formulier:, het eisenoverzicht en het nalevingsrapport', none: '(geen)' },
  en: { severity: 'Severity', source: 'Source', policy: 'Policy', version: 'Policy version', deviation: 'Deviating', noDeviation: 'not possible (exclusion ground): a deviation under afwijkingen: is an error (ZT-DEV-FORBIDDEN)', own: "the organisation's own rule", origin: 'Origin', forms: 'Forms', fails: 'Fails', passes: 'Passes', gives: 'gives', based: 'changes to', unchanged: 'the sample unchanged', together: 'checked together with', note: 'note: never a finding in the file; shown in the hover on formulier:, the requirements view and the compliance report', none: '(none)' },
};

export function formsOf(engine: Engine, id: string): string[] {
  const forms: string[] = [];
  for (const form of engine.forms.formIds()) {
    const version = engine.forms.latest(form);
    if (version && engine.forms.requirementIds(version).includes(id)) forms.push(form);
  }
  return forms;
}

export function sampleText(root: string, engine: Engine, example: Example): { path: string; text: string } {
  const manifest = engine.forms.manifest(example.form);
  const folder = join(root, 'samples', manifest?.samples ?? example.form);
  const path = join(folder, example.sample ?? 'valid.yaml');
  if (!existsSync(path)) throw new ExampleError(`voorbeeldbestand ontbreekt: ${path}`);
  return { path, text: readFileSync(path, 'utf8') };
}

export function explain(engine: Engine, rawId: string, lang: Lang, root: string, today: string): string {
  const id = rawId.trim().toUpperCase().replace(/([0-9])([A-H])$/, (_, d: string, l: string) => d + l.toLowerCase());
  const entry = engine.catalogue.get(id) ?? engine.catalogue.get(rawId.trim());
  if (!entry) {
    const suggestion = didYouMean(rawId, engine.catalogue.all().map((e) => e.id));
    throw new UsageError(lang === 'nl' ? `onbekend ID ${rawId}${suggestion ? `; bedoelt u ${suggestion}?` : ''}` : `unknown ID ${rawId}${suggestion ? `; did you mean ${suggestion}?` : ''}`);
  }
  const w = WORDS[lang];
  const out: string[] = [];
  out.push(`${entry.id} — ${entry.title[lang]}`, '');
  const severity = entry.severities.includes('note') ? w.note : entry.severities.map((s) => engine.catalogue.label(s, lang)).join(' / ');
  out.push(`${w.severity}: ${severity}`);
  out.push(`${w.source}: ${entry.fullSource}`);
  const provenance = engine.catalogue.provenance(entry.id);
  if (provenance?.policyTitle) out.push(`${w.policy}: ${provenance.policyTitle[lang]} (${provenance.policy})`);
  const version = engine.catalogue.provenanceText(entry.id, lang);
  if (version) out.push(`${w.version}: ${version}`);
  if (entry.origin === 'extra') out.push(`${w.origin}: ${w.own} (${entry.file})`);
  if (entry.no_deviation) out.push(`${w.deviation}: ${w.noDeviation}`);
  const forms = formsOf(engine, entry.id);
  out.push(`${w.forms}: ${forms.length > 0 ? forms.join(', ') : entry.insurer === 'zorgtoets' ? engine.forms.formIds().join(', ') : w.none}`);
  if (entry.explanation) out.push('', wrap(entry.explanation[lang]));
  for (const example of entry.examples) out.push('', ...renderExample(engine, entry, example, lang, root, today));
  return `${out.join('\n')}\n`;
}

function renderExample(engine: Engine, entry: CatalogueEntry, example: Example, lang: Lang, root: string, today: string): string[] {
  const w = WORDS[lang];
  const out: string[] = [];
  try {
    const sample = sampleText(root, engine, example);
    const failing = applyExampleEdits(sample.text, example.fail);
    const partnerText = (form: string, name?: string) => sampleText(root, engine, { ...example, form, ...(name !== undefined ? { sample: name } : {}) }).text;
    const partner = examplePartner(example, 'fail', partnerText);
    const findings = exampleFindings(engine, failing, { lang, today, ...(example.expect.peildatum ? { peildatum: example.expect.peildatum } : {}) }, partner);
    const hit = findings.find((f) => f.id === entry.id);
    out.push(`${w.fails} (${w.based} samples/${example.form}/${example.sample ?? 'valid.yaml'}):`);
    out.push(...(example.fail.length > 0 ? describeEdits(example.fail).map((line) => indent(line)) : [indent(w.unchanged)]));
    if (partner && example.together_with) {
      out.push(`${w.together} ${partner.name}${example.together_with.fail.length > 0 ? ':' : ''}`);
      out.push(...describeEdits(example.together_with.fail).map((line) => indent(line)));
    }
    if (hit) out.push(`  → ${engine.catalogue.label(hit.severity, lang)}  ${hit.id}  ${hit.message}`);
    out.push(`${w.passes}:`);
    out.push(...(example.pass.length > 0 ? describeEdits(example.pass).map((line) => indent(line)) : [indent(w.unchanged)]));
  } catch (error) {
    out.push(`(${error instanceof Error ? error.message : String(error)})`);
  }
  return out;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}

function wrap(text: string, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
