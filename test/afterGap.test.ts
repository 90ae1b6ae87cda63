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
