import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { ROOT, sample } from '../helpers/engine.js';
import { LspClient } from '../helpers/lsp-client.js';

/**
 * One configuration for editor and CI: the CLI on a folder and the language server on that folder
 * as its workspace report the same findings for every file — with a `.zorgtoets.yaml` that sets
 * the language, the peildatum, an organisation's extra rules and a severity override, and with the
 * findings across documents (the same practice in two regioplans, an offer naming its RHO
 * differently, an IGO whose kraamzorg provider answers differently in its own questionnaire).
 * Same positions, IDs, severities, messages (in English, from the file) and related locations.
 */

const CLI = join(ROOT, 'dist', 'cli.cjs');

/** Every sample, and a few files that disagree with them. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-pariteit-'));
  cpSync(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
  cpSync(join(ROOT, 'tests', 'fixtures', 'org-regels'), join(dir, 'regels'), { recursive: true });
  writeFileSync(join(dir, '.zorgtoets.yaml'), 'taal: en\npeildatum: 2025-07-10\nextra_regels: [regels]\nernst:\n  ORG-LS-02: info\n');
  const regioplan = sample('vgz/rho-regioplan');
  writeFileSync(join(dir, 'waalmond.yaml'), regioplan.replace('Stichting Huisartsenzorg Lingestroom', 'Coöperatie Huisartsen Waalmond').replace('"71845203"', '"62930174"').replace('v1.3', 'v2.0').replace('m.verbeek@hz-lingestroom.nl', 'secretariaat@huisartsen-waalmond.example'));
  writeFileSync(join(dir, 'offerte-verkennend-gesprek.yaml'), sample('vgz/verkennend-gesprek').replace('  naam: Stichting Huisartsenzorg Lingestroom', '  naam: Huisartsenzorg Lingestroom'));
  writeFileSync(
    join(dir, 'lindenhuis.yaml'),
    sample('asr/kraamzorg-vragenlijst').replace('  naam: Kraamzorg Lindewaard B.V.', '  naam: Kraamzorg Het Lindenhuis').replace('"33071842"', '"33078315"').replace('contracttype: plus', 'contracttype: basis'),
  );
  return dir;
}

interface CliFinding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  related?: { uri?: string; range: { start: { line: number } }; message: string }[];
}

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** One line per finding, the same for both sides: position, ID, severity, message, related places. */
function fromCli(finding: CliFinding, path: string): string {
  const related = (finding.related ?? []).map((r) => `${r.uri ?? path}:${r.range.start.line}`).join(',');
  return `${finding.range.start.line}:${finding.range.start.character}-${finding.range.end.line}:${finding.range.end.character} ${finding.id} ${SEVERITY[finding.severity]} ${finding.message} [${related}]`;
}

function fromServer(d: Diagnostic, dir: string): string {
  const related = (d.relatedInformation ?? []).map((r) => `${relative(dir, fileURLToPath(r.location.uri)).split('\\').join('/')}:${r.location.range.start.line}`).join(',');
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)} ${d.severity} ${message} [${related}]`;
}

const dir = workspace();
let client: LspClient;
let cli: { path: string; ours: boolean; findings: CliFinding[] }[];

before(async () => {
  const run = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ZORGTOETS_LANG: '' } });
  assert.equal(run.status, 1, run.stderr);
  cli = (JSON.parse(run.stdout) as { files: typeof cli }).files;
  client = new LspClient();
  await client.initialize({ debounceMs: 0 }, null, [pathToFileURL(dir).href]);
});

after(async () => {
  assert.equal(await client.shutdown(), 0, client.log);
});

test('the CLI on a folder and the server on it as a workspace report the same findings for every file', async () => {
  const submissions = cli.filter((f) => f.ours);
  assert.ok(submissions.length >= 30, `${submissions.length} submissions`);
  // The setting is honoured and the cases this test is about occur (else it would compare little).
  const all = submissions.flatMap((f) => f.findings);
  for (const id of ['ORG-LS-01', 'ORG-LS-02', 'VGZ-RHO-05', 'ZT-XDOC']) assert.ok(all.some((f) => f.id === id), `${id} occurs`);
  assert.ok(all.some((f) => f.id === 'ORG-LS-02' && f.severity === 'info'), 'the severity override applies');
  assert.ok(all.some((f) => f.message.startsWith('Mandate ')), 'messages in the language of .zorgtoets.yaml');
  assert.ok(all.some((f) => f.id === 'ZT-XDOC' && f.related?.[0]?.uri === 'lindenhuis.yaml'), 'the IGO samples meet the other questionnaire');

  for (const file of submissions) {
    const uri = pathToFileURL(join(dir, file.path)).href;
    const { readFileSync } = await import('node:fs');
    await client.open(uri, readFileSync(join(dir, file.path), 'utf8'));
  }
  // The findings across documents settle once the workspace scan is done: wait for the publish
  // that matches, for every file at once (a mismatch costs one timeout, not one per file).
  const outcomes = await Promise.all(
    submissions.map(async (file) => {
      const uri = pathToFileURL(join(dir, file.path)).href;
      const want = file.findings.map((f) => fromCli(f, file.path)).sort();
      const same = (diagnostics: Diagnostic[]) => JSON.stringify(diagnostics.map((d) => fromServer(d, dir)).sort()) === JSON.stringify(want);
      try {
        await client.waitForDiagnostics(uri, (p) => same(p.diagnostics), { timeoutMs: 60000 });
        return undefined;
      } catch {
        const got = (client.latest(uri)?.diagnostics ?? []).map((d) => fromServer(d, dir)).sort();
        return `${file.path}:\n  CLI only:    ${want.filter((w) => !got.includes(w)).join('\n               ')}\n  server only: ${got.filter((g) => !want.includes(g)).join('\n               ')}`;
      }
    }),
  );
  assert.deepEqual(outcomes.filter((o) => o !== undefined), []);
});
