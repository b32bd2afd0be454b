import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, findConfig, loadConfig } from '../../server/src/node/config.js';
import { checkFiles, Workspace } from '../../server/src/node/workspace.js';
import { ROOT, TODAY } from '../helpers/engine.js';

/** `.zorgtoets.yaml`: found by walking up, validated field by field, applied by the shared Workspace. */

const ORG = join(ROOT, 'tests', 'fixtures', 'org-regels');
const SAMPLE = join(ROOT, 'samples', 'vgz', 'rho-regioplan', 'valid.yaml');

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'zt-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function configError(text: string): ConfigError {
  const dir = folder({ '.zorgtoets.yaml': text });
  try {
    loadConfig(join(dir, '.zorgtoets.yaml'));
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.file, join(dir, '.zorgtoets.yaml'));
    return error;
  }
  assert.fail(`no error for ${JSON.stringify(text)}`);
}

describe('finding the configuration', () => {
  test('the nearest file from the folder upwards', () => {
    const dir = folder({ '.zorgtoets.yaml': 'taal: en\n', 'a/b/.keep': '', 'c/.zorgtoets.yaml': 'taal: nl\n' });
    assert.equal(findConfig(join(dir, 'a', 'b')), join(dir, '.zorgtoets.yaml'));
    assert.equal(findConfig(join(dir, 'c')), join(dir, 'c', '.zorgtoets.yaml'));
  });

  test('not beyond the repository root', () => {
    const dir = folder({ '.zorgtoets.yaml': 'taal: en\n', 'repo/.git/HEAD': 'ref: x\n', 'repo/sub/.keep': '' });
    assert.equal(findConfig(join(dir, 'repo', 'sub')), undefined);
  });
});

describe('validating the configuration', () => {
  test('a complete file', () => {
    const dir = folder({ '.zorgtoets.yaml': 'taal: en\npeildatum: 2025-07-10\nextra_regels: [regels]\nernst: {ORG-LS-01: warning}\n', 'regels/.keep': '' });
    assert.deepEqual(loadConfig(join(dir, '.zorgtoets.yaml')), {
      path: join(dir, '.zorgtoets.yaml'),
      taal: 'en',
      peildatum: '2025-07-10',
      extraFolders: [join(dir, 'regels')],
      ernst: { 'ORG-LS-01': 'warning' },
    });
  });

  test('an empty file is all defaults; a single folder may be a string', () => {
    assert.deepEqual(loadConfig(join(folder({ '.zorgtoets.yaml': '# nog niets\n' }), '.zorgtoets.yaml')).extraFolders, []);
    const dir = folder({ '.zorgtoets.yaml': 'extra_regels: regels\n', 'regels/.keep': '' });
    assert.deepEqual(loadConfig(join(dir, '.zorgtoets.yaml')).extraFolders, [join(dir, 'regels')]);
  });

  const cases: [string, string, RegExp][] = [
    ['taall: en\n', 'taall', /onbekende instelling; bedoelt u taal\?/],
    ['taal: fr\n', 'taal', /moet nl of en zijn/],
    ['peildatum: 2025-02-30\n', 'peildatum', /bestaande datum/],
    ['peildatum: 10-07-2025\n', 'peildatum', /bestaande datum JJJJ-MM-DD/],
    ['extra_regels: [bestaat-niet]\n', 'extra_regels[0]', /map bestaat-niet bestaat niet/],
    ['extra_regels: [.zorgtoets.yaml]\n', 'extra_regels[0]', /is geen map/],
    ['ernst: {ORG-01: uit}\n', 'ernst.ORG-01', /moet error, warning of info zijn/],
    ['ernst: [ORG-01]\n', 'ernst', /per ID een ernst/],
    ['taal: nl\ntaal: en\n', '', /geen geldige YAML/],
    ['- taal\n', '', /lijst van instellingen/],
  ];
  for (const [text, field, problem] of cases) {
    test(`${JSON.stringify(text)} → ${field || '(file)'}`, () => {
      const error = configError(text);
      assert.equal(error.field, field);
      assert.match(error.problem, problem);
    });
  }
});

describe('the shared Workspace', () => {
  test('an override of an insurer requirement is refused, naming the file and the field', () => {
    const dir = folder({ '.zorgtoets.yaml': 'ernst: {VGZ-RHO-04c: warning}\n' });
    assert.throws(
      () => new Workspace().setupFor(dir),
      (error: unknown) => error instanceof ConfigError && error.file === join(dir, '.zorgtoets.yaml') && error.field === 'ernst.VGZ-RHO-04c' && /de verzekeraar bepaalt wat een minimumeis is/.test(error.problem),
    );
  });

  test('flags win over the file; the file wins over the defaults', () => {
    const dir = folder({ '.zorgtoets.yaml': 'taal: en\npeildatum: 2025-07-10\n' });
    assert.deepEqual(pick(new Workspace().setupFor(dir)), { lang: 'en', peildatum: '2025-07-10' });
    assert.deepEqual(pick(new Workspace({ lang: 'nl', peildatum: '2025-08-01' }).setupFor(dir)), { lang: 'nl', peildatum: '2025-08-01' });
    assert.deepEqual(pick(new Workspace().setupFor(folder())), { lang: 'nl', peildatum: undefined });
  });

  test('checkFiles: each file with the configuration of its own folder, one engine per configuration', () => {
    const dir = folder({ 'org/.zorgtoets.yaml': `extra_regels: [${JSON.stringify(ORG)}]\nernst: {ORG-LS-01: warning}\n`, 'plain/.keep': '' });
    const text = readFileSync(SAMPLE, 'utf8').replace('m.verbeek@hz-lingestroom.nl', 'marjolein@gmail.com');
    writeFileSync(join(dir, 'org', 'plan.yaml'), text);
    writeFileSync(join(dir, 'plain', 'plan.yaml'), text);
    const workspace = new Workspace();
    const [org, plain] = checkFiles(
      [
        { path: join(dir, 'org', 'plan.yaml'), explicit: true },
        { path: join(dir, 'plain', 'plan.yaml'), explicit: true },
      ],
      { today: TODAY, workspace },
    );
    assert.deepEqual(org?.findings.map((f) => `${f.severity} ${f.id}`), ['warning ORG-LS-01']);
    assert.equal(org?.configPath, join(dir, 'org', '.zorgtoets.yaml'));
    assert.deepEqual(plain?.findings, []);
    assert.equal(workspace.allEngines().length, 2);
  });

  test('--config picks one file for every checked file', () => {
    const dir = folder({ 'elders/.zorgtoets.yaml': 'taal: en\n' });
    copyFileSync(SAMPLE, join(dir, 'plan.yaml'));
    const setup = new Workspace({ configPath: join(dir, 'elders', '.zorgtoets.yaml') }).setupFor(join(dir, 'plan.yaml'));
    assert.equal(setup.lang, 'en');
  });
});

function pick(setup: { lang: string; peildatum?: string }): { lang: string; peildatum: string | undefined } {
  return { lang: setup.lang, peildatum: setup.peildatum };
}
