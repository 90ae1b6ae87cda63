import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelEdges, OTHER, OUTSIDE } from '../../../src/detectors/pca-subspace/modelEdges.ts';

/** 20 training intervals over 4 indexed edges: e0 active in all, e1 in 10, e2 in 3, e3 never (listed with 0). */
function training(): ModelEdges {
  const t = new ModelEdges();
  for (let i = 0; i < 20; i++) {
    const positions: number[] = [];
    const values: number[] = [];
    const push = (p: number, v: number) => {
      positions.push(p);
      values.push(v);
    };
    push(0, 1);
    if (i % 2 === 0) push(1, 2);
    if (i < 3) push(2, 4);
    push(3, 0);
    t.add(4, positions.length, Int32Array.from(positions), Float64Array.from(values), new Uint8Array(positions.length).fill(1));
  }
  return t;
}

test('ModelEdges: at most maxEdges edges of the index, every edge its own coordinate at its position (the dense model)', () => {
  const t = training();
  t.choose(4);
  assert.equal(t.dimension, 4);
  assert.equal(t.hasOther, false);
  assert.deepEqual([0, 1, 2, 3, 4].map((p) => t.coordinateOf(p)), [0, 1, 2, 3, OUTSIDE]);
  const x = t.denseSamples();
  assert.equal(x.length, 20);
  assert.deepEqual([...x[0]!], [1, 2, 4, 0]);
  assert.deepEqual([...x[19]!], [1, 0, 0, 0]);
});

test('ModelEdges: beyond maxEdges the most often active edges (≥ 5 % of training) keep coordinates, the rest, and later edges, add up into one', () => {
  const t = training();
  t.choose(2);
  // ≥ max(1, ⌈0.05 · 20⌉) = 1 active interval: e0 (20), e1 (10), e2 (3) qualify; the top two keep
  // coordinates 0 and 1; e2, e3 and any edge indexed after training go to the aggregate, coordinate 2.
  assert.equal(t.dimension, 3);
  assert.equal(t.hasOther, true);
  assert.equal(t.otherCoordinate, 2);
  assert.deepEqual([0, 1, 2, 3, 9].map((p) => t.coordinateOf(p)), [0, 1, OTHER, OTHER, OTHER]);
  assert.deepEqual([t.positionOf(0), t.positionOf(1)], [0, 1]);
  const x = t.denseSamples();
  assert.deepEqual([...x[0]!], [1, 2, 4]);
  assert.deepEqual([...x[1]!], [1, 0, 4]);
  assert.deepEqual([...x[3]!], [1, 0, 0]);
});

test('ModelEdges: values that stay, change, go silent and come back are replayed interval by interval as they were added', () => {
  // Positions 0..5; each interval lists [position, value] ascending (a 0 value is not listed).
  const intervals: [number, number][][] = [
    [[0, 1.5], [2, 3], [4, 0.25]],
    [[0, 1.5], [2, 3], [4, 0.25]], // nothing changed
    [[0, 2], [1, 7], [4, 0.25]], // 0 changed, 1 new, 2 gone
    [[0, 2], [4, 0.5], [5, 1]], // 1 gone, 4 changed, 5 new
    [], // all gone
    [[1, 7], [2, 3], [3, 0], [5, 1]], // back (3 listed with 0: not recorded)
  ];
  const t = new ModelEdges();
  for (const list of intervals) {
    t.add(6, list.length, Int32Array.from(list, ([p]) => p), Float64Array.from(list, ([, v]) => v), new Uint8Array(list.length).fill(1));
  }
  // Activity: e0 4 intervals, e1 2, e2 3, e3 0 (value 0), e4 4, e5 2; at least ⌈0.05 · 6⌉ = 1.
  // Two coordinates: e0 and e4 (4 each, the lower position first among ties: e0, e4); the rest add up.
  t.choose(2);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((p) => t.coordinateOf(p)), [0, OTHER, OTHER, OTHER, 1, OTHER]);
  const x = t.denseSamples().map((v) => [...v]);
  assert.deepEqual(x, [
    [1.5, 0.25, 3],
    [1.5, 0.25, 3],
    [2, 0.25, 7],
    [2, 0.5, 1],
    [0, 0, 0],
    [0, 0, 7 + 3 + 1],
  ]);
});

test('ModelEdges: the aggregate adds its edges in position order, as they were listed', () => {
  // 0.1 + 0.2 + 0.3 rounds differently from 0.3 + 0.2 + 0.1: the sum must be taken in position order.
  const t = new ModelEdges();
  const lists: [number, number][][] = [
    [[0, 5], [1, 0.1], [2, 0.2], [3, 0.3]],
    [[0, 5], [3, 0.3]],
    [[0, 5], [1, 0.1], [2, 0.2], [3, 0.3]],
  ];
  for (const list of lists) t.add(4, list.length, Int32Array.from(list, ([p]) => p), Float64Array.from(list, ([, v]) => v), Uint8Array.from(list, ([p]) => (p === 0 ? 1 : 0)));
  t.choose(1);
  const x = t.denseSamples();
  assert.deepEqual([...x[0]!], [5, 0.1 + 0.2 + 0.3]);
  assert.deepEqual([...x[1]!], [5, 0.3]);
  assert.deepEqual([...x[2]!], [5, 0.1 + 0.2 + 0.3]);
  assert.notEqual(0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1);
});
