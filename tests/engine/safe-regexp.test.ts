import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isProvablyLinear, safeRegExp } from '../../server/src/engine/safe-regexp.js';

/** Schema patterns cannot backtrack catastrophically: unsafe ones run on RE2. */

test('simple patterns are recognised as linear and run natively', () => {
  for (const pattern of ['^[0-9]{8}$', '^[0-9]{11}$', '^[A-Z]{2}[0-9]+$', '^\\d{4}-\\d{2}-\\d{2}$']) {
    assert.ok(isProvablyLinear(pattern), pattern);
    assert.ok(safeRegExp(pattern, 'u') instanceof RegExp, pattern);
  }
});

test('patterns that could backtrack go to RE2 and still answer correctly', () => {
  for (const pattern of ['^(a+)+$', '^(a|aa)*$', '^a*a*a*b$', '(x+x+)+y']) {
    assert.ok(!isProvablyLinear(pattern), pattern);
    const regexp = safeRegExp(pattern, 'u');
    assert.ok(!(regexp instanceof RegExp), `${pattern} is not a native RegExp`);
  }
  const hostile = safeRegExp('^(a+)+$', 'u');
  // On a native engine this input takes longer than the age of the universe; RE2 is linear.
  assert.equal(hostile.test(`${'a'.repeat(100000)}b`), false);
  assert.equal(hostile.test('aaaa'), true);
});
