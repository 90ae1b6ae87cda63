// Bug (tester tc, defect 2): one burst of 1e4 requests in one interval on one new edge
// (scanner → user-db) made midas alarm on every edge for 22 intervals, and with 9e15 requests to
// the end of the run, blaming edges that did not burst, all with one score; its threshold rose
// from 2.6 to 2.2e13. The load share p = A/S held the burst (A for a few ticks, S for good), so
// every other edge's expected count s·p was wrong, and the totals learnt the burst for good.
// Fixed: in an interval that alarms, a burst (an edge over the threshold with its own count
// above its expectation) is counted in the load share, and learnt, as at most an ordinary
// edge's count of that interval (the mean of the other edges'), so it is alarmed on and blamed
// but taught nothing (a detector never learns from what it alarmed on).
//
// Expectations: the burst interval's score is a new edge's X² = B·(1 − p)/p (a = s = B), with
// p = A/S all traffic's current and total count, the scanner counted at the mean of the other
// nine edges' counts in that interval, computed here from the run's own counts (decay 0.5,
// plain sums, no sketch). After it, a burst of 1e4 and one of 9e15 leave the same state (both
// learnt as that mean), so they score alike to the end; neither raises an alarm that the same
// run without a burst does not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { midas } from '../../src/detectors/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { assertClose, gaussian, judgeSnapshots } from '../util.ts';

const EDGES = [
  ['external', 'front-end'],
  ['front-end', 'user'],
  ['user', 'user-db'],
  ['front-end', 'catalogue'],
  ['catalogue', 'catalogue-db'],
  ['front-end', 'orders'],
  ['orders', 'orders-db'],
  ['front-end', 'carts'],
  ['carts', 'carts-db'],
] as const;
const INTERVALS = 200;
const BURST_AT = 150;

/** A Sock-Shop-like run: 9 edges of ~20 ± 3 requests per 2-s interval; `burst` requests on scanner → user-db in interval BURST_AT. */
function run(burst: number): Snapshot[] {
  // Seed 10: no benign interval alarms before the burst under the load baseline (checked below),
  // so every total is the sum of the counts, as loadShare adds them up. An ordinary edge over the
  // threshold is learnt at its expected count (the rule under test); since midas scores excesses
  // only (7 Dec) such an alarm is an edge's own upward excursion, a burst, learnt so: with seed 1,
  // two of the 120 benign intervals did, and moved the share by 4e-4.
  const normal = gaussian(10);
  return Array.from({ length: INTERVALS }, (_, i) => {
    const edges: Snapshot['edges'][number][] = EDGES.map(([src, dst]) => ({ src, dst, values: { requests: Math.max(0, Math.round(20 + 3 * normal())) } }));
    if (burst > 0 && i === BURST_AT) edges.push({ src: 'scanner', dst: 'user-db', values: { requests: burst } });
    return { t: 1_700_000_000 + 2 * (i + 1), dt: 2, gap: false, edges };
  });
}

/** All traffic's current (decay 0.5) and total count after interval `upTo`, the scanner counted at the mean of the other edges' counts. */
function loadShare(snapshots: readonly Snapshot[], upTo: number): number {
  let current = 0;
  let total = 0;
  for (let i = 0; i <= upTo; i++) {
    current *= 0.5;
    const others = snapshots[i]!.edges.filter((e) => e.src !== 'scanner').map((e) => e.values.requests!);
    const sum = others.reduce((a, b) => a + b, 0);
    const scanner = snapshots[i]!.edges.length > others.length ? sum / others.length : 0;
    current += sum + scanner;
    total += sum + scanner;
  }
  return current / total;
}

/** Wide sketches: 10 items never collide, so the counts are exact. Training 60 s: 30 intervals. */
const detector = (baseline: 'load' | 'ticks') => midas({ width: 1 << 16, baseline }, { trainingSeconds: 60 });

for (const baseline of ['load', 'ticks'] as const) {
  test(`midas (baseline ${baseline}): a burst on one new edge (1e4 or 9e15 requests) alarms once, on that edge, and teaches it nothing`, () => {
    const without = judgeSnapshots(run(0), detector(baseline));
    if (baseline === 'load') assert.deepEqual(without.slice(0, BURST_AT + 1).filter((x) => x.alarm).map((x) => x.t), [], 'the precondition of loadShare: no benign alarm before the burst');
    const after: Verdict[][] = [];
    for (const burst of [10_000, 9_007_199_254_740_991]) {
      const withBurst = run(burst);
      const v = judgeSnapshots(withBurst, detector(baseline));
      const at = v.findIndex((x) => x.t === withBurst[BURST_AT]!.t);
      assert.ok(v[at]!.alarm, `${burst}: the burst interval alarms (score ${v[at]!.score}, threshold ${v[at]!.threshold})`);
      // A new edge's X²: B·(1 − p)/p against the load share; the paper's (B − B/t)²·t²/(B·(t − 1)) = B·(t − 1), t = 151.
      const p = loadShare(withBurst, BURST_AT);
      const expected = baseline === 'load' ? (burst * (1 - p)) / p : burst * BURST_AT;
      assertClose(v[at]!.score / expected, 1, 1e-9, `${burst}: burst score / a new edge's X²`);
      assert.deepEqual(
        { src: v[at]!.blamed[0]!.src, dst: v[at]!.blamed[0]!.dst },
        { src: 'scanner', dst: 'user-db' },
        `${burst}: blamed first: ${JSON.stringify(v[at]!.blamed)}`,
      );
      // Only the burst and the edge sharing its destination (user-db's score: MIDAS's node items).
      for (const b of v[at]!.blamed) assert.equal(b.dst, 'user-db', `${burst}: blamed ${b.src} → ${b.dst}`);
      for (let k = at + 1; k < v.length; k++) {
        if (v[k]!.alarm) assert.ok(without[k]!.alarm, `${burst}, interval ${k}: an alarm the run without the burst does not raise: ${JSON.stringify(v[k]!.blamed)}`);
        // The limit learnt one exceedance as a benign one, not the burst: on ~150 scores that lifts
        // the fitted tail by ~6 % (it was 2.2e13 against 2.6). Bound: 25 %.
        assert.ok(v[k]!.threshold <= 1.25 * without[k]!.threshold, `${burst}, interval ${k}: threshold ${v[k]!.threshold} against ${without[k]!.threshold} without the burst`);
      }
      after.push(v.slice(at + 1));
    }
    assert.deepEqual(after[1], after[0], 'after the burst, 9e15 requests leave what 1e4 leave');
  });
}

test('midas: a lasting step on one edge alarms on that edge first and becomes the new normal (its alarms end)', () => {
  const snapshots = run(0).map((s, i) =>
    i < BURST_AT ? s : { ...s, edges: s.edges.map((e) => (e.src === 'front-end' && e.dst === 'orders' ? { ...e, values: { requests: 10 * e.values.requests! } } : e)) },
  );
  const v = judgeSnapshots(snapshots, detector('load'));
  const at = v.findIndex((x) => x.t === snapshots[BURST_AT]!.t);
  assert.ok(v[at]!.alarm && v[at]!.blamed[0]!.src === 'front-end' && v[at]!.blamed[0]!.dst === 'orders', `the step alarms, on its edge first: ${JSON.stringify(v[at]!.blamed)}`);
  // MIDAS's totals catch up with a step slowly (s grows by the new count per tick), so the
  // limit's own new-normal rule ends it: 24 intervals here. Bound: 40 (the run has 50 after it).
  const last = v.findLastIndex((x, k) => k >= at && x.alarm);
  assert.ok(last - at < 40, `alarmed until interval ${last - at} after the step`);
});
