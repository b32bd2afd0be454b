import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createNodeEngine } from '../../server/src/node/create-engine.js';
import { sample, TODAY } from '../helpers/engine.js';

/** An organisation's own requirements and rules in extra folders; broken ones never break the built-in checks. */

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'zt-extra-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const CATALOGUE = `insurer: zorggroep
name: {nl: Zorggroep Voorbeeld, en: Example care group}
policy: Eigen kwaliteitsbeleid
requirements:
  - id: ORG-RHO-01
    severity: warning
    title: {nl: "Minstens drie praktijken", en: "At least three practices"}
    source: Kwaliteitsbeleid › 1
    messages:
      default: {nl: "Slechts {aantal} praktijken; ons beleid vraagt er minstens 3", en: "Only {aantal} practices; our policy asks for at least 3"}
`;
const RULES = `rules:
  - id: ORG-RHO-01
    assert: size(self.praktijken) >= 3
    at: /praktijken
    params: {aantal: size(self.praktijken)}
`;

const valid = sample('vgz/rho-regioplan');
const onePractice = (() => {
  const e = createNodeEngine();
  return e.check(valid, { today: TODAY }).findings.length === 0;
})();

test('extra requirements and rules are checked next to the built-in ones', () => {
  const dir = folder({ 'requirements/zorggroep.yaml': CATALOGUE, 'vgz/rho-regioplan.rules.yaml': RULES.replace('>= 3', '>= 99') });
  const e = createNodeEngine({ extraFolders: [dir] });
  assert.ok(onePractice);
  const findings = e.check(valid, { today: TODAY }).findings;
  const own = findings.find((f) => f.id === 'ORG-RHO-01');
  assert.ok(own, JSON.stringify(findings));
  assert.equal(own.severity, 'warning');
  assert.match(own.message, /^Slechts \d+ praktijken/);
  assert.equal(own.source, 'Eigen kwaliteitsbeleid › Kwaliteitsbeleid › 1');
  const version = e.forms.version('vgz/rho-regioplan', 2026);
  assert.ok(version && e.requirementIds(version).includes('ORG-RHO-01'));
});

test('broken extra data is reported with file and field, and the built-in checks still run', () => {
  const dir = folder({
    'requirements/zorggroep.yaml': CATALOGUE.replace('title: {nl: "Minstens drie praktijken", en: "At least three practices"}', 'title: {nl: "Minstens drie praktijken"}'),
    'vgz/rho-regioplan.rules.yaml': RULES,
    'vgz/rho-regiopaln.rules.yaml': RULES,
  });
  const e = createNodeEngine({ extraFolders: [dir, join(dir, 'bestaat-niet')] });
  const text = valid.replace(/^ {2}ubo_geregistreerd_bij_vektis: true/m, '  ubo_geregistreerd_bij_vektis: false');
  const findings = e.check(text, { today: TODAY }).findings;
  assert.ok(findings.some((f) => f.id === 'VGZ-ALG-03'), 'built-in check still reported');
  const internal = findings.filter((f) => f.id === 'ZT-INTERNAL');
  // The organisation's own checks did not all run: an error, on the formulier line, naming each file.
  assert.ok(internal.length >= 3 && internal.every((f) => f.severity === 'error'));
  const messages = internal.map((f) => f.message).join('\n');
  assert.match(messages, /zorggroep\.yaml.*requirements\[0\] \(ORG-RHO-01\)\.title/, messages);
  assert.match(messages, /rho-regiopaln\.rules\.yaml.*geen bekend formulier vgz\/rho-regiopaln; bedoelt u vgz\/rho-regioplan/, messages);
  assert.match(messages, /bestaat-niet.*map bestaat niet/, messages);
});

test('an extra file cannot redefine a built-in requirement', () => {
  const dir = folder({ 'requirements/zorggroep.yaml': CATALOGUE.replace('ORG-RHO-01', 'VGZ-RHO-01') });
  const e = createNodeEngine({ extraFolders: [dir] });
  assert.match(e.extraProblems()[0]?.message ?? '', /VGZ-RHO-01 bestaat al/);
  assert.equal(e.catalogue.get('VGZ-RHO-01')?.insurer, 'vgz');
  assert.ok(e.check(valid, { today: TODAY }).findings.every((f) => f.id === 'ZT-INTERNAL'));
});
