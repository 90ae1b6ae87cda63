import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from '../src/median.ts';

test('median: the middle value, the mean of the two middle ones for an even count, NaN for none; the list left as it was', () => {
  const xs = [3, 1, 2];
  assert.equal(median(xs), 2);
  assert.deepEqual(xs, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([-5]), -5);
  assert.ok(Number.isNaN(median([])));
});
