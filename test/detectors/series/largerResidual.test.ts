// Two residual views of the same edges as one: the larger z per edge, by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LargerResidual } from '../../../src/detectors/series/index.ts';
import { HandResiduals } from '../handResiduals.ts';

test('larger residual: per edge the larger z of the two, NaN only where neither scored; learning teaches both', () => {
  const N = Number.NaN;
  const edges: [string, string][] = [
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
  ];
  const first = new HandResiduals(edges, [[1, N, -2]]);
  const second = new HandResiduals(edges, [[3, N, N]]);
  const both = new LargerResidual(first, second);
  assert.equal(both.read(first.frame()), 3);
  assert.deepEqual([...both.z.subarray(0, 3)], [3, N, -2]);
  assert.deepEqual([both.isScored(0), both.isScored(1), both.isScored(2)], [true, false, true]);
  both.learn(2);
  assert.deepEqual([first.learnt[0], second.learnt[0]], [[2], [2]]);
  assert.deepEqual(both.label(1), { src: 'b', dst: 'c' });
});
