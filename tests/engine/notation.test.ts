import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareIds, formatCalendarDate, formatDecimal, formatEuroAmount, formatProseList, type DecimalOptions } from '../../server/src/engine/notation.js';
import { fillTemplate } from '../../server/src/engine/message-format.js';
import type { Lang } from '../../server/src/engine/types.js';

/**
 * The messages' notation is written out (notation.ts) instead of asked of Intl. It must read as
 * Intl writes nl-NL and en-GB: compared with Intl on this Node over random values, with the
 * values where rounding is easy to get wrong (ties, binary fractions, tiny and large numbers)
 * drawn on purpose. Fixed examples pin the notation itself, whatever a later ICU does.
 */

const RUNS = Number(process.env['ZT_FUZZ_RUNS'] ?? 150) * 20;
const LOCALE: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' };
const LANGS: Lang[] = ['nl', 'en'];

function intlDecimal(value: number, lang: Lang, options: DecimalOptions): string {
  return new Intl.NumberFormat(LOCALE[lang], {
    minimumFractionDigits: options.minDecimals ?? 0,
    maximumFractionDigits: options.maxDecimals,
    useGrouping: options.grouping ?? true,
  }).format(value);
}

/** Numbers as submissions hold them, and the ones rounding trips over. */
const numbers = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
  // Decimals written with up to 6 places: 2.675, 0.125, 1234.5.
  fc.tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 })).map(([n, places]) => n / 10 ** places),
  // Ties at the rounding position: x.xx5, x.5.
  fc.tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(0.5, 0.05, 0.005, 0.0005)).map(([n, half]) => n / 100 + half),
  fc.double({ min: -1e20, max: 1e20, noNaN: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
  fc.constantFrom(0, -0, 0.995, 9.995, 999.995, 999_999.5, 1e-7, -1e-7, 1.5e-7, 123456789.125, 2.675, 1.005, 99_999_999_999_999_990_000),
);

const decimalOptions = fc.record({
  minDecimals: fc.integer({ min: 0, max: 2 }),
  extra: fc.integer({ min: 0, max: 2 }),
  grouping: fc.boolean(),
}).map(({ minDecimals, extra, grouping }): DecimalOptions => ({ minDecimals, maxDecimals: minDecimals + extra, grouping }));

describe('notation: numbers, amounts, dates and lists without Intl', () => {
  test('numbers read as Intl writes them, in both languages', () => {
    fc.assert(
      fc.property(numbers, decimalOptions, fc.constantFrom(...LANGS), (value, options, lang) => {
        assert.equal(formatDecimal(value, lang, options), intlDecimal(value, lang, options), `${value} ${JSON.stringify(options)} ${lang}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('amounts in euros read as Intl writes them', () => {
    fc.assert(
      fc.property(numbers, fc.constantFrom(...LANGS), (value, lang) => {
        const intl = new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' }).format(value);
        assert.equal(formatEuroAmount(value, lang), intl, `${value} ${lang}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('dates read as Intl writes them; days that do not exist are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom(...LANGS), (year, month, day, lang) => {
        const date = new Date(Date.UTC(year, month - 1, day));
        const exists = date.getUTCMonth() === month - 1;
        const ours = formatCalendarDate(year, month, day, lang);
        if (!exists) {
          assert.equal(ours, undefined, `${year}-${month}-${day} does not exist`);
          return;
        }
        assert.equal(ours, new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(date), `${year}-${month}-${day} ${lang}`);
      }),
      { numRuns: RUNS },
    );
    assert.equal(formatCalendarDate(2024, 2, 29, 'nl'), '29 februari 2024');
    assert.equal(formatCalendarDate(2100, 2, 29, 'nl'), undefined, '2100 is no leap year');
    assert.equal(formatCalendarDate(999, 1, 1, 'nl'), undefined, 'years before 1000 are not written out');
  });

  test('lists read as Intl.ListFormat writes them', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 6 }), fc.constantFrom(...LANGS), fc.constantFrom('and' as const, 'or' as const), (items, lang, kind) => {
        const intl = new Intl.ListFormat(lang, { type: kind === 'and' ? 'conjunction' : 'disjunction' }).format(items);
        assert.equal(formatProseList(items, lang, kind), intl, `${JSON.stringify(items)} ${lang} ${kind}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('the notation itself, pinned', () => {
    assert.equal(formatDecimal(112000, 'nl', { maxDecimals: 0 }), '112.000');
    assert.equal(formatDecimal(1234.5, 'en', { maxDecimals: 2 }), '1,234.5');
    assert.equal(formatDecimal(2.675, 'nl', { maxDecimals: 2 }), '2,68', 'half away from zero on the shortest decimal');
    assert.equal(formatDecimal(-0.001, 'nl', { maxDecimals: 2 }), '-0');
    assert.equal(formatDecimal(2026, 'nl', { maxDecimals: 2, grouping: false }), '2026');
    assert.equal(formatDecimal(0.0000015, 'en', { maxDecimals: 6 }), '0.000002');
    assert.equal(formatEuroAmount(1450, 'nl'), '€\u00a01.450,00');
    assert.equal(formatEuroAmount(-3.5, 'nl'), '€\u00a0-3,50');
    assert.equal(formatEuroAmount(-3.5, 'en'), '-€3.50');
    assert.equal(formatProseList(['a', 'b', 'c'], 'nl', 'and'), 'a, b en c');
    assert.equal(formatProseList(['a', 'b', 'c'], 'en', 'or'), 'a, b, or c');
    assert.equal(fillTemplate('{n|int} van {t|eur} op {d|date}, {p|pct}: {l|or}', { n: 4500.4, t: 12.5, d: '2025-07-15', p: 0.885, l: ['x', 'y'] }, 'nl'), '4.500 van €\u00a012,50 op 15 juli 2025, 88,5%: x of y');
    assert.equal(fillTemplate('{d|date}', { d: '2025-02-31' }, 'nl'), '2025-02-31', 'a day that does not exist stays as written');
  });

  test('requirement IDs sort by code unit, numbers in them by value', () => {
    const sorted = ['VGZ-RHO-10', 'ZT-XDOC', 'VGZ-RHO-2', 'ASR-IGO-01', 'VGZ-RHO-02b', 'VGZ-RHO-1', 'ZZ-RO-I1', 'ASR-IGO-1'].sort(compareIds);
    assert.deepEqual(sorted, ['ASR-IGO-1', 'ASR-IGO-01', 'VGZ-RHO-1', 'VGZ-RHO-2', 'VGZ-RHO-02b', 'VGZ-RHO-10', 'ZT-XDOC', 'ZZ-RO-I1']);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Z]{1,3}(-[A-Z0-9]{1,4}){0,3}$/), { maxLength: 12 }), (ids) => {
        const sorted = [...ids].sort(compareIds);
        // A total order: sorting twice, or from any starting order, gives the same list.
        assert.deepEqual([...sorted].reverse().sort(compareIds), sorted);
        for (let i = 1; i < sorted.length; i++) assert.ok(compareIds(sorted[i - 1] as string, sorted[i] as string) <= 0, `${sorted[i - 1]} ≤ ${sorted[i]}`);
      }),
      { numRuns: RUNS },
    );
  });
});
