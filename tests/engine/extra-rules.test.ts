import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Engine, SeverityOverrideError, formatPath, type EngineOptions } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { ROOT, sample, TODAY } from '../helpers/engine.js';

/**
 * An organisation's extra folders (`EngineOptions.extraFiles`): its own catalogue entries and
 * rules run after the insurer's; broken extra data is left out and reported without touching the
 * built-in checks; severity overrides apply to the organisation's own IDs only.
 */

const ORG = join(ROOT, 'tests', 'fixtures', 'org-regels');
const BROKEN = join(ROOT, 'tests', 'fixtures', 'org-regels-kapot');
const FORM = 'vgz/rho-regioplan';

function engineWith(extra: string[], options: Partial<EngineOptions> = {}): Engine {
  return new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')), extraFiles: extra.map((f) => new NodeDataFiles(f)), ...options });
}

const privateMail = sample(FORM).replace('m.verbeek@hz-lingestroom.nl', 'marjolein@gmail.com');

function summary(engine: Engine, text: string): string[] {
  return engine.check(text, { today: TODAY, strict: true }).findings.map((f) => `${f.severity} ${f.id} ${formatPath(f.path)}`);
}

describe('extra folders', () => {
  test("the organisation's rules report its own IDs, after the insurer's checks", () => {
    const engine = engineWith([ORG]);
    assert.deepEqual(summary(engine, sample(FORM)), [], 'the valid sample meets the own rules too');
    assert.deepEqual(summary(engine, privateMail), ['error ORG-LS-01 organisatie.contactpersoon.email']);
    const finding = engine.check(privateMail, { today: TODAY }).findings[0];
    assert.equal(finding?.message, '"marjolein@gmail.com" is geen adres van @hz-lingestroom.nl');
    assert.equal(finding?.source, 'Interne richtlijn aanvragen 2026 › Contact');
    assert.equal(engine.catalogue.get('ORG-LS-01')?.origin, 'extra');
    assert.ok(engine.forms.requirementIds(engine.forms.latest(FORM)!).includes('ORG-LS-01'));
  });

  test('without the extra folder the same text has no such finding', () => {
    assert.deepEqual(summary(engineWith([]), privateMail), []);
  });

  test('a folder whose rules report an insurer ID is left out and reported; the built-in and other extra checks still run', () => {
    const engine = engineWith([BROKEN, ORG]);
    const findings = summary(engine, privateMail.replace('aantal_huisartsen_in_regio: 52', 'aantal_huisartsen_in_regio: 70'));
    assert.deepEqual(findings.sort(), ['error VGZ-RHO-04c regio.aantal_huisartsen_in_regio', 'error ORG-LS-01 organisatie.contactpersoon.email', 'error ZT-INTERNAL formulier'].sort());
    const internal = engine.check(privateMail, { today: TODAY }).findings.find((f) => f.id === 'ZT-INTERNAL');
    assert.match(internal?.message ?? '', /org-regels-kapot\/vgz\/rho-regioplan\.rules\.yaml.*meldt VGZ-RHO-04c, een eis van vgz/);
    assert.equal(engine.extraProblems().length, 1);
  });

  test('extra catalogue files that redefine a built-in ID or claim an insurer are left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zt-extra-'));
    mkdirSync(join(dir, 'requirements'));
    writeFileSync(join(dir, 'requirements', 'a.yaml'), 'insurer: mijn-org\nname: {nl: x, en: x}\npolicy: intern\nrequirements:\n  - id: VGZ-RHO-04c\n    severity: warning\n    title: {nl: x, en: x}\n    source: intern\n    messages: {default: {nl: x, en: x}}\n');
    writeFileSync(join(dir, 'requirements', 'b.yaml'), 'insurer: vgz\nname: {nl: x, en: x}\npolicy: intern\nrequirements:\n  - id: ORG-X-01\n    severity: warning\n    title: {nl: x, en: x}\n    source: intern\n    messages: {default: {nl: x, en: x}}\n');
    writeFileSync(join(dir, 'requirements', 'c.yaml'), 'insurer: mijn-org\nname: {nl: x\n');
    const engine = engineWith([dir]);
    const problems = engine.extraProblems().map((p) => p.message);
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /a\.yaml: requirements \(VGZ-RHO-04c\)\.id: VGZ-RHO-04c bestaat al/);
    assert.match(problems[1] ?? '', /b\.yaml: insurer: vgz is een verzekeraar van zorgtoets zelf/);
    assert.match(problems[2] ?? '', /c\.yaml: geen geldige YAML/);
    assert.equal(engine.catalogue.get('VGZ-RHO-04c')?.severities[0], 'error', 'the built-in entry is untouched');
    assert.equal(engine.catalogue.has('ORG-X-01'), false);
    const findings = engine.check(sample(FORM), { today: TODAY }).findings;
    assert.deepEqual(findings.map((f) => f.id), ['ZT-INTERNAL', 'ZT-INTERNAL', 'ZT-INTERNAL'], 'each problem is visible in the checked file');
  });

  test('a justified deviation works for an own ID too', () => {
    const engine = engineWith([ORG]);
    const text = `${privateMail}\nafwijkingen:\n  - id: ORG-LS-01\n    toelichting: Tijdelijk adres tot de nieuwe mailomgeving in maart draait.\n`;
    const result = engine.check(text, { today: TODAY });
    assert.deepEqual(result.findings.map((f) => `${f.severity} ${f.id}`), ['info ORG-LS-01']);
  });
});

describe('severity overrides', () => {
  test("change the severity of the organisation's own IDs", () => {
    const engine = engineWith([ORG], { severityOverrides: { 'ORG-LS-01': 'warning', 'ORG-LS-02': 'error' } });
    const text = privateMail.replace('aantal_ingeschreven_patienten: 112000', 'aantal_ingeschreven_patienten: 105000');
    const severities = engine.check(text, { today: TODAY }).findings.filter((f) => f.id.startsWith('ORG')).map((f) => `${f.id} ${f.severity}`);
    assert.deepEqual(severities.sort(), ['ORG-LS-01 warning', 'ORG-LS-02 error']);
    assert.equal(engine.defaultSeverity('ORG-LS-01'), 'warning');
  });

  test('are refused for built-in requirements, unknown IDs and notes', () => {
    for (const [id, pattern] of [
      ['VGZ-RHO-04c', /eis van vgz; de ernst van ingebouwde eisen ligt vast/],
      ['ZT-KEY', /eis van zorgtoets zelf/],
      ['ORG-LS-99', /onbekend ID/],
    ] as const) {
      assert.throws(
        () => engineWith([ORG], { severityOverrides: { [id]: 'info' } }),
        (error: unknown) => error instanceof SeverityOverrideError && error.id === id && pattern.test(error.problem),
        id,
      );
    }
  });
});
