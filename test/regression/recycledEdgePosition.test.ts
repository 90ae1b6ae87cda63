// Issue 19: a 60,000-interval connection log grew without bound because the edge index never
// forgot an edge (~1.8 million pairs) and every per-position array followed it. The index now
// forgets an edge silent for longer than a day and gives its position to the next new edge.
// These tests check that the index stays bounded (the old code: one position per pair ever
// seen) and that a recycled position never hands the forgotten edge's state to the new one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { z } from 'zod';
import { CusumCore } from '../../src/detectors/cusum/index.ts';
import { ewma, LoadResiduals, loadResidualFields, newEdge, vectorize } from '../../src/detectors/index.ts';
import { alarmLimit } from '../../src/detectors/stats/index.ts';
import { ModelEdges, OTHER, OUTSIDE } from '../../src/detectors/pca-subspace/modelEdges.ts';
import { EdgePolicy } from '../../src/detectors/new-edge/edgePolicy.ts';
import { NewEdge } from '../../src/detectors/new-edge/newEdgeCore.ts';
import { ActiveEdges, ImputedEdges } from '../../src/detectors/sparse/index.ts';
import type { Frame, Snapshot, Verdict } from '../../src/types.ts';
import { HandResiduals } from '../detectors/handResiduals.ts';
import { handSnapshots, judgeSnapshots, type HandInterval } from '../util.ts';

const HOUR = 3_600;

/** Each frame as it comes (positions and names are read while they hold, not after the stream). */
function eachFrame(snapshots: readonly Snapshot[], visit: (frame: Frame, i: number) => void): void {
  let i = 0;
  from(snapshots)
    .pipe(vectorize())
    .subscribe((frame) => visit(frame, i++));
}

/**
 * Hourly intervals: a>b and k>l for `busy` hours, then k>l alone for 26 hours (a>b silent for
 * more than a day), then k>l and p>q, the new edge, which takes a>b's position 0; then `after`.
 */
function forgottenThenNew(busy: number, values: (hour: number) => number, after: HandInterval[] = []): Snapshot[] {
  const intervals: HandInterval[] = [];
  for (let h = 0; h < busy; h++) intervals.push({ 'a>b': { requests: values(h) }, 'k>l': { requests: 10 } });
  for (let h = 0; h < 26; h++) intervals.push({ 'k>l': { requests: 10 } });
  intervals.push({ 'p>q': { requests: 5 }, 'k>l': { requests: 10 } });
  intervals.push(...after);
  return handSnapshots(intervals, { dt: HOUR });
}

test('regression (issue 19): the edge index stays bounded on a stream of ever-new pairs (it grew by one position per pair ever seen)', () => {
  // One-minute intervals for 4 days: 3 never-seen pairs a minute and one that recurs. Positions
  // in use can be at most the pairs seen within a day (plus a sweep's slack): 3 × 1,440 + 1.
  const minutes = 4 * 1_440;
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < minutes; i++) {
    const edges = [{ src: 'client', dst: 'server', values: { requests: 1 } }];
    for (let j = 0; j < 3; j++) edges.push({ src: `h-${i}-${j}`, dst: 'server', values: { requests: 1 } });
    snapshots.push({ t: 60 * (i + 1), dt: 60, gap: false, edges });
  }
  let size = 0;
  let recycled = 0;
  eachFrame(snapshots, (frame) => {
    size = frame.edges.size;
    recycled += frame.recycled?.length ?? 0;
  });
  const dayAndSweep = 3 * (1_440 + Math.ceil(1_440 / 64) + 1) + 1;
  assert.ok(size <= dayAndSweep, `index holds ${size} positions after ${3 * minutes + 1} distinct pairs; at most ${dayAndSweep} expected`);
  assert.ok(recycled >= 3 * (minutes - dayAndSweep / 3), `positions were reused (${recycled})`);
});

test('regression (issue 19): new-edge scores a new edge at a recycled position as new, even when it would remember the old edge longer', () => {
  // new-edge remembers a silent edge for 3 days; the index (default: a day) forgets a>b after 26
  // hours of silence and p>q takes its position. p>q must not inherit a>b's "learnt" state:
  // it is a new edge between two new nodes, score 1 + 2 = 3 (README: new edges + new nodes).
  const snapshots = forgottenThenNew(5, () => 3);
  let recycledAt = -1;
  eachFrame(snapshots, (frame, i) => {
    if ((frame.recycled?.length ?? 0) > 0) {
      recycledAt = i;
      assert.deepEqual([...frame.recycled!], [0]);
      assert.deepEqual(frame.edges.list[0], { src: 'p', dst: 'q' });
    }
  });
  assert.equal(recycledAt, 31, 'p>q took a>b’s position');
  const v = judgeSnapshots(snapshots, newEdge({ forgetAfterSeconds: 3 * 86_400 }, { trainingSeconds: 5 * HOUR }));
  assert.ok(v.slice(5, 31).every((x) => !x.training && x.score === 0), 'k>l alone: nothing new');
  assert.equal(v[31]!.score, 3);
  assert.equal(v[31]!.alarm, true);
  assert.deepEqual(v[31]!.blamed.map((b) => `${b.src}>${b.dst}`), ['p>q']);
});

test('regression (issue 19): a silent edge at a recycled position is not read at the forgotten edge’s typical level (eigenspace, pca-subspace)', () => {
  // ImputedEdges (the subspace detectors' reader) remembering 3 days: a>b is learnt at level 10;
  // p>q takes its position with 5, then is silent: it reads its own level, 5 (a first active
  // value starts a level), not 10 + 0.2 × (5 − 10) = 9 as if a>b's level had learnt it.
  const snapshots = forgottenThenNew(5, () => 10, [{ 'k>l': { requests: 10 } }]);
  const edges = new ImputedEdges({ metrics: ['requests'], transform: 'none', imputeSilence: true, forgetAfterSeconds: 3 * 86_400 });
  const read: number[] = [];
  eachFrame(snapshots, (frame) => {
    const n = edges.read(frame);
    const at = Array.from(edges.positions.subarray(0, n)).indexOf(0);
    read.push(at < 0 ? 0 : edges.values[at]!);
    edges.learn();
  });
  assert.equal(read[30], 10, 'a>b, silent (forgotten by the index, its position not yet reused), still read at its level');
  assert.equal(read[31], 5, 'p>q active');
  assert.equal(read[32], 5, 'p>q silent: its own level');
});

test('regression (issue 19): the load fit of a recycled position starts over (cusum, path, graph-lasso)', () => {
  // LoadResiduals remembering 3 days: a>b has a warmed-up fit; p>q at its position is a new
  // edge, whose first observations only start a fit (z NaN while it warms up, README "cusum").
  const snapshots = forgottenThenNew(30, (h) => 100 + (h % 7));
  const residuals = new LoadResiduals(z.object(loadResidualFields()).parse({ metrics: ['requests'], forgetAfterSeconds: 3 * 86_400 }));
  const zAt0: number[] = [];
  eachFrame(snapshots, (frame) => {
    const n = residuals.read(frame);
    zAt0.push(residuals.z[0]!);
    for (let e = 0; e < n; e++) residuals.learn(e);
  });
  assert.ok(Number.isFinite(zAt0[29]!), 'a>b was scored before its silence');
  assert.ok(Number.isNaN(zAt0[56]!), `p>q's first interval is not scored (got z = ${zAt0[56]})`);
  assert.deepEqual(residuals.label(0), { src: 'p', dst: 'q' });
});

test('regression (issue 19): a pca-subspace model coordinate whose edge was forgotten does not take the new edge at its position', () => {
  const model = new ModelEdges();
  for (let i = 0; i < 4; i++) model.add(2, 2, Int32Array.of(0, 1), Float64Array.of(1, 2), Uint8Array.of(1, 1));
  model.choose(8);
  assert.deepEqual([model.coordinateOf(0), model.positionOf(0)], [0, 0]);
  model.retire(0);
  assert.equal(model.coordinateOf(0), OUTSIDE, 'the new edge is one the model does not know (all residual)');
  assert.equal(model.positionOf(0), -1, 'the old coordinate names no edge');
  assert.deepEqual([model.coordinateOf(1), model.positionOf(1)], [1, 1], 'other coordinates unchanged');
  assert.notEqual(OTHER, OUTSIDE);
});

test('regression (issue 19): new-edge and the load fits hold the nodes of the edges indexed now, not every host a long log named', () => {
  // One-minute intervals for 4 days: each minute a never-seen host calls `server`, and `client`
  // calls it too. The edge index keeps about a day of those pairs, so the nodes named by indexed
  // edges are at most a day's hosts (+ a sweep's slack) + client + server; new-edge keeps a node
  // it knows (learnt through a known edge) for forgetAfterSeconds (a day) as well. The old code
  // held all 5,762 hosts.
  const minutes = 4 * 1_440;
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < minutes; i++) {
    const edges = [
      { src: 'client', dst: 'server', values: { requests: 1 } },
      { src: `h-${i}`, dst: 'server', values: { requests: 1 } },
    ];
    snapshots.push({ t: 60 * (i + 1), dt: 60, gap: false, edges });
  }
  const parameters = { learnFromTraining: true, policy: new EdgePolicy([]), score: 'edges' as const, allowAfterIntervals: 3, forgetAfterSeconds: 86_400, fanOutEdges: 10, falseAlarmRate: 0.01 };
  const core = new NewEdge(new ActiveEdges({ metrics: ['requests'] }), parameters);
  const residuals = new LoadResiduals(z.object(loadResidualFields()).parse({ metrics: ['requests'] }));
  let newInLastFrame = Number.NaN;
  eachFrame(snapshots, (frame, i) => {
    if (i < 60) core.train(frame);
    else newInLastFrame = core.judge(frame).score;
    const n = residuals.read(frame);
    for (let e = 0; e < n; e++) residuals.learn(e);
  });
  // Positions: client>server and at most a day of hosts plus the index's sweep slack (1/64 day)
  // and this minute's; their nodes, with server; and the hosts named since the last node sweep
  // (a quarter of a day apart).
  const positions = 1 + 1_440 + Math.ceil(1_440 / 64) + 1;
  const bound = positions + 1 + 1_440 / 4;
  assert.ok(core.nodesHeld <= bound, `new-edge holds ${core.nodesHeld} nodes; at most ${bound} expected`);
  assert.ok(residuals.nodesHeld <= bound, `the load fits hold ${residuals.nodesHeld} nodes; at most ${bound} expected`);
  // Still judged as before: the last minute's host is a new edge and a new node (1 + 1).
  assert.equal(newInLastFrame, 2);
});

test('regression (issue 19): cusum restarts the sum of a recycled position from 0 (a new edge carries no old evidence)', () => {
  // k = 0.5, c = 100, h = 20 (fixed). Edge 0: z 3, 3, then its position goes to a new edge
  // (not scored yet: NaN), then z 1. By hand: S = 2.5, 5.0, then 0 (new edge), 0 + 1 − 0.5 = 0.5.
  // Edge 1 stays at 0. Kept from the old edge, S would read 2.5, 5.0, 5.0, 5.5.
  class Recycling extends HandResiduals {
    recycled: Int32Array | undefined = undefined;
    private count = 0;
    override read(frame: Frame): number {
      this.recycled = this.count++ === 2 ? Int32Array.of(0) : undefined;
      return super.read(frame);
    }
  }
  const N = Number.NaN;
  const residuals = new Recycling(
    [
      ['a', 'b'],
      ['k', 'l'],
    ],
    [
      [3, 0],
      [3, 0],
      [N, 0],
      [1, 0],
    ],
  );
  const core = new CusumCore(residuals, { referenceValue: 0.5, winsorizeAt: 100 }, alarmLimit({ k: 20 }, 0.01));
  const scores = [0, 1, 2, 3].map(() => core.judge(residuals.frame()).score);
  assert.deepEqual(scores, [2.5, 5, 0, 0.5]);
});

test('regression (issue 19): a series chart (ewma) does not judge a new edge at a recycled position against the old edge’s baseline', () => {
  // The index told to forget after an hour (a detector's chart remembers a day): a>b (~10 bytes
  // an hour) falls silent, k>l goes on, and 3 hours later p>q carries 1e6 bytes at a>b's old
  // position. A new series warms up before it is scored (5 active values, README "Detectors"),
  // so that interval's score is k>l's alone: the same as without p>q. Judged against a>b's
  // baseline, p>q scored ~1e6 σ and alarmed.
  const run = (last: HandInterval): Verdict[] => {
    const intervals: HandInterval[] = [];
    for (let h = 0; h < 10; h++) intervals.push({ 'a>b': { request_bytes: 10 + (h % 3) }, 'k>l': { request_bytes: 10 + (h % 2) } });
    for (let h = 0; h < 3; h++) intervals.push({ 'k>l': { request_bytes: 10 + (h % 2) } });
    intervals.push(last);
    const out: Verdict[] = [];
    from(handSnapshots(intervals, { dt: HOUR }))
      .pipe(vectorize({ forgetEdgesAfterSeconds: HOUR }), ewma({}, { trainingSeconds: 5 * HOUR }))
      .subscribe((v) => out.push(v));
    return out;
  };
  const withNew = run({ 'p>q': { request_bytes: 1e6 }, 'k>l': { request_bytes: 10 } });
  const without = run({ 'k>l': { request_bytes: 10 } });
  assert.equal(withNew.length, 14);
  assert.equal(withNew[13]!.alarm, false);
  assert.deepEqual(withNew[13]!.blamed, []);
  assert.equal(withNew[13]!.score, without[13]!.score);
});
