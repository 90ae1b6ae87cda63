// BestOfPaths against the definition, worked out here path by path (the first path of the largest
// Σz/√hops summed from its first hop, and the largest min z): by hand on a small set, then on
// random sets of paths sharing their tails, with ties, zeros of both signs and sums whose
// rounding depends on the order of the hops.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BestOfPaths } from '../../../src/detectors/series/bestOfPaths.ts';

function make(paths: readonly (readonly number[])[]): BestOfPaths {
  const start = new Int32Array(paths.length + 1);
  paths.forEach((p, k) => (start[k + 1] = start[k]! + p.length));
  const hops = Int32Array.from(paths.flat());
  const root = Float64Array.from(paths, (p) => Math.sqrt(p.length));
  return new BestOfPaths(hops, start, root, paths.length);
}

/** The definition: every path summed from its first hop, the first of the largest kept. */
function expected(paths: readonly (readonly number[])[], z: Float64Array): { path: number; matched: number; bottleneck: number } {
  let path = -1;
  let matched = Number.NEGATIVE_INFINITY;
  let bottleneck = Number.NEGATIVE_INFINITY;
  paths.forEach((p, k) => {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    for (const e of p) {
      sum += z[e]!;
      if (z[e]! < min) min = z[e]!;
    }
    const m = p.length === 0 ? 0 : sum / Math.sqrt(p.length);
    if (m > matched) {
      matched = m;
      path = k;
    }
    const b = p.length === 0 ? 0 : min;
    if (b > bottleneck) bottleneck = b;
  });
  return { path, matched, bottleneck };
}

test('by hand: store → a → b → outside and its tails; the first of two equal paths is named', () => {
  // Edges 0: store → a, 1: a → b, 2: b → outside, 3: store2 → b.
  const paths = [[0, 1, 2], [1, 2], [2], [3, 2]];
  const best = make(paths);
  assert.equal(best.nodes, 4, 'tails (2), (1 2), (0 1 2), (3 2)');
  // z: Σ/√hops = 6/√3 ≈ 3.46, 5/√2 ≈ 3.54, 2, 6/√2 ≈ 4.24; min z 1, 2, 2, 2.
  const z = Float64Array.of(1, 3, 2, 4);
  assert.equal(best.compute(z), 3);
  assert.equal(best.best[0], 6 / Math.SQRT2);
  assert.equal(best.best[1], 2);
  // Paths 1 and 3 tie at 5/√2: the first is named.
  z[3] = 3;
  assert.equal(best.compute(z), 1);
  assert.equal(best.best[0], 5 / Math.SQRT2);
  // All silent: every matched filter 0, path 0 first.
  z.fill(0);
  assert.equal(best.compute(z), 0);
  assert.equal(best.best[0], 0);
  assert.equal(best.best[1], 0);
});

test('a path without hops: 0 by default, never the best with empty = NaN (0/0, as path scores it)', () => {
  const paths = [[], [0]];
  const z = Float64Array.of(-1);
  const zero = make(paths);
  assert.equal(zero.compute(z), 0);
  assert.equal(zero.best[0], 0);
  const start = Int32Array.of(0, 0, 1);
  const never = new BestOfPaths(Int32Array.of(0), start, Float64Array.of(0, 1), 2, Number.NaN);
  assert.equal(never.compute(z), 1);
  assert.equal(never.best[0], -1);
  assert.deepEqual([...never.edges], [0]);
});

test('sums whose rounding depends on the order: the sum from the first hop, bit for bit', () => {
  // 0.1 + 0.2 + 0.3 from the start is 0.6000000000000001, from the end 0.6.
  const paths = [[0, 1, 2], [3, 4, 5]];
  const z = Float64Array.of(0.1, 0.2, 0.3, 0.3, 0.2, 0.1);
  assert.notEqual(0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1);
  const best = make(paths);
  assert.equal(best.compute(z), 0, 'path 0 sums to more from its first hop');
  assert.equal(best.best[0], (0.1 + 0.2 + 0.3) / Math.sqrt(3));
});

test('paths listed tails first (each one hop longer than an earlier one, as both detectors list them): the same results', () => {
  const paths = [[2], [1, 2], [0, 1, 2], [3, 2]];
  const best = make(paths);
  assert.equal(best.nodes, paths.length);
  const z = Float64Array.of(1, 3, 2, 4);
  assert.equal(best.compute(z), 3);
  assert.equal(best.best[0], 6 / Math.SQRT2);
  assert.equal(best.best[1], 2);
  z[3] = 3;
  assert.equal(best.compute(z), 1, 'the first of the two at 5/√2');
});

test('tails first, and the best from its first hop lies below the best from the end: still found', () => {
  // From the end, path 2 sums (0.3 + 0.1) + 0.8 = 1.2000000000000002 and path 5 (0.1 + 0.1) + 1
  // = 1.2; from the first hop, 0.8 + 0.1 + 0.3 = 1.2 and 1 + 0.1 + 0.1 = 1.2000000000000002: path 5 is the best.
  assert.ok(0.3 + 0.1 + 0.8 > 0.1 + 0.1 + 1 && 0.8 + 0.1 + 0.3 < 1 + 0.1 + 0.1);
  const paths = [[2], [1, 2], [0, 1, 2], [5], [4, 5], [3, 4, 5]];
  const z = Float64Array.of(0.8, 0.1, 0.3, 1, 0.1, 0.1);
  const best = make(paths);
  assert.equal(best.nodes, paths.length);
  assert.equal(best.compute(z), 5);
  assert.equal(best.best[0], (1 + 0.1 + 0.1) / Math.sqrt(3));
});

test('min z of −0 and 0: the hop nearest the start, as a strict < keeps it', () => {
  const best = make([[0, 1]]);
  best.compute(Float64Array.of(-0, 0));
  assert.ok(Object.is(best.best[1], -0));
  best.compute(Float64Array.of(0, -0));
  assert.ok(Object.is(best.best[1], 0));
});

for (const tailsFirst of [false, true]) {
  test(`random path sets sharing their tails${tailsFirst ? ', listed tails first' : ''}: the same path and bits as the definition`, () => {
    let seed = tailsFirst ? 777 : 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 200; trial++) {
      const edges = 4 + Math.floor(random() * 30);
      const paths: number[][] = [];
      const count = 1 + Math.floor(random() * 40);
      for (let k = 0; k < count; k++) {
        // Half the paths extend an earlier one at its start (a shared tail), some are empty.
        const base = paths.length > 0 && (tailsFirst || random() < 0.5) ? paths[Math.floor(random() * paths.length)]! : [];
        const extra = tailsFirst ? 1 : Math.floor(random() * 4);
        const p = [...base];
        for (let h = 0; h < extra; h++) p.unshift(Math.floor(random() * edges));
        paths.push(p);
      }
      const best = make(paths);
      for (let round = 0; round < 10; round++) {
        // Small integers (many exact ties), zeros of both signs, or decimals that round by order.
        const z = Float64Array.from({ length: edges }, () => {
          const kind = round % 3;
          if (kind === 0) return Math.floor(random() * 5) - 2;
          if (kind === 1) return random() < 0.5 ? -0 : 0;
          return Math.round((random() * 16 - 8) * 10) / 10;
        });
        const want = expected(paths, z);
        const path = best.compute(z);
        assert.equal(path, want.path, `trial ${trial} round ${round}: path`);
        assert.ok(Object.is(best.best[0], want.matched), `trial ${trial} round ${round}: matched ${best.best[0]} vs ${want.matched}`);
        assert.ok(Object.is(best.best[1], want.bottleneck), `trial ${trial} round ${round}: bottleneck ${best.best[1]} vs ${want.bottleneck}`);
      }
    }
  });
}

test('a NaN among the hops, even followed by a finite z, falls back to the definition (by hand)', () => {
  // Paths (0, 1) and (2); z = 1, NaN, 0.5. Path 0's sum is NaN (never the best) and its min 1 (NaN < 1 is false);
  // path 1 scores 0.5 and its min is 0.5: best Σz/√hops 0.5 by path 1, best bottleneck 1.
  const paths = [[0, 1], [2]];
  const best = make(paths);
  const z = Float64Array.of(1, Number.NaN, 0.5);
  assert.equal(best.compute(z), 1);
  assert.deepEqual([...best.best], [0.5, 1]);
  assert.deepEqual(expected(paths, z), { path: 1, matched: 0.5, bottleneck: 1 });
});
