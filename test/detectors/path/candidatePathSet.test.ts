import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CandidatePathSet, type TrainingEdges } from '../../../src/detectors/path/index.ts';
import type { Frame } from '../../../src/types.ts';

const N = Number.NaN;
const OPTIONS = { maxHops: 4, maxPaths: 100, sensitive: [], outside: new Set(['external']) };

/** A frame whose edge index holds `edges` in order (all the set reads of a frame). */
function frame(edges: readonly (readonly [string, string])[]): Frame {
  const list = edges.map(([src, dst]) => ({ src, dst }));
  return { t: 0, dt: 1, gap: false, edges: { size: list.length, list, indexOf: () => undefined }, values: new Map(), snapshot: { t: 0, dt: 1, gap: false, edges: [] } };
}

/** A training interval's edges: `residual` per edge (NaN: idle), positions `recycled`. */
function seen(residual: readonly number[], recycled?: readonly number[]): TrainingEdges {
  return { edgeCount: residual.length, active: undefined, recycled: recycled && Int32Array.from(recycled), residual: Float64Array.from(residual) };
}

const names = (set: CandidatePathSet) => set.paths.map((p) => p.nodes.join(' '));
const hops = (set: CandidatePathSet) => set.paths.map((p) => [...p.hops]);

// user-db's data leaves through user and the front door; catalogue and orders hang off the mesh.
const TRAINING: [string, string][] = [
  ['user', 'user-db'], // 0: link 0
  ['front-end', 'user'], // 1: link 1
  ['external', 'front-end'], // 2: link 2
  ['user-db', 'user'], // 3: link 0's other direction
  ['catalogue', 'front-end'], // 4: link 3, on no path
  ['orders', 'user'], // 5: link 4, on no path while external → orders is idle
  ['external', 'orders'], // 6: idle in training
];

test('candidate path set: the links of a hand-built training graph (both directions of a pair on one link), paths over the edges that carried traffic only', () => {
  const set = new CandidatePathSet(OPTIONS);
  assert.equal(set.version, 0);
  set.train(frame(TRAINING), seen([0, 0, 0, 0, 0, 0, N]));
  // Links are numbered as their first edge comes: user|user-db 0, front-end|user 1,
  // external|front-end 2, catalogue|front-end 3, orders|user 4. Through orders needs the idle edge.
  assert.deepEqual(names(set), ['user-db user front-end external']);
  assert.deepEqual(hops(set), [[0, 1, 2]]);
  assert.deepEqual(set.pathLinks, [0, 1, 2]);
  assert.deepEqual(set.linkEdges.slice(0, 3), [[0, 3], [1], [2]]);
  assert.equal(set.version, 1);
});

test('candidate path set: after training, a new edge into the outside is a one-hop path and ends the routes from each data store to its node; a new direction joins a watched link only', () => {
  const set = new CandidatePathSet(OPTIONS);
  set.train(frame(TRAINING), seen([0, 0, 0, 0, 0, 0, N]));
  const after: [string, string][] = [
    ...TRAINING,
    ['user', 'external'], // 7: new, into the outside: link 5, a path of its own
    ['external', 'user'], // 8: link 5's other direction
    ['user', 'orders'], // 9: link 4's other direction, on no path
    ['front-end', 'shipping'], // 10: new, not into the outside
    ['external', 'external'], // 11: into the outside, but a loop
  ];
  set.extend(frame(after), 12, undefined);
  // The one route from user-db to user over the inside links is user-db → user (link 0); the new
  // link 5 follows it as exit hop 6, which holds link 5's edges.
  assert.deepEqual(names(set), ['user-db user front-end external', 'user external', 'user-db user external']);
  assert.deepEqual(hops(set), [[0, 1, 2], [5], [0, 6]]);
  assert.deepEqual(set.exits, [{ hop: 6, before: 0, exit: 5 }]);
  assert.deepEqual(set.pathLinks, [0, 1, 2, 5, 6]);
  assert.deepEqual(set.linkEdges[5], [7, 8]);
  assert.deepEqual(set.linkEdges[6], [7, 8]);
  for (const e of [9, 10, 11]) assert.ok(!set.linkEdges.slice(0, 6).some((edges) => edges.includes(e)), `edge ${e} is on no link`);
  assert.equal(set.version, 2);
  // Nothing new: nothing changes.
  set.extend(frame(after), 12, undefined);
  assert.equal(set.paths.length, 3);
  assert.equal(set.version, 2);
});

test('candidate path set: a new outside caller of a node inside (external → catalogue) ends every route to that node within maxHops − 1 inside hops, one exit hop per hop before; not through the outside', () => {
  const set = new CandidatePathSet(OPTIONS);
  set.train(frame(TRAINING), seen([0, 0, 0, 0, 0, 0, N]));
  const after: [string, string][] = [...TRAINING, ['external', 'catalogue']]; // 7: link 5
  set.extend(frame(after), 8, undefined);
  // user-db → user → front-end → catalogue (links 0, 1, 3) is 3 hops, as many as maxHops − 1 allows;
  // no route may step through external (link 2).
  assert.deepEqual(names(set), ['user-db user front-end external', 'catalogue external', 'user-db user front-end catalogue external']);
  assert.deepEqual(hops(set), [[0, 1, 2], [5], [0, 1, 3, 6]]);
  assert.deepEqual(set.exits, [{ hop: 6, before: 3, exit: 5 }]);
  // With maxHops 3 the route would need 4 hops: only the one-hop path is added.
  const short = new CandidatePathSet({ ...OPTIONS, maxHops: 3 });
  short.train(frame(TRAINING), seen([0, 0, 0, 0, 0, 0, N]));
  short.extend(frame(after), 8, undefined);
  assert.deepEqual(names(short), ['user-db user front-end external', 'catalogue external']);
  assert.deepEqual(short.exits, []);
});

test('candidate path set: a recycled position leaves its link, and the new edge there is judged as new', () => {
  const set = new CandidatePathSet(OPTIONS);
  set.train(frame(TRAINING), seen([0, 0, 0, 0, 0, 0, N]));
  // Position 3 (user-db → user) now holds shipping → external.
  const recycled: [string, string][] = TRAINING.map((edge, e) => (e === 3 ? ['shipping', 'external'] : edge));
  set.extend(frame(recycled), 7, Int32Array.of(3));
  assert.deepEqual(set.linkEdges[0], [0]);
  assert.deepEqual(names(set), ['user-db user front-end external', 'shipping external']);
  assert.deepEqual(hops(set), [[0, 1, 2], [5]]);
  assert.deepEqual(set.linkEdges[5], [3]);
});

test('candidate path set: in training, a recycled front door leaves the graph (no path left); a far link does not rebuild, one at a data store does', () => {
  const set = new CandidatePathSet(OPTIONS);
  const edges = TRAINING.slice(0, 4);
  set.train(frame(edges), seen([0, 0, 0, 0]));
  assert.equal(set.version, 1);
  // a → b touches no data store and no node within maxHops − 1 of the outside: the paths stay.
  set.train(frame([...edges, ['a', 'b']]), seen([0, 0, 0, 0, 0]));
  assert.equal(set.version, 1);
  // b → cart-db touches a data store: rebuilt (still no path from cart-db: b reaches no outside).
  set.train(frame([...edges, ['a', 'b'], ['b', 'cart-db']]), seen([0, 0, 0, 0, 0, 0]));
  assert.equal(set.version, 2);
  assert.deepEqual(names(set), ['user-db user front-end external']);
  // Position 2 (external → front-end) now holds an idle edge: the training graph loses the front door.
  const later = [...edges, ['a', 'b'], ['b', 'cart-db']] as [string, string][];
  later[2] = ['front-end', 'payment'];
  set.train(frame(later), seen([0, 0, N, 0, 0, 0], [2]));
  assert.equal(set.version, 3);
  assert.deepEqual(set.paths, []);
  assert.deepEqual(set.pathLinks, []);
});
