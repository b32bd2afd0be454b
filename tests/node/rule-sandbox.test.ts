import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Engine, formatPath, type Finding } from '../../server/src/engine/index.js';
import { createNodeEngine } from '../../server/src/node/create-engine.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { ruleWorkerScript, WorkerRuleSandbox } from '../../server/src/node/rule-sandbox.js';
import { ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * An organisation's own rules are data from elsewhere: a rule that is too expensive or broken is
 * reported as such, naming the file (and the rule), and never hangs a check; the built-in checks
 * and the organisation's other folders still run. The Node adapters evaluate them in a worker
 * thread with a time and memory limit (server/src/node/rule-sandbox.ts).
 */

const FORM = 'vgz/rho-regioplan';
const ORG = join(ROOT, 'tests', 'fixtures', 'org-regels');
const privateMail = sample(FORM).replace('m.verbeek@hz-lingestroom.nl', 'marjolein@gmail.com').replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70');
const hundred = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;

const CATALOGUE = `insurer: proef-org
name: {nl: "Proef", en: "Proef"}
policy: Eigen richtlijn
requirements:
${['01', '02', '03', '04']
  .map((n) => `  - id: ORG-P-${n}\n    severity: error\n    title: {nl: "Eis ${n}", en: "Requirement ${n}"}\n    source: Proef\n    messages:\n      default: {nl: "Eis ${n} niet gehaald", en: "Requirement ${n} not met"}\n`)
  .join('')}`;

const folders: string[] = [];
/** An extra folder with the test catalogue and the given rules file for the regioplan. */
function extraFolder(rules: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-regels-'));
  folders.push(dir);
  mkdirSync(join(dir, 'requirements'));
  mkdirSync(join(dir, 'vgz'));
  writeFileSync(join(dir, 'requirements', 'proef.yaml'), CATALOGUE);
  writeFileSync(join(dir, 'vgz', 'rho-regioplan.rules.yaml'), rules);
  return dir;
}

function sandboxed(extra: string[], options: { timeoutMs: number; memoryMb?: number }): { engine: Engine; sandbox: WorkerRuleSandbox } {
  const sandbox = new WorkerRuleSandbox({ schemasRoot: join(ROOT, 'schemas'), extraFolders: extra, ...options });
  const engine = new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: extra.map((f) => new NodeDataFiles(f)), extraRuleEvaluator: sandbox });
  sandboxes.push(sandbox);
  return { engine, sandbox };
}
const sandboxes: WorkerRuleSandbox[] = [];
after(() => sandboxes.forEach((s) => s.stop()));

function timed(engine: Engine, text: string): { findings: Finding[]; ms: number } {
  const started = performance.now();
  const findings = engine.check(text, { today: TODAY }).findings;
  return { findings, ms: performance.now() - started };
}
const summary = (findings: Finding[]) => findings.map((f) => `${f.id} ${formatPath(f.path)}`).sort();
const internal = (findings: Finding[]) => findings.filter((f) => f.id === 'ZT-INTERNAL').map((f) => f.message);

describe('an organisation\'s rules, bounded', () => {
  test('the worker script is built', () => {
    assert.ok(existsSync(ruleWorkerScript()), `${ruleWorkerScript()} is missing; npm test builds it`);
  });

  test('a nested comprehension that would run for hours: stopped at the time limit, reported, the rest still checked', () => {
    const hostile = extraFolder(`rules:
  - id: ORG-P-01
    assert: "${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, a + b + c + d >= 0))))"
`);
    const { engine } = sandboxed([hostile, ORG], { timeoutMs: 500 });
    const first = timed(engine, privateMail);
    assert.ok(first.ms < 20_000, `bounded: ${first.ms.toFixed(0)} ms (limit 500 ms + worker start)`);
    assert.deepEqual(summary(first.findings), ['ORG-LS-01 organisatie.contactpersoon.email', 'VGZ-RHO-04c regio.aantal_huisartsen_in_regio', 'ZT-INTERNAL formulier']);
    const [message] = internal(first.findings);
    assert.match(message ?? '', new RegExp(`Eigen regels in ${hostile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/vgz/rho-regioplan\\.rules\\.yaml zijn niet gebruikt \\(de regels waren niet binnen 0,5 s klaar \\(te duur in tijd of geheugen\\) en zijn afgebroken`));
    // The next check does not wait again: the file stays off for this engine.
    const second = timed(engine, privateMail);
    assert.ok(second.ms < 400, `the file stays off: ${second.ms.toFixed(0)} ms`);
    assert.deepEqual(summary(second.findings), summary(first.findings));
  });

  test('a rule building lists too big for memory: the worker ends, the file is reported, nothing else is harmed', () => {
    const hungry = extraFolder(`rules:
  - id: ORG-P-01
    assert: "size(${hundred}.map(a, ${hundred}.map(b, ${hundred}.map(c, 'een lange tekst die veel geheugen vraagt')))) > 0"
`);
    const { engine } = sandboxed([hungry], { timeoutMs: 2000, memoryMb: 32 });
    const { findings, ms } = timed(engine, privateMail);
    assert.ok(ms < 25_000, `${ms.toFixed(0)} ms`);
    assert.deepEqual(summary(findings), ['VGZ-RHO-04c regio.aantal_huisartsen_in_regio', 'ZT-INTERNAL formulier']);
    assert.match(internal(findings)[0] ?? '', /zijn niet gebruikt \(de regels waren niet binnen 2 s klaar/);
    assert.ok(process.memoryUsage().heapUsed < 1024 * 1024 * 1024, 'the lists were built in the worker, not here');
  });

  test('a rule that fails at run time: one finding naming the rule and the file; the file\'s other rules still run', () => {
    const broken = extraFolder(`rules:
  - id: ORG-P-02
    assert: "int(self.organisatie.naam) > 0"
  - id: ORG-P-03
    for: praktijken[*]
    assert: "int(item.naam) > 0"
  - id: ORG-P-04
    assert: "self.regio.aantal_huisartsen_in_regio < 60"
    at: regio.aantal_huisartsen_in_regio
`);
    for (const engine of [sandboxed([broken], { timeoutMs: 5000 }).engine, new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: [new NodeDataFiles(broken)] })]) {
      const { findings } = timed(engine, privateMail);
      assert.deepEqual(summary(findings), ['ORG-P-04 regio.aantal_huisartsen_in_regio', 'VGZ-RHO-04c regio.aantal_huisartsen_in_regio', 'ZT-INTERNAL formulier', 'ZT-INTERNAL formulier']);
      const messages = internal(findings).sort();
      assert.match(messages[0] ?? '', /^Regel ORG-P-02 in .*\/vgz\/rho-regioplan\.rules\.yaml kon niet worden uitgevoerd: .+/);
      assert.match(messages[1] ?? '', /^Regel ORG-P-03 in .*\/vgz\/rho-regioplan\.rules\.yaml kon niet worden uitgevoerd: praktijken\[0\]: .+ \(en op \d+ andere plaatsen\)/);
    }
  });

  test('includes and cross-document rules are not for an organisation\'s rules: refused when loading, named', () => {
    const including = extraFolder(`include:
  - file: ../../vgz/rho-regioplan.rules.yaml
rules:
  - id: ORG-P-01
    assert: "true"
`);
    const { engine } = sandboxed([including], { timeoutMs: 2000 });
    const findings = timed(engine, privateMail).findings;
    assert.deepEqual(summary(findings), ['VGZ-RHO-04c regio.aantal_huisartsen_in_regio', 'ZT-INTERNAL formulier']);
    assert.match(internal(findings)[0] ?? '', /rho-regioplan\.rules\.yaml zijn niet gebruikt \(include: eigen regels kunnen geen include gebruiken/);
  });

  test('createNodeEngine runs extra folders in the worker (the CLI and the server use it); a backtracking regular expression is bounded too', () => {
    // CEL's matches() uses the platform's regular expressions: (a+)+$ on "aaa…!" backtracks for ages.
    const hostile = extraFolder(`rules:
  - id: ORG-P-01
    assert: "!('${'a'.repeat(40)}!'.matches('^(a+)+$'))"
`);
    const engine = createNodeEngine({ extraFolders: [hostile], ruleTimeoutMs: 300 });
    const { findings, ms } = timed(engine, privateMail);
    assert.ok(ms < 20_000, `${ms.toFixed(0)} ms`);
    assert.match(internal(findings)[0] ?? '', /niet binnen 0,3 s klaar/);
  });
});
