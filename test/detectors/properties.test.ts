import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OperatorFunction } from 'rxjs';
import { controlChart, cusum, eigenspace, ewma, graphLasso, midas, newEdge, pairRatio, path, pcaSubspace, threeTier } from '../../src/detectors/index.ts';
import type { Frame, Snapshot, Verdict } from '../../src/types.ts';
import { judgeSnapshots, seededRandom } from '../util.ts';

// Properties every detector must have, checked on one noisy synthetic stream.

const TRAINING_SECONDS = 40;

const detectors: {
  readonly name: string;
  make(): OperatorFunction<Frame, Verdict>;
  /** Reading a gap as zeros would change this detector's verdicts. */
  readonly volume: boolean;
  /** Its core judges the interval right after a gap as a mean, learning nothing (DetectorCore.judgeOnly). */
  readonly judgesAfterGap?: boolean;
}[] = [
  { name: 'control-chart', make: () => controlChart({ windowIntervals: 10 }, { trainingSeconds: TRAINING_SECONDS }), volume: true },
  // The robust EWMA reads a silent interval as no observation (it is neither scored upper-sided
  // nor learnt as a level), so for `ewma` and `three-tier` zeros in place of a gap change no
  // score either: the sensitivity check does not apply to them.
  { name: 'ewma', make: () => ewma({}, { trainingSeconds: TRAINING_SECONDS }), volume: false },
  // An all-silent interval has no ratio (its reference carried nothing), so reading a gap as
  // zeros would not change pair-ratio either: the sensitivity check does not apply to it.
  { name: 'pair-ratio', make: () => pairRatio({}, { trainingSeconds: TRAINING_SECONDS }), volume: false },
  { name: 'three-tier', make: () => threeTier({}, { trainingSeconds: TRAINING_SECONDS }), volume: false },
  { name: 'new-edge', make: () => newEdge({}, { trainingSeconds: TRAINING_SECONDS }), volume: false },
  // An all-silent matrix has no principal eigenvector, so eigenspace cannot score it either.
  { name: 'eigenspace', make: () => eigenspace({}, { trainingSeconds: TRAINING_SECONDS }), volume: false },
  { name: 'pca-subspace', make: () => pcaSubspace({}, { trainingSeconds: TRAINING_SECONDS }), volume: true },
  // Load residuals read an idle interval (no bytes, no demand) as no observation, so an
  // all-silent interval changes nothing later either: the sensitivity check does not apply.
  { name: 'cusum', make: () => cusum({}, { trainingSeconds: TRAINING_SECONDS }), volume: false, judgesAfterGap: true },
  { name: 'path', make: () => path({}, { trainingSeconds: TRAINING_SECONDS }), volume: false, judgesAfterGap: true },
  // A gap read as zeros would be a tick with no traffic: decayed counts and one more past tick.
  { name: 'midas', make: () => midas({}, { trainingSeconds: TRAINING_SECONDS }), volume: true },
  // Features of load residuals and volumes, the model fixed at training end: an all-silent
  // interval is no observation for the load fits and changes no later score.
  { name: 'graph-lasso', make: () => graphLasso({}, { trainingSeconds: TRAINING_SECONDS }), volume: false, judgesAfterGap: true },
];

const EDGES = ['external>front-end', 'front-end>user', 'front-end>catalogue', 'user>user-db', 'catalogue>catalogue-db', 'orders>user'];

/** Intervals t = 2, 4, ...; from `changeAt` on, traffic differs (spikes and a new edge) when `changed`. */
function stream(options: { seed: number; length: number; gapsAt?: readonly number[]; changed?: { at: number } }): Snapshot[] {
  const random = seededRandom(options.seed);
  const out: Snapshot[] = [];
  for (let i = 0; i < options.length; i++) {
    const t = 1000 + 2 * (i + 1);
    const edges = EDGES.filter(() => random() < 0.9).map((key, j) => {
      const [src, dst] = key.split('>') as [string, string];
      const base = 1000 * (j + 1);
      return { src, dst, values: { request_bytes: base * (0.5 + random()), response_bytes: 10 * base * (0.5 + random()), requests: 1 + Math.floor(10 * random()) } };
    });
    if (i === 5) edges.push({ src: 'orders', dst: 'payment', values: { request_bytes: 3e5, response_bytes: 9e5, requests: 1 } }); // a spike inside training
    if (options.changed && i >= options.changed.at) {
      if (i % 3 === 0) edges.push({ src: 'user', dst: 'external', values: { request_bytes: 5e5 * (1 + random()), response_bytes: 10, requests: 1 } });
      for (const e of edges) (e.values as Record<string, number>).response_bytes! *= 1 + 4 * random();
    }
    out.push(options.gapsAt?.includes(i) ? { t, dt: 2, gap: true, edges: [] } : { t, dt: 2, gap: false, edges });
  }
  return out;
}

for (const d of detectors) {
  test(`${d.name}: no alarms and no scores while training, then finite scores`, () => {
    const verdicts = judgeSnapshots(stream({ seed: 1, length: 60, gapsAt: [3] }), d.make());
    assert.equal(verdicts.length, 60);
    const training = verdicts.filter((v) => v.training);
    assert.equal(training.length, 20); // t − start ≤ 40 s at 2 s intervals
    for (const v of training) {
      assert.equal(v.alarm, false);
      assert.ok(Number.isNaN(v.score));
      assert.deepEqual(v.blamed, []);
    }
    for (const v of verdicts.filter((x) => !x.training && !x.gap)) {
      assert.ok(Number.isFinite(v.score), `score ${v.score} at t=${v.t}`);
      assert.equal(v.alarm, v.score > v.threshold);
      assert.ok(v.blamed.length <= 5);
      assert.equal(v.blamed.length > 0, v.alarm);
      for (let i = 1; i < v.blamed.length; i++) assert.ok(v.blamed[i - 1]!.score >= v.blamed[i]!.score);
    }
  });

  test(`${d.name}: gaps are skipped, not read as zero traffic, and the interval after a gap is not learnt${d.judgesAfterGap === true ? ' (judged as a mean)' : ' nor judged'}`, () => {
    const gapsAt = [4, 27, 28, 41];
    // The interval right after a gap may hold the gap's traffic too (detectorOperator): 5, 29, 42.
    const afterGaps = [5, 29, 42];
    const withGaps = judgeSnapshots(stream({ seed: 2, length: 60, gapsAt }), d.make());
    const withoutGaps = judgeSnapshots(
      stream({ seed: 2, length: 60, gapsAt }).filter((_, i) => !gapsAt.includes(i) && !afterGaps.includes(i)),
      d.make(),
    );
    const kept = withGaps.filter((_, i) => !gapsAt.includes(i) && !afterGaps.includes(i));
    assert.deepEqual(kept, withoutGaps, 'the other intervals are judged as if the gaps and the intervals after them were not there');
    for (const v of withGaps.filter((x) => x.gap)) {
      assert.equal(v.alarm, false);
      assert.ok(Number.isNaN(v.score));
    }
    for (const i of afterGaps) {
      const v = withGaps[i]!;
      assert.equal(v.gap, false);
      if (d.judgesAfterGap === true && !v.training) {
        // Judged, learning nothing (the other intervals' verdicts above are those of a stream without it).
        // (A threshold may still be NaN, "not calibrated yet", as on any judged interval: then no alarm.)
        assert.ok(Number.isFinite(v.score), `interval ${i}: judged (score ${v.score})`);
        assert.equal(v.alarm, v.score > v.threshold);
        assert.equal(v.blamed.length > 0, v.alarm);
        continue;
      }
      assert.equal(v.alarm, false);
      assert.ok(Number.isNaN(v.score), `interval ${i}: not judged`);
      assert.deepEqual(v.blamed, []);
      // Judged after training, it shows the threshold of the last interval judged (none in training).
      const previous = withGaps.slice(0, i).filter((x, j) => !x.training && !gapsAt.includes(j) && !afterGaps.includes(j)).at(-1);
      if (v.training || previous === undefined) assert.ok(Number.isNaN(v.threshold));
      else assert.equal(v.threshold, previous.threshold);
    }
    if (d.volume) {
      // Sensitivity: had the gaps been read as silent intervals, later verdicts would differ.
      const asZeros = stream({ seed: 2, length: 60, gapsAt }).map((s) => ({ ...s, gap: false }));
      const zeroed = judgeSnapshots(asZeros, d.make()).filter((_, i) => !gapsAt.includes(i));
      assert.notDeepEqual(zeroed.map((v) => v.score), kept.map((v) => v.score));
    }
  });

  if (d.judgesAfterGap === true) {
    test(`${d.name}: the interval after a gap, holding two intervals' traffic, is judged as the mean interval alone would be`, () => {
      const g = 33;
      const plain = stream({ seed: 4, length: 45 });
      // Slice g read as a gap, slice g + 1 holding twice its traffic: its mean is slice g + 1 (×2 then ×½ is exact).
      const withGap = plain.map((s, i): Snapshot => (i === g ? { t: s.t, dt: s.dt, gap: true, edges: [] } : i === g + 1 ? { ...s, edges: s.edges.map((e) => ({ ...e, values: Object.fromEntries(Object.entries(e.values).map(([m, v]) => [m, 2 * v])) })) } : s));
      const a = judgeSnapshots(withGap, d.make());
      const b = judgeSnapshots(plain.filter((_, i) => i !== g), d.make());
      const judged = a[g + 1]!;
      const alone = b[g]!;
      assert.equal(judged.t, alone.t);
      assert.equal(judged.training, false);
      assert.deepEqual([judged.score, judged.threshold, judged.alarm, judged.blamed], [alone.score, alone.threshold, alone.alarm, alone.blamed]);
    });
  }

  test(`${d.name}: never reads ahead (a changed future leaves earlier verdicts alone)`, () => {
    const at = 35;
    const original = judgeSnapshots(stream({ seed: 3, length: 60, gapsAt: [10, 30] }), d.make());
    const changed = judgeSnapshots(stream({ seed: 3, length: 60, gapsAt: [10, 30], changed: { at } }), d.make());
    assert.deepEqual(changed.slice(0, at), original.slice(0, at));
    assert.notDeepEqual(changed.slice(at), original.slice(at), 'the change itself is seen');
  });
}
