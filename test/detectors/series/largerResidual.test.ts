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

test('larger residual, sparse reads: only the first source\'s active edges are judged; the edges set last time and new ones go back to NaN', () => {
  const N = Number.NaN;
  const edges: [string, string][] = [
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
    ['d', 'e'],
  ];
  const first = new HandResiduals(
    edges,
    [
      [1, N, -2],
      [N, 4, N],
      [2, N, N, N],
    ],
    [undefined, [1], [0]],
  );
  const second = new HandResiduals(edges, [
    [3, N, N],
    [N, 5, 9],
    [N, N, N, N],
  ]);
  const both = new LargerResidual(first, second);
  both.read(first.frame());
  assert.deepEqual([...both.z.subarray(0, 3)], [3, N, -2], 'dense');
  both.read(first.frame());
  // Edge 2 is idle in the first source: the second's 9 there is not judged.
  assert.deepEqual([...both.z.subarray(0, 3)], [N, 5, N], 'sparse, edge 1');
  assert.equal(both.active, first.active);
  both.read(first.frame());
  assert.deepEqual([...both.z.subarray(0, 4)], [2, N, N, N], 'sparse, edge 0, a fourth edge new');
});
