import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineCounter, parseDocument } from 'yaml';
import { createFormEnvironment } from '../../server/src/engine/cel-env.js';
import { ClosedList } from '../../server/src/engine/closed-lists.js';
import type { DataFiles } from '../../server/src/engine/data-files.js';
import { removeItemFix } from '../../server/src/engine/fixes.js';
import { applyTextEdits, TextIndex, type DataPath } from '../../server/src/engine/index.js';
import { RuleSet, type RuleProblem } from '../../server/src/engine/rules.js';

/**
 * The rule language's general parts, each on data made for it: `for` over several patterns,
 * per-item `with`, the `key` of a keyed target, a message variant chosen by CEL, the CEL
 * functions forms use for money and lists, accent-blind closed lists, and the remove-item fix.
 */

function rules(text: string): RuleSet {
  const files: DataFiles = {
    read: (path) => {
      if (path !== 'test.rules.yaml') throw new Error(`no such file ${path}`);
      return text;
    },
    list: () => [],
    folders: () => [],
    exists: (path) => path === 'test.rules.yaml',
  };
  return RuleSet.load(files, ['test.rules.yaml']);
}

const CONTEXT = { peildatum: '2025-09-01', peildatumBron: 'ingediend_op' as const, vandaag: '2026-11-23' };

describe('rule format', () => {
  test('for: a list of patterns visits the items of each, with outer items bound', () => {
    const set = rules(`
rules:
  - id: T-1
    for:
      - jaren[*].vast[*]
      - jaren[*].variabel[*]
    assert: item.bedrag < 100.0
    params: {jaar: item0.jaar, bedrag: item.bedrag}
`);
    const data = { jaren: [{ jaar: 2026, vast: [{ bedrag: 50 }, { bedrag: 150 }], variabel: [{ bedrag: 200 }] }, { jaar: 2027, vast: [], variabel: [{ bedrag: 120 }] }] };
    const found = set.evaluate(data, CONTEXT).map((f) => `${f.path.join('.')} ${String(f.params['jaar'])} ${String(f.params['bedrag'])}`);
    assert.deepEqual(found, ['jaren.0.vast.1 2026 150', 'jaren.0.variabel.0 2026 200', 'jaren.1.variabel.0 2027 120']);
  });

  test('with is computed per item, after let, and usable in when, assert and params', () => {
    const set = rules(`
rules:
  - id: T-1
    for: jaren[*]
    let: {deler: '4.0'}
    with:
      totaal: sum(item.regels)
      per_deel: totaal / deler
    when: totaal > 0.0
    assert: per_deel <= 10.0
    params: {totaal: totaal, per_deel: per_deel}
`);
    const data = { jaren: [{ regels: [10, 20] }, { regels: [] }, { regels: [40, 8] }] };
    const found = set.evaluate(data, CONTEXT);
    assert.deepEqual(found.map((f) => [f.path.join('.'), f.params['totaal'], f.params['per_deel']]), [['jaren.2', 48, 12]]);
  });

  test('key names the last key of a keyed target; index stays 0 there', () => {
    const set = rules(`
rules:
  - id: T-1
    for:
      - segmenten.een
      - segmenten.twee
    assert: item == 'zz'
    params: {segment: key, index: index}
`);
    const found = set.evaluate({ segmenten: { een: 'zz', twee: 'vgz' } }, CONTEXT);
    assert.deepEqual(found.map((f) => [f.path.join('.'), f.params['segment'], f.params['index']]), [['segmenten.twee', 'twee', 0]]);
  });

  test('message may be a CEL expression choosing the variant; a literal name stays a name', () => {
    const set = rules(`
rules:
  - id: T-1
    for: items[*]
    assert: item.ok
    message: "item.soort == 'oud' ? 'vervallen' : 'default'"
  - id: T-2
    assert: 'false'
    message: dubbele-praktijk
`);
    const found = set.evaluate({ items: [{ ok: false, soort: 'oud' }, { ok: false, soort: 'nieuw' }, { ok: true, soort: 'oud' }] }, CONTEXT);
    assert.deepEqual(found.map((f) => `${f.id} ${f.variant}`), ['T-1 vervallen', 'T-1 default', 'T-2 dubbele-praktijk']);
  });

  test('a function given an unfilled (null) value, or a macro over a list written as something else, does not apply; a real rule bug is still a problem', () => {
    const set = rules(`
rules:
  - id: T-1
    assert: year(self.datum) == 2026
  - id: T-2
    assert: self.tekst + 1 == 2
  - id: T-3
    assert: self.lijst.all(x, x > 0.0)
`);
    const problems: RuleProblem[] = [];
    const found = set.evaluate({ datum: null, tekst: 'a', lijst: 'geen lijst' }, CONTEXT, problems);
    assert.deepEqual(found, []);
    assert.deepEqual(problems.map((p) => p.id), ['T-2']);
  });
});

describe('CEL functions', () => {
  const env = createFormEnvironment(new Map());
  const run = (expression: string, self: unknown): unknown => {
    const program = env.parse(expression);
    return program({ self });
  };

  test('round and abs compare money in cents without float noise', () => {
    assert.equal(run('abs(self.a - self.b)', { a: 12.01, b: 12 }) === 0.01, false, 'plain subtraction has noise');
    assert.equal(run('abs(round(self.a - self.b, 4)) <= 0.01', { a: 12.01, b: 12 }), true);
    assert.equal(run('abs(round(self.a - self.b, 4)) <= 0.01', { a: 12.02, b: 12 }), false);
    assert.equal(run('round(1.005, 2)', {}), 1.01);
    assert.equal(run('round(-2.675, 2)', {}), -2.68);
    assert.equal(run('round(self.x, 2)', { x: 1e-12 }), 0);
    assert.equal(run('abs(-3)', {}), 3);
  });

  test('distinctBy keeps the first item per field value and every item without it', () => {
    const list = [{ agb: '1', n: 3 }, { agb: '2', n: 4 }, { agb: '1', n: 5 }, { n: 7 }, { agb: '', n: 9 }];
    assert.deepEqual(run("distinctBy(self, 'agb').map(p, p.n)", list), [3, 4, 7, 9]);
  });

  test('differences lists the scalar answers both sides gave that disagree, as dotted paths', () => {
    const here = { methode: 'lip', uren: 24, telling: { werkzaam: 124, ingeschreven: 124 }, lijst: ['a'], alleen_hier: true, leeg: null, code: ' X1 ', ja: true };
    const there = { methode: 'klim', uren: 24, telling: { werkzaam: 120, ingeschreven: 124 }, lijst: ['b'], leeg: false, code: 'X1', ja: false };
    assert.deepEqual(run('differences(self.a, self.b)', { a: here, b: there }), ['methode: lip ≠ klim', 'telling.werkzaam: 124 ≠ 120', 'ja: true ≠ false']);
    assert.deepEqual(run('differences(self.a, self.a)', { a: here }), []);
    assert.deepEqual(run('differences(self.a, null)', { a: here }), []);
  });

  test('nameOf reads a product written as a name or as a mapping with naam', () => {
    assert.deepEqual(run('self.map(p, nameOf(p))', ['MTVP', { naam: 'Praktijkmanagement', x: 1 }, { x: 1 }, 5]), ['MTVP', 'Praktijkmanagement', '', '']);
  });
});

describe('closed lists', () => {
  test('ignore_accents matches names typed without accents, and only then', () => {
    const items = [{ value: 'Meer Tijd voor de Patiënt (MTVP)', aliases: ['MTVP'] }];
    const blind = new ClosedList('p', { ignore_case: true, ignore_accents: true, items });
    const strict = new ClosedList('p', { ignore_case: true, ignore_accents: false, items });
    assert.equal(blind.resolve('meer tijd voor de patient (mtvp)')?.value, 'Meer Tijd voor de Patiënt (MTVP)');
    assert.equal(blind.resolve('Meer Tijd voor de Patiënt (MTVP)')?.value, 'Meer Tijd voor de Patiënt (MTVP)');
    assert.equal(strict.resolve('meer tijd voor de patient (mtvp)'), undefined);
    assert.equal(strict.resolve('mtvp')?.value, 'Meer Tijd voor de Patiënt (MTVP)');
  });
});

describe('remove-item fix', () => {
  function remove(text: string, path: DataPath): string | undefined {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const fix = removeItemFix(doc, new TextIndex(text, lineCounter.lineStarts), path, 'remove-product', {});
    return fix ? applyTextEdits(text, fix.edits) : undefined;
  }

  const BLOCK = [
    'lijst:',
    '  - a          # staart hoort bij a',
    '  # commentaar boven b hoort bij b',
    '  - b',
    '  - naam: c',
    '    x: 1',
    '    # nog van c',
    '',
    '  # na de lijst',
    'verder: 1',
    '',
  ].join('\n');

  test('a block item goes with its own lines only', () => {
    assert.equal(remove(BLOCK, ['lijst', 0]), BLOCK.replace('  - a          # staart hoort bij a\n', ''));
    assert.equal(remove(BLOCK, ['lijst', 1]), BLOCK.replace('  - b\n', ''));
    assert.equal(remove(BLOCK, ['lijst', 2]), BLOCK.replace('  - naam: c\n    x: 1\n    # nog van c\n', ''));
  });

  test('the last item of a file without a final line break', () => {
    assert.equal(remove('lijst:\n  - a\n  - b', ['lijst', 1]), 'lijst:\n  - a\n');
  });

  test('flow sequences lose the item and one separator', () => {
    const text = 'lijst: [a, "b # geen commentaar", {naam: c, x: 1}]\n';
    assert.equal(remove(text, ['lijst', 0]), 'lijst: ["b # geen commentaar", {naam: c, x: 1}]\n');
    assert.equal(remove(text, ['lijst', 1]), 'lijst: [a, {naam: c, x: 1}]\n');
    assert.equal(remove(text, ['lijst', 2]), 'lijst: [a, "b # geen commentaar"]\n');
    assert.equal(remove('lijst: [enige]\n', ['lijst', 0]), 'lijst: []\n');
  });

  test('no fix where the edit cannot be precise', () => {
    assert.equal(remove('lijst:\n- - a\n  - b\n', ['lijst', 0, 0]), undefined, 'the item shares its line with the outer dash');
    assert.equal(remove('lijst: [a, # uitleg\n  b]\n', ['lijst', 0]), undefined, 'a comment between flow items');
    assert.equal(remove('lijst: {a: 1}\n', ['lijst', 0]), undefined, 'not a sequence');
  });
});
