import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, toArray } from 'rxjs';
import { EDGE_FORGET_AFTER_SECONDS, GrowingEdgeIndex, vectorize } from '../../src/detectors/index.ts';
import type { Frame, Snapshot } from '../../src/types.ts';
import { edgeHorizonSeconds } from '../../src/replay/detectLive.ts';
import { handSnapshots, type HandInterval } from '../util.ts';

/** One frame's positions, as `seen` takes them. */
function seen(index: GrowingEdgeIndex, t: number, ...positions: number[]): void {
  index.seen(Int32Array.from(positions), positions.length, t);
}

test('edge index: an edge silent for longer than the horizon is forgotten and its position reused, not before', () => {
  const index = new GrowingEdgeIndex({ forgetAfterSeconds: 100 });
  index.forgetSilent(10);
  const a = index.add('a', 'b');
  const c = index.add('c', 'd');
  assert.deepEqual([a, c], [0, 1]);
  seen(index, 10, a, c);
  // c stays busy; a is last seen at t = 10.
  for (let t = 11; t <= 110; t++) {
    index.forgetSilent(t);
    seen(index, t, c);
  }
  // At t = 110 a has been silent exactly 100 s: not longer than the horizon, still known.
  assert.equal(index.indexOf('a', 'b'), 0);
  assert.equal(index.live, 2);
  // Sweeps run every 100/64 s: by t = 112, a (silent 102 s > 100 s) is gone.
  for (let t = 111; t <= 112; t++) {
    index.forgetSilent(t);
    seen(index, t, c);
  }
  assert.equal(index.indexOf('a', 'b'), undefined, 'a forgotten edge is not found');
  assert.equal(index.indexOf('c', 'd'), 1, 'a busy edge keeps its position');
  assert.equal(index.live, 1);
  assert.equal(index.forgotten, 1);
  assert.deepEqual(index.list[0], { src: 'a', dst: 'b' }, 'its names stay until the position is reused (blame)');
  assert.equal(index.takeRecycled().length, 0, 'forgetting alone recycles nothing');
  // The next new edge takes position 0 instead of appending: the index does not grow.
  const e = index.add('e', 'f');
  assert.equal(e, 0);
  assert.equal(index.size, 2);
  assert.deepEqual(index.list[0], { src: 'e', dst: 'f' });
  assert.deepEqual([...index.takeRecycled()], [0]);
  assert.deepEqual([...index.takeRecycled()], [], 'said once');
  // The forgotten edge coming back is a new edge: a fresh position (appended: none is free).
  const back = index.add('a', 'b');
  assert.equal(back, 2);
  assert.deepEqual([...index.takeRecycled()], []);
});

test('edge index: an edge added but not yet seen in a frame is never forgotten; without a horizon nothing is', () => {
  const index = new GrowingEdgeIndex({ forgetAfterSeconds: 10 });
  index.add('a', 'b');
  index.forgetSilent(1_000);
  assert.equal(index.indexOf('a', 'b'), 0);
  const forever = new GrowingEdgeIndex();
  const p = forever.add('a', 'b');
  seen(forever, 0, p);
  forever.forgetSilent(1e12);
  assert.equal(forever.indexOf('a', 'b'), 0);
  assert.equal(forever.forgotten, 0);
});

function frames(snapshots: readonly Snapshot[], forgetEdgesAfterSeconds?: number): Frame[] {
  let out: Frame[] = [];
  from(snapshots)
    .pipe(vectorize(forgetEdgesAfterSeconds === undefined ? {} : { forgetEdgesAfterSeconds }), toArray())
    .subscribe((f) => (out = f));
  return out;
}

test('vectorize: a frame lists the positions a new edge took from a forgotten one (recycled); a returning edge is new', () => {
  // One-second intervals, horizon 5 s: a>b is seen in frame 1 (t = 1) only; k>l every frame.
  const intervals: HandInterval[] = [{ 'a>b': { requests: 3 }, 'k>l': { requests: 1 } }];
  for (let i = 2; i <= 8; i++) intervals.push({ 'k>l': { requests: 1 } });
  intervals.push({ 'k>l': { requests: 1 }, 'x>y': { requests: 7 } }); // t = 9
  intervals.push({ 'k>l': { requests: 1 }, 'a>b': { requests: 2 } }); // t = 10
  const f = frames(handSnapshots(intervals), 5);
  assert.ok(f.slice(0, 8).every((frame) => frame.recycled!.length === 0));
  // By t = 9 a>b has been silent 8 s > 5 s: x>y takes its position 0. (The index is shared by
  // every frame: read at the end of the stream, it holds a>b again, at 2.)
  assert.deepEqual([...f[8]!.recycled!], [0]);
  assert.deepEqual(f[9]!.edges.list, [{ src: 'x', dst: 'y' }, { src: 'k', dst: 'l' }, { src: 'a', dst: 'b' }]);
  assert.deepEqual([...f[8]!.active!], [0, 1]);
  assert.deepEqual([...f[8]!.activeValues!.get('requests')!], [7, 1], 'x>y at 0, k>l at 1');
  assert.equal(f[8]!.edgeCount, 2, 'the arrays do not grow');
  // a>b comes back: a new edge at a new position (none is free), not listed as recycled.
  assert.equal(f[9]!.edges.indexOf('a', 'b'), 2);
  assert.deepEqual([...f[9]!.recycled!], []);
  assert.deepEqual([...f[9]!.values.get('requests')!], [0, 1, 2]);
});

test('vectorize: by default the index remembers a silent edge for a day (EDGE_FORGET_AFTER_SECONDS)', () => {
  assert.equal(EDGE_FORGET_AFTER_SECONDS, 86_400);
  // Hourly intervals: a>b at t = 1 h, then 24 h of k>l only (silent exactly a day at t = 25 h), then x>y.
  const hour = 3_600;
  const intervals: HandInterval[] = [{ 'a>b': { requests: 1 }, 'k>l': { requests: 1 } }];
  for (let i = 0; i < 24; i++) intervals.push({ 'k>l': { requests: 1 } });
  intervals.push({ 'k>l': { requests: 1 }, 'x>y': { requests: 1 } }); // t = 26 h: a>b silent 25 h
  const f = frames(handSnapshots(intervals, { dt: hour }));
  assert.equal(f[24]!.edges.list.length, 2);
  assert.equal(f[24]!.t - f[0]!.t, 24 * hour);
  assert.deepEqual([...f[25]!.recycled!], [0], 'silent for more than a day: its position goes to x>y');
});

test('detectLive: the index remembers as long as the longest forgetAfterSeconds a running detector is given, and never less than a day', () => {
  const options = (o: Record<string, unknown>, enabled = Object.keys(o)) => ({ enabled, options: o, trainingSeconds: 60, falseAlarmRate: 0.01 }) as never;
  assert.equal(edgeHorizonSeconds(options({})), 86_400);
  assert.equal(edgeHorizonSeconds(options({ eigenspace: { forgetAfterSeconds: 3_600 } })), 86_400);
  assert.equal(edgeHorizonSeconds(options({ 'new-edge': { forgetAfterSeconds: 7 * 86_400 }, cusum: { forgetAfterSeconds: 2 * 86_400 } })), 7 * 86_400);
  // A detector that does not run keeps nothing in mind.
  assert.equal(edgeHorizonSeconds(options({ 'new-edge': { forgetAfterSeconds: 7 * 86_400 }, cusum: { forgetAfterSeconds: 2 * 86_400 } }, ['cusum'])), 2 * 86_400);
  // A plugin (not a built-in name) always runs, so its horizon counts whatever `enabled` says.
  assert.equal(edgeHorizonSeconds(options({ 'my-plugin': { forgetAfterSeconds: 3 * 86_400 } }, [])), 3 * 86_400);
});
