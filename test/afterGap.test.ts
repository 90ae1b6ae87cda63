import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AfterGap } from '../src/afterGap.ts';

test('after a gap: only the first interval that is not a gap, after one or several gaps; never at the start or on a gap', () => {
  const gaps = [false, true, false, false, true, true, false, true, false];
  const after = new AfterGap();
  assert.deepEqual(
    gaps.map((g) => after.next(g)),
    [false, false, true, false, false, false, true, false, true],
  );
});

test('gaps: how many gaps in a row came right before the interval after them (0 on any other interval)', () => {
  const gaps = [false, true, false, true, true, true, false, false, true];
  const after = new AfterGap();
  assert.deepEqual(
    gaps.map((g) => {
      after.next(g);
      return after.gaps;
    }),
    [0, 0, 1, 0, 0, 0, 3, 0, 0],
  );
});
