// graph-lasso's routes out by a link first seen after training (ExitRoutes) and their place in
// the pooled path features (GraphFeatures.offerPooled), on a hand-built graph; every expected
// value worked out here from the definitions (exitShare: z_before · min(1, x / r_before)).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphFeatures } from '../../../src/detectors/graph-lasso/index.ts';
import { ExitRoutes } from '../../../src/detectors/graph-lasso/exitRoutes.ts';
import { linkKey } from '../../../src/edgeKey.ts';
import { assertClose } from '../../util.ts';

// Training: user-db ← user ← front-end ← external, carts-db ← carts ← front-end (callers → callees).
const LIST = [
  { src: 'user', dst: 'user-db' }, // 0
  { src: 'front-end', dst: 'user' }, // 1
  { src: 'external', dst: 'front-end' }, // 2
  { src: 'carts', dst: 'carts-db' }, // 3
  { src: 'front-end', dst: 'carts' }, // 4
  // After training:
  { src: 'user', dst: 'external' }, // 5: a new link out of user
  { src: 'external', dst: 'carts' }, // 6: a new outside caller of carts
  { src: 'front-end', dst: 'external' }, // 7: the front door's link, already in training (the other way)
  { src: 'user', dst: 'carts' }, // 8: new, but inside the mesh
  { src: 'external', dst: 'user-db' }, // 9: new, to a data store (no route ends before it)
];
const PATHS = [Int32Array.of(0, 1, 2), Int32Array.of(3, 4, 2)];
const NODES = [
  ['user-db', 'user', 'front-end', 'external'],
  ['carts-db', 'carts', 'front-end', 'external'],
];
const TRAINING_LINKS = new Set([0, 1, 2, 3, 4].map((e) => linkKey(LIST[e]!.src, LIST[e]!.dst)));
const OUTSIDE = { has: (node: string) => node === 'external' };

/** A residual source by hand: z, residuals and values per edge (NaN: not scored / idle). */
function source(z: number[], residual: number[], value: number[]) {
  return { isScored: (e: number) => !Number.isNaN(z[e]!), value: (e: number) => value[e]!, residual: Float64Array.from(residual) };
}

test('a new link between a node and the outside ends the beginnings of candidate paths at that node; training links, inside links and data stores get none', () => {
  const exits = new ExitRoutes(PATHS, NODES, TRAINING_LINKS, OUTSIDE, 16);
  exits.extend(LIST, 10);
  // z as the features take it: user → user-db 6, carts → carts-db 4, the rest 0.
  const z = Float64Array.of(6, 0, 0, 4, 0, 0, 0, 0, 0, 0);
  const nan = Number.NaN;
  // Every new edge unscored (warming up) and carrying 15 kB; the stores' hops 30 kB over their fits.
  const r = source([6, 0, 0, 4, 0, nan, nan, nan, nan, nan], [30_000, 0, 0, 30_000, 0, nan, nan, nan, nan, nan], [0, 0, 0, 0, 0, 15_000, 15_000, 15_000, 15_000, 15_000]);
  const best = exits.best(z, r, 10)!;
  // user-db → user → external: exit z = 6 · min(1, 15,000 / 30,000) = 3; (6 + 3)/√2, min 3.
  // carts-db → carts → external: 4 · 0.5 = 2; (4 + 2)/√2, min 2. Routes through front-end: none
  // (its link to the outside is a training link); user → carts and external → user-db: none.
  assertClose(best.sum, 9 / Math.SQRT2, 1e-12);
  assert.equal(best.min, 3);
  assert.deepEqual(best.edges, [0, 5]);
  assert.equal(best.exit, 5);
  assert.equal(best.exitZ, 3);
});

test('a route is closed once its new link is scored, in an interval it carries nothing, and when the hop before shows no excess it counts 0', () => {
  const exits = new ExitRoutes(PATHS, NODES, TRAINING_LINKS, OUTSIDE, 16);
  exits.extend(LIST, 7);
  const nan = Number.NaN;
  const z = Float64Array.of(6, 0, 0, 4, 0, 0, 0);
  // user → external scored now (its fit warmed up): only carts' route is open.
  let best = exits.best(z, source([6, 0, 0, 4, 0, 1.5, nan], [30_000, 0, 0, 30_000, 0, 100, nan], [0, 0, 0, 0, 0, 15_000, 60_000]), 7)!;
  // 4 · min(1, 60,000 / 30,000) = 4: the new link counts at most the hop before's z.
  assertClose(best.sum, 8 / Math.SQRT2, 1e-12);
  assert.deepEqual(best.edges, [3, 6]);
  // Neither new link carries anything: nothing open.
  assert.equal(exits.best(z, source([6, 0, 0, 4, 0, nan, nan], [30_000, 0, 0, 30_000, 0, nan, nan], [0, 0, 0, 0, 0, 0, nan]), 7), undefined);
  // The hops before fell (negative residuals): the exits count 0, the routes (z + 0)/√2 with
  // bottlenecks min(−1, 0) and min(−2, 0); the best of each is user's.
  const fell = Float64Array.of(-1, 0, 0, -2, 0, 0, 0);
  best = exits.best(fell, source([-1, 0, 0, -2, 0, nan, nan], [-5_000, 0, 0, -9_000, 0, nan, nan], [0, 0, 0, 0, 0, 15_000, 15_000]), 7)!;
  assertClose(best.sum, -1 / Math.SQRT2, 1e-12);
  assert.equal(best.min, -1);
  assert.equal(best.exitZ, 0);
});

test('at most maxRoutes routes; a recycled position takes its routes with it and brings the new edge\'s', () => {
  const exits = new ExitRoutes(PATHS, NODES, TRAINING_LINKS, OUTSIDE, 1);
  exits.extend(LIST, 7);
  const z = Float64Array.of(6, 0, 0, 4, 0, 0, 0);
  const nan = Number.NaN;
  const r = source([6, 0, 0, 4, 0, nan, nan], [30_000, 0, 0, 30_000, 0, nan, nan], [0, 0, 0, 0, 0, 15_000, 15_000]);
  // Only user → external's route was kept (the first new link).
  assert.deepEqual(exits.best(z, r, 7)!.edges, [0, 5]);
  // Position 5 now holds front-end → catalogue (inside the mesh): no route left, and room for none of its own.
  const list = LIST.map((e, i) => (i === 5 ? { src: 'front-end', dst: 'catalogue' } : e));
  exits.retire(list, 5);
  assert.equal(exits.best(z, r, 7), undefined);
});

test('offerPooled: a route out beats the candidate paths in the pooled features when larger, and they blame its edges', () => {
  const f = new GraphFeatures({
    edgeNames: (e) => `${LIST[e]!.src} → ${LIST[e]!.dst}`,
    edges: Int32Array.of(0),
    paths: [],
    allPaths: PATHS,
    nodeNames: [],
    referenceLog: new Float64Array(5),
    winsorizeAt: 8,
  });
  f.extend(LIST, 6);
  const pooled = f.names.indexOf('best candidate path: Σz/√hops');
  const out = new Float64Array(f.count);
  f.compute(Float64Array.of(6, 0, 0, 4, 0, Number.NaN), new Float64Array(6), 6, 0, out);
  // Candidate paths: (6 + 0 + 0)/√3 and (4 + 0 + 0)/√3; the bottleneck 0.
  assertClose(out[pooled]!, 6 / Math.sqrt(3), 1e-12);
  assert.equal(out[pooled + 1], 0);
  assert.deepEqual([...f.blameOf(pooled)], [0, 1, 2]);
  // A smaller route changes nothing.
  f.offerPooled(out, 0, 1, -1, [3, 6]);
  assertClose(out[pooled]!, 6 / Math.sqrt(3), 1e-12);
  assert.deepEqual([...f.blameOf(pooled)], [0, 1, 2]);
  // user-db → user → external at (6 + 3)/√2, bottleneck 3: both pooled features take it.
  f.offerPooled(out, 0, 9 / Math.SQRT2, 3, [0, 5]);
  assertClose(out[pooled]!, 9 / Math.SQRT2, 1e-12);
  assert.equal(out[pooled + 1], 3);
  assert.deepEqual([...f.blameOf(pooled)], [0, 5]);
  assert.deepEqual([...f.blameOf(pooled + 1)], [0, 5]);
  // The next interval's compute forgets it.
  f.compute(Float64Array.of(6, 0, 0, 4, 0, Number.NaN), new Float64Array(6), 6, 0, out);
  assert.deepEqual([...f.blameOf(pooled)], [0, 1, 2]);
});
