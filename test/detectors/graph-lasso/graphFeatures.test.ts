// graph-lasso's features and its training set on a hand-built graph, every expected value worked
// out here from the definitions (README "graph-lasso").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphFeatures, RobustStandardizer } from '../../../src/detectors/graph-lasso/index.ts';
import { chooseRoutes } from '../../../src/detectors/graph-lasso/chooseRoutes.ts';
import { buildTrainingSet, type TrainingRow } from '../../../src/detectors/graph-lasso/trainingSet.ts';
import { assertClose } from '../../util.ts';

// user-db ← user ← front-end ← external (callers → callees), plus front-end → catalogue.
const LIST = [
  { src: 'user', dst: 'user-db' }, // 0
  { src: 'front-end', dst: 'user' }, // 1
  { src: 'external', dst: 'front-end' }, // 2
  { src: 'front-end', dst: 'catalogue' }, // 3
];
const ROUTE = { nodes: ['user-db', 'user', 'front-end', 'external'], edges: Int32Array.of(0, 1, 2) };

function features(): GraphFeatures {
  const f = new GraphFeatures({
    edgeNames: (e) => `${LIST[e]!.src} → ${LIST[e]!.dst}`,
    edges: Int32Array.of(0, 1),
    paths: [ROUTE],
    allPaths: [ROUTE.edges, Int32Array.of(3, 2)],
    nodeNames: ['user', 'front-end'],
    referenceLog: Float64Array.of(Math.log1p(100), Math.log1p(100), Math.log1p(100), Math.log1p(100)),
    winsorizeAt: 8,
  });
  f.extend(LIST, 4);
  return f;
}

test('features of one interval, by hand: z and ln volume per watched edge, Σz/√hops and min z per path, the best path, out/in per node, the angle, new edges, the rest', () => {
  const f = features();
  assert.deepEqual(f.names, [
    'z user → user-db',
    'z front-end → user',
    'ln volume user → user-db',
    'ln volume front-end → user',
    'path user-db → user → front-end → external: Σz/√hops',
    'path user-db → user → front-end → external: min z',
    'best candidate path: Σz/√hops',
    'best candidate path: min z',
    'ln(out/in) user',
    'ln(out/in) front-end',
    'angle to the training mean',
    'ln(1 + new edges)',
    'largest z of the other edges',
  ]);
  const z = Float64Array.of(1, 2, 12, 5); // edge 2's z is winsorised at 8
  const volume = Float64Array.of(100, 300, 600, 200);
  const out = new Float64Array(f.count);
  f.compute(z, volume, 4, 2, out);
  const expected = [
    1,
    2,
    Math.log(101),
    Math.log(301),
    (1 + 2 + 8) / Math.sqrt(3),
    1,
    // The other path (catalogue, 2 hops): (5 + 8)/√2 = 9.19 > 11/√3 = 6.35; its min is 5.
    13 / Math.sqrt(2),
    5,
    // user: out 100 (to user-db), in 300 (from front-end); front-end: out 300 + 200, in 600.
    Math.log(101 / 301),
    Math.log(501 / 601),
    // 1 − cos between (ln 101, ln 301, ln 601, ln 201) and ln 101 · (1, 1, 1, 1).
    1 - (Math.log(101) + Math.log(301) + Math.log(601) + Math.log(201)) / (2 * Math.hypot(Math.log(101), Math.log(301), Math.log(601), Math.log(201))),
    Math.log(3),
    // Edges 2 and 3 are not watched one by one: the larger of their z (8 after winsorising, 5).
    8,
  ];
  expected.forEach((v, j) => assertClose(out[j]!, v, 1e-12, f.names[j]));
  // The best path's features blame that path's edges; the rest's its largest edge.
  assert.deepEqual([...f.blameOf(6)], [3, 2]);
  assert.deepEqual([...f.blameOf(12)], [2]);
  assert.deepEqual([...f.blameOf(4)], [0, 1, 2]);
});

test('routes: candidate paths from each data store to the outside, each hop on the edge the bytes land on; without an outside node, the busiest edges', () => {
  const totals = Float64Array.of(100, 300, 600, 200);
  const routes = chooseRoutes(LIST, totals, new Set(['external']), { maxHops: 4, maxPaths: 100, watchedPaths: 8, maxEdges: 3, maxNodes: 8, sensitive: [] });
  assert.deepEqual(routes.watched.map((r) => [r.nodes, [...r.edges]]), [[['user-db', 'user', 'front-end', 'external'], [0, 1, 2]]]);
  // The path's hops first, then the busiest (none left within maxEdges 3); its inner nodes.
  assert.deepEqual([...routes.edges], [0, 1, 2]);
  assert.deepEqual(routes.nodes, ['user-db', 'user', 'front-end']);
  const hosts = [
    { src: 'h1', dst: 'h2' },
    { src: 'h2', dst: 'h3' },
    { src: 'h3', dst: 'h1' },
  ];
  const none = chooseRoutes(hosts, Float64Array.of(5, 50, 20), new Set(['external']), { maxHops: 4, maxPaths: 100, watchedPaths: 2, maxEdges: 8, maxNodes: 8, sensitive: [] });
  assert.deepEqual(none.all, []);
  assert.deepEqual(none.watched.map((r) => [...r.edges]), [[1], [2]]);
});

test('training set: an injected copy adds B to every hop volume and B/σ to every hop z; the classes weigh half each; folds follow time', () => {
  const f = features();
  const rows: TrainingRow[] = [];
  // Clean z spread wide enough that the injected copies' mod-z stay inside the ±10 clip (so they can be read back).
  const z0 = [0, 3, -3, 6];
  const z1 = [0, -4, 4, 8];
  for (let t = 0; t < 4; t++) rows.push({ z: Float64Array.of(z0[t]!, z1[t]!, 0.3, Number.NaN), volume: Float64Array.of(100 + t, 300, 600, 200), n: 4, newEdges: 0 });
  const sigma = [10, 20, 40, 5];
  // The route's median hop σ is 20; sizes 1 and 2 → 20 and 40 bytes.
  const set = buildTrainingSet(rows, f, [{ edges: ROUTE.edges }], (e) => sigma[e]!, { sizes: [1, 2], maxInjectedRows: 100, folds: 2, residuals: 'mod-z' });
  assert.equal(set.clean, 4);
  assert.equal(set.problem.rows, 4 + 4 * 2);
  assert.deepEqual([...set.fold], [0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual([...set.problem.y], [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  assertClose([...set.problem.weights].slice(0, 4).reduce((a, b) => a + b), 0.5, 1e-12, 'clean weight');
  assertClose([...set.problem.weights].slice(4).reduce((a, b) => a + b), 0.5, 1e-12, 'injected weight');
  assertInjectedRow5(set);
});

/**
 * Row 5 of the training sets below (interval 0, its z 0, 0, 0.3, with 40 bytes on each hop of a
 * route whose hop σ are 10, 20, 40), its standardisation undone: the features worked out by hand.
 */
function assertInjectedRow5(set: ReturnType<typeof buildTrainingSet>): void {
  const n = set.problem.rows;
  const raw = (i: number, j: number) => set.problem.x[j * n + i]! * set.standardizer.scale[j]! + set.standardizer.center[j]!;
  assertClose(raw(5, 0), 0 + 40 / 10, 1e-9, 'z user → user-db');
  assertClose(raw(5, 1), 0 + 40 / 20, 1e-9, 'z front-end → user');
  assertClose(raw(5, 3), Math.log1p(340), 1e-9, 'ln volume front-end → user');
  assertClose(raw(5, 4), (4 + 2 + (0.3 + 1)) / Math.sqrt(3), 1e-9, 'path Σz/√hops');
  assertClose(raw(5, 5), 0.3 + 1, 1e-9, 'path min z');
}

test('training set from sparse rows (only the active edges kept, as the detector keeps them): the hand-computed features of the dense test, and the same matrix as the dense form', () => {
  const f = features();
  const z0 = [0, 3, -3, 6];
  const z1 = [0, -4, 4, 8];
  // Edge 3 is idle in every interval: absent from the sparse rows, z NaN and volume 0 in the dense ones.
  const dense: TrainingRow[] = [];
  const sparse: TrainingRow[] = [];
  for (let t = 0; t < 4; t++) {
    dense.push({ z: Float64Array.of(z0[t]!, z1[t]!, 0.3, Number.NaN), volume: Float64Array.of(100 + t, 300, 600, 0), n: 4, newEdges: 0 });
    sparse.push({ edges: Int32Array.of(0, 1, 2), z: Float64Array.of(z0[t]!, z1[t]!, 0.3), volume: Float64Array.of(100 + t, 300, 600), n: 4, newEdges: 0 });
  }
  const sigma = [10, 20, 40, 5];
  const options = { sizes: [1, 2], maxInjectedRows: 100, folds: 2, residuals: 'mod-z' as const };
  const fromSparse = buildTrainingSet(sparse, f, [{ edges: ROUTE.edges }], (e) => sigma[e]!, options);
  assertInjectedRow5(fromSparse);
  const fromDense = buildTrainingSet(dense, features(), [{ edges: ROUTE.edges }], (e) => sigma[e]!, options);
  assert.deepEqual([...fromSparse.problem.x], [...fromDense.problem.x]);
});

test("residual features 'as-is': z-made features only centred on their training median (unit kept, not clipped), the others mod-z", () => {
  const f = features();
  const rows: TrainingRow[] = [0, 1, 2, 3].map((t) => ({ z: Float64Array.of(t, -t, 0.3, Number.NaN), volume: Float64Array.of(100 + t, 300, 600, 200), n: 4, newEdges: 0 }));
  const set = buildTrainingSet(rows, f, [{ edges: ROUTE.edges }], () => 1, { sizes: [50], maxInjectedRows: 100, folds: 2, residuals: 'as-is' });
  // Which features are made of residuals: z per edge, the path's two, the best path's two, the rest's.
  assert.deepEqual(f.residual, [1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1]);
  // z user → user-db over the clean rows: 0, 1, 2, 3 → median 1.5; its injected copy of row 0 is
  // 0 + 50/1, winsorised at 8.
  assert.equal(set.standardizer.scale[0], 1);
  assert.equal(set.standardizer.center[0], 1.5);
  const n = set.problem.rows;
  assertClose(set.problem.x[0 * n + 4]!, 8 - 1.5, 1e-12, 'injected z, centred');
  // The path's Σz/√hops: clean (t − t + 0.3)/√3 every row; injected 3·8/√3 = 13.86, centred and not clipped at 10.
  assertClose(set.problem.x[4 * n + 4]!, (3 * 8) / Math.sqrt(3) - 0.3 / Math.sqrt(3), 1e-12, 'injected path feature, not clipped');
  // ln volume user → user-db (101 … 104) is still mod-z: MAD-scaled, so its centre is the median of ln 101 … ln 104.
  assertClose(set.standardizer.center[2]!, (Math.log(102) + Math.log(103)) / 2, 1e-12, 'ln volume centre');
  assert.notEqual(set.standardizer.scale[2], 1);
});

test('mod-z: (x − median)/(1.4826·MAD), clipped at ±10; a zero MAD falls back to the mean absolute deviation, then to 1', () => {
  // Column 0: 1, 2, 3, 4, 100 → median 3, |x − 3| = 2, 1, 0, 1, 97 → MAD 1.
  // Column 1: 5, 5, 5, 5, 9 → median 5, MAD 0, mean |x − 5| = 4/5.
  // Column 2: constant 7.
  const x = Float64Array.of(1, 2, 3, 4, 100, 5, 5, 5, 5, 9, 7, 7, 7, 7, 7);
  const s = new RobustStandardizer(x, 5, 3);
  assert.deepEqual([...s.center], [3, 5, 7]);
  assertClose(s.scale[0]!, 1.4826, 1e-12, 'MAD scale');
  assertClose(s.scale[1]!, 1.2533 * 0.8, 1e-12, 'mean-absolute-deviation scale');
  assert.equal(s.scale[2], 1);
  const v = Float64Array.of(4, 6, 100);
  s.apply(v);
  assertClose(v[0]!, 1 / 1.4826, 1e-12, 'x0');
  assertClose(v[1]!, 1 / (1.2533 * 0.8), 1e-12, 'x1');
  assert.equal(v[2], 10);
});
