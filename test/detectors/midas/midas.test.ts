import assert from 'node:assert/strict';
import { test } from 'node:test';
import { midas } from '../../../src/detectors/index.ts';
import { chiSquared, chiSquaredShare, CountMinSketch, hashString, sketchPositions } from '../../../src/detectors/midas/index.ts';
import type { Snapshot } from '../../../src/types.ts';
import { benignRun } from '../benignRuns.ts';
import { assertClose, handSnapshots, judgeSnapshots, seededRandom } from '../../util.ts';

/** The hand-computed tests' ticks: edge a → b carries 2, 2, 6 requests; a → c 1, 1, then 1 TCP connection. */
const threeTicks = (): Snapshot[] =>
  handSnapshots([
    { 'a>b': { requests: 2 }, 'a>c': { requests: 1 } },
    { 'a>b': { requests: 2 }, 'a>c': { requests: 1 } },
    { 'a>b': { requests: 6 }, 'a>c': { tcp_connections: 1 } },
  ]);

test('midas: the chi-squared score is (a − s/t)²·t² / (s·(t − 1)), and 0 without a past', () => {
  // a = 5, s = 10, t = 4: s/t = 2.5, (2.5·4)² / (10·3) = 100/30.
  assertClose(chiSquared(5, 10, 4), 100 / 30, 1e-12, 'X²(5, 10, 4)');
  assert.equal(chiSquared(3, 3, 1), 0);
  assert.equal(chiSquared(0, 0, 9), 0);
});

test('midas: MIDAS-R scores on a hand-computed tick sequence (the paper\'s baseline s/t; decay 0.5; edge, source and destination counts)', () => {
  // `baseline: 'ticks'` is the paper's X² (the default compares with all traffic's share: next test).
  // No training, so every interval is scored (the threshold stays NaN for the first 8 scores).
  // Edge a → b carries 2, 2, 6 requests; a → c carries 1, 1, 1. Each sketch holds so few items
  // that with 2^16 counters per row no two collide in every row: the counts are exact.
  const v = judgeSnapshots(
    threeTicks(),
    midas({ width: 1 << 16, baseline: 'ticks' }, { trainingSeconds: 0 }),
  );
  // Tick 1: no past, 0.
  assert.equal(v[0]!.score, 0);
  // Tick 2: source a: current 0.5·3 + 3 = 4.5, total 6: (4.5 − 3)²·4/(6·1) = 1.5
  // (edge a → b: (0.5·2 + 2 − 2)²·4/4 = 1; a → c: (1.5 − 1)²·4/2 = 0.5; b, c as their edges).
  assertClose(v[1]!.score, 1.5, 1e-12, 'tick 2');
  // Tick 3: source a: current 0.5·4.5 + 7 = 9.25, total 13: (9.25 − 13/3)²·9/(13·2) = 31329/3744
  // (edge a → b: (7.5 − 10/3)²·9/20 = 7.8125; a → c: (1.75 − 1)²·9/6 = 0.84375).
  assertClose(v[2]!.score, 31329 / 3744, 1e-9, 'tick 3');
  assert.ok(v.every((x) => Number.isNaN(x.threshold) && !x.alarm));
  // Decay 0 is MIDAS's per-tick count: at tick 3 edge a → b: (6 − 10/3)²·9/20 = 3.2, above
  // source a's (7 − 13/3)²·9/26 = 64/26 and a → c's 0.
  const w = judgeSnapshots(
    handSnapshots([{ 'a>b': { requests: 2 }, 'a>c': { requests: 1 } }, { 'a>b': { requests: 2 }, 'a>c': { requests: 1 } }, { 'a>b': { requests: 6 }, 'a>c': { requests: 1 } }]),
    midas({ width: 1 << 16, decay: 0, baseline: 'ticks' }, { trainingSeconds: 0 }),
  );
  assertClose(w[2]!.score, 3.2, 1e-12, 'tick 3, decay 0');
});

test('midas: the load baseline is X² = (a − s·p)² / (s·p·(1 − p)) with p = all traffic\'s current share, the paper\'s X² when p = 1/t', () => {
  // a = 5, s = 10, p = 1/4: (5 − 2.5)² / (10 · 1/4 · 3/4) = 6.25 / 1.875 = 10/3, as chiSquared(5, 10, 4) = 100/30.
  assertClose(chiSquaredShare(5, 10, 0.25), 10 / 3, 1e-12, 'X²(5, 10, p = 1/4)');
  assertClose(chiSquaredShare(5, 10, 0.25), chiSquared(5, 10, 4), 1e-12, 'p = 1/t is the paper\'s');
  // a = 1, s = 4, p = 1/2: (1 − 2)² / (4 · 1/4) = 1.
  assertClose(chiSquaredShare(1, 4, 0.5), 1, 1e-12, 'X²(1, 4, p = 1/2)');
  assert.equal(chiSquaredShare(3, 3, 1), 0);
  assert.equal(chiSquaredShare(0, 0, 0.5), 0);
});

test('midas: load-baseline scores on a hand-computed tick sequence (decay 0.5): a swing that moves all traffic alike scores 0', () => {
  // Edge a → b carries 2, 2, 6; a → c 1, 1, 1 (the paper-baseline test's sequence).
  const v = judgeSnapshots(
    threeTicks(),
    midas({ width: 1 << 16 }, { trainingSeconds: 0 }),
  );
  // Tick 1: all traffic is current (p = 1): 0.
  assert.equal(v[0]!.score, 0);
  // Tick 2: all traffic current 0.5·3 + 3 = 4.5 of 6, p = 3/4; a → b current 3 of 4 = 4·p exactly,
  // a → c 1.5 of 2, source a 4.5 of 6: every item at its share, every score 0 (the paper's: 1.5).
  assert.equal(v[1]!.score, 0);
  // Tick 3: all traffic 0.5·4.5 + 7 = 9.25 of 13, p = 37/52. a → b: 7.5 of 10, excess 7.5 − 370/52
  // = 5/13, X² = (25/169) / (10·37·15/52²) = 8/111. a → c: 1.75 of 3, excess −5/13,
  // X² = (25/169) / (3·37·15/52²) = 80/333. Source a: 9.25 of 13, at its share: 0. Destinations b
  // and c as their edges. Only an excess scores (tail 'upper', the default): a → c, under its
  // share, scores 0, and the largest is a → b's 8/111 (it carries most of the traffic, so its
  // burst is mostly the swing itself).
  assertClose(v[2]!.score, 8 / 111, 1e-12, 'tick 3');
  // The paper's two-sided statistic (tail 'both'): a → c's shortfall scores 80/333, the largest.
  const both = judgeSnapshots(
    threeTicks(),
    midas({ width: 1 << 16, tail: 'both' }, { trainingSeconds: 0 }),
  );
  assertClose(both[2]!.score, 80 / 333, 1e-12, 'tick 3, both tails');
});

test('midas: count-min estimates never fall below the exact counts and exceed them by at most e/width of the total in most rows', () => {
  const random = seededRandom(19);
  const depth = 4;
  const width = 64;
  const sketch = new CountMinSketch(depth, width);
  const exact = new Map<string, number>();
  const positions = new Int32Array(depth);
  let total = 0;
  for (let i = 0; i < 5000; i++) {
    // 300 distinct items, skewed: a few heavy, many light.
    const item = `node-${Math.floor(300 * random() ** 2)}`;
    const amount = 1 + Math.floor(10 * random());
    sketchPositions(hashString(item, 1), hashString(item, 2), depth, width, positions, 0);
    sketch.add(positions, 0, amount);
    exact.set(item, (exact.get(item) ?? 0) + amount);
    total += amount;
  }
  let beyond = 0;
  for (const [item, count] of exact) {
    sketchPositions(hashString(item, 1), hashString(item, 2), depth, width, positions, 0);
    const estimate = sketch.estimate(positions, 0);
    assert.ok(estimate >= count, `${item}: estimate ${estimate} below exact ${count}`);
    if (estimate > count + (Math.E / width) * total) beyond++;
  }
  // The guarantee: P(estimate > exact + (e/w)·total) ≤ e^(−depth) ≈ 0.018 per item; 300 items: ~5.5 expected at most.
  assert.ok(beyond <= 15, `${beyond} of ${exact.size} items beyond the count-min bound`);
  // Wide enough, the sketch is exact for these items.
  const wide = new CountMinSketch(depth, 1 << 16);
  for (const [item, count] of exact) {
    sketchPositions(hashString(item, 1), hashString(item, 2), depth, 1 << 16, positions, 0);
    wide.add(positions, 0, count);
  }
  for (const [item, count] of exact) {
    sketchPositions(hashString(item, 1), hashString(item, 2), depth, 1 << 16, positions, 0);
    assert.equal(wide.estimate(positions, 0), count);
  }
  // Decay multiplies every counter.
  wide.multiplyAll(0.5);
  const [item, count] = [...exact][0]!;
  sketchPositions(hashString(item, 1), hashString(item, 2), depth, 1 << 16, positions, 0);
  assert.equal(wide.estimate(positions, 0), count / 2);
});

test('midas: decayed counts stay exact across the sketch\'s rescaling (2,000 ticks at decay 0.5, rescaled every ~330)', () => {
  const random = seededRandom(7);
  const depth = 2;
  const width = 1 << 12;
  const sketch = new CountMinSketch(depth, width);
  const items = Array.from({ length: 20 }, (_, k) => `item-${k}`);
  const positions = new Int32Array(depth * items.length);
  items.forEach((item, k) => sketchPositions(hashString(item, 1), hashString(item, 2), depth, width, positions, k * depth));
  // Reference: each item's decayed count kept as a plain number, v ← 0.5·v + amount.
  const exact = new Float64Array(items.length);
  for (let tick = 0; tick < 2000; tick++) {
    sketch.multiplyAll(0.5);
    for (let k = 0; k < items.length; k++) exact[k]! *= 0.5;
    // Half the items go quiet for good after tick 500: their counts decay towards 0.
    for (let k = 0; k < items.length; k++) {
      if (k % 2 === 1 && tick > 500) continue;
      if (random() < 0.5) continue;
      const amount = 1 + Math.floor(100 * random());
      sketch.add(positions, k * depth, amount);
      exact[k]! += amount;
    }
    if (tick % 97 === 0 || tick === 1999) {
      for (let k = 0; k < items.length; k++) {
        const estimate = sketch.estimate(positions, k * depth);
        assert.ok(Math.abs(estimate - exact[k]!) <= 1e-12 * exact[k]! + 1e-150, `tick ${tick}, ${items[k]}: ${estimate} vs ${exact[k]}`);
      }
    }
  }
});

/** A benign steady run with `extra` edges added to interval `at` (requests and connections only, no bytes). */
function withAttack(at: number, extra: Record<string, number>): Snapshot[] {
  const run = benignRun({ shape: 'steady', edges: 60, intervals: 700, seed: 1919 });
  const s = run[at]!;
  const edges = [...s.edges, ...Object.entries(extra).map(([key, n]) => {
    const [src, dst] = key.split('>') as [string, string];
    return { src, dst, values: { tcp_connections: n } };
  })];
  run[at] = { ...s, edges };
  return run;
}

test('midas: a fast scan (one source, 15 new targets, one connection each) alarms and blames the scanner’s edges', () => {
  const scan = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`svc-3>svc-${k + 4}:${8000 + k}`, 1]));
  const v = judgeSnapshots(withAttack(600, scan), midas({}, { trainingSeconds: 60 }));
  const hit = v[600]!;
  assert.ok(hit.alarm, `score ${hit.score} ≤ threshold ${hit.threshold}`);
  assert.ok(hit.blamed.length > 0 && hit.blamed.every((b) => b.src === 'svc-3' && b.dst.includes(':')), JSON.stringify(hit.blamed));
});

test('midas: a lateral movement (one edge never used, 5 calls in one interval) alarms and blames that edge first', () => {
  const v = judgeSnapshots(withAttack(600, { 'svc-9>svc-1': 5 }), midas({}, { trainingSeconds: 60 }));
  const hit = v[600]!;
  assert.ok(hit.alarm, `score ${hit.score} ≤ threshold ${hit.threshold}`);
  assert.deepEqual([hit.blamed[0]!.src, hit.blamed[0]!.dst], ['svc-9', 'svc-1']);
});

test('midas: bad options are refused, each naming its field', () => {
  assert.throws(
    () => midas({ decay: 1, width: 4, depth: 0 }),
    (e: unknown) =>
      e instanceof Error &&
      e.message.includes('detectors.options.midas.decay') &&
      e.message.includes('detectors.options.midas.width') &&
      e.message.includes('detectors.options.midas.depth'),
  );
});

test('midas: edges sharing a slot of the counter-position cache (positions 4,096 apart) are each counted on their own counters', () => {
  // Interval 1 lists 4,096 filler edges fK → gK (positions 0 … 4,095) and then a → b, a → c
  // (positions 4,096 and 4,097: the cache slots of f0 → g0 and f1 → g1). Ticks 2 and 3 are the
  // hand-computed sequence of the paper-baseline test above; tick 4 sends f0 → g0 and f1 → g1
  // again, after a → b and a → c took their slots.
  const fillers: Record<string, Record<string, number>> = {};
  for (let k = 0; k < 4096; k++) fillers[`f${k}>g${k}`] = { requests: 1 };
  const v = judgeSnapshots(
    handSnapshots([
      { ...fillers, 'a>b': { requests: 2 }, 'a>c': { requests: 1 } },
      { 'a>b': { requests: 2 }, 'a>c': { requests: 1 } },
      { 'a>b': { requests: 6 }, 'a>c': { tcp_connections: 1 } },
      { 'f0>g0': { requests: 1 }, 'f1>g1': { requests: 1 } },
    ]),
    midas({ width: 1 << 16, baseline: 'ticks' }, { trainingSeconds: 0 }),
  );
  assert.equal(v[0]!.score, 0);
  assertClose(v[1]!.score, 1.5, 1e-12, 'tick 2');
  assertClose(v[2]!.score, 31329 / 3744, 1e-9, 'tick 3');
  // f0 → g0 (edge, source and destination alike): current 0.5³·1 + 1 = 1.125, total 2, t = 4:
  // (1.125 − 2/4)²·16/(2·3) = 25/24 (on a → b's counters it would be another value).
  assertClose(v[3]!.score, 25 / 24, 1e-12, 'tick 4');
});
