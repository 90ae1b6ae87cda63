import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ewma } from '../../../src/detectors/index.ts';
import { UserError } from '../../../src/errors.ts';
import { assertClose, captureLog, handSnapshots, judgeSnapshots, type HandInterval } from '../../util.ts';

const bytes = (values: readonly number[], edge = 'a>b', metric = 'request_bytes'): HandInterval[] => values.map((v) => ({ [edge]: { [metric]: v } }));

// The robust EWMA of src/detectors/stats/robustEwma.ts (Gelper, Fried & Croux 2010), written
// out: the first WARMUP (5) active values give the plain mean and sample variance and are not
// scored; then z = (x − L)/σ, σ = max(√V, relativeMinStd·|L|, minStd), and the value teaches
//   L ← L + max(λ, 1/n)·clip(r, ±2σ),   V ← (1 − b)·V + b·min(r², 4σ²)/RHO,   b = max(λσ, 1/(n − 1)).
const WARMUP = 5;
/** E[min(Z², 2²)] for a standard normal Z: (2Φ(2) − 1) − 4φ(2) + 8Φ̄(2) = 0.920537, as the source rounds it. */
const RHO = 0.9205;

// Training 10, 14, 12, 10, 14: mean 12, sample variance (4 + 4 + 0 + 4 + 4)/4 = 4 (σ 2).
const TRAINING = [10, 14, 12, 10, 14];

test('ewma: the recursion by hand (warm-up = sample mean/variance of 5 active values, then the robust level and scale; alarmed values not learnt)', () => {
  const v = judgeSnapshots(handSnapshots(bytes([...TRAINING, 13, 17, 25, 10, 30])), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  assert.equal(v.length, 10);
  for (const t of v.slice(0, 5)) {
    assert.equal(t.training, true);
    assert.equal(t.alarm, false);
    assert.ok(Number.isNaN(t.score));
  }
  // x=13: r=1, σ=2 → z=0.5. n=6: L6 = 12 + 0.5·1 = 12.5; b = max(0.1, 1/5): V6 = 0.8·4 + 0.2·1/RHO.
  assertClose(v[5]!.score, 0.5, 1e-12);
  assert.equal(v[5]!.threshold, 3);
  assert.equal(v[5]!.alarm, false);
  const v6 = 0.8 * 4 + (0.2 * 1) / RHO;
  const s6 = Math.sqrt(v6); // ≈ 1.849
  // x=17: r=4.5 → z ≈ 2.43, no alarm, but beyond 2σ: it moves the level by 0.5·2σ only, and
  // the scale by min(r², 4σ²) = 4V6 (b = 1/6).
  assertClose(v[6]!.score, 4.5 / s6, 1e-12);
  assert.equal(v[6]!.alarm, false);
  const l7 = 12.5 + 0.5 * 2 * s6;
  const v7 = (5 / 6) * v6 + ((1 / 6) * 4 * v6) / RHO;
  // x=25: z ≈ 4.6 > 3: alarm, blamed, and not learnt (state stays L7, V7).
  const z8 = (25 - l7) / Math.sqrt(v7);
  assertClose(v[7]!.score, z8, 1e-12);
  assert.equal(v[7]!.alarm, true);
  assert.deepEqual(v[7]!.blamed.map((b) => [b.src, b.dst, b.metric]), [['a', 'b', undefined]]);
  assertClose(v[7]!.blamed[0]!.score, z8, 1e-12);
  // x=10 below the level: one-sided z is negative (≈ −1.88), no alarm; |r| < 2σ so unclipped.
  const r9 = 10 - l7;
  assertClose(v[8]!.score, r9 / Math.sqrt(v7), 1e-12);
  assert.ok(v[8]!.score < 0);
  assert.equal(v[8]!.alarm, false);
  // n=8: L8 = L7 + 0.5·r9; b = 1/7.
  const l8 = l7 + 0.5 * r9;
  const v8 = (6 / 7) * v7 + ((1 / 7) * r9 * r9) / RHO;
  assertClose(v[9]!.score, (30 - l8) / Math.sqrt(v8), 1e-12);
  assert.equal(v[9]!.alarm, true);
});

test('ewma: an alarmed burst teaches nothing (the next burst is judged against the clean baseline)', () => {
  // After training (L 12, σ 2), 400 alarms (z 194) and is not learnt: 200 then scores (200 − 12)/2.
  const v = judgeSnapshots(handSnapshots(bytes([...TRAINING, 400, 200])), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  assertClose(v[5]!.score, 194, 1e-12);
  assertClose(v[6]!.score, 94, 1e-12);
  assert.equal(v[6]!.alarm, true);
});

test('ewma: a change that lasts RELEARN_AFTER_INTERVALS (5) alarmed intervals becomes the new normal', () => {
  const v = judgeSnapshots(handSnapshots(bytes([...TRAINING, 100, 100, 100, 100, 100, 100])), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  // The first four alarms are not learnt: each scores (100 − 12)/2 = 44; the fifth is learnt,
  // robustly: L = 12 + 0.5·2·2 = 14, V = 0.8·4 + 0.2·min(88², 4·4)/RHO.
  for (const i of [5, 6, 7, 8, 9]) assertClose(v[i]!.score, 44, 1e-12, `interval ${i}`);
  assertClose(v[10]!.score, 86 / Math.sqrt(0.8 * 4 + (0.2 * 16) / RHO), 1e-12);
});

test('ewma: two-sided option scores a drop; one-sided scores it negative', () => {
  const both = judgeSnapshots(handSnapshots(bytes([...TRAINING, 6])), ewma({ lambda: 0.5, k: 2, sides: 'both' }, { trainingSeconds: 5 }));
  // |6 − 12| / 2.
  assertClose(both[5]!.score, 3, 1e-12);
  assert.equal(both[5]!.alarm, true);
  const upper = judgeSnapshots(handSnapshots(bytes([...TRAINING, 6])), ewma({ lambda: 0.5, k: 2 }, { trainingSeconds: 5 }));
  assertClose(upper[5]!.score, -3, 1e-12);
  assert.equal(upper[5]!.alarm, false);
});

test('ewma: a silent interval is neither scored nor learnt (a health check is judged against earlier health checks)', () => {
  // A check of 5,000 ± 20 bytes every 4th interval, silent otherwise: silences are no observation.
  const checks = [5000, 5200, 4800, 5000, 5000];
  const series: number[] = [];
  for (const c of checks) series.push(c, 0, 0, 0);
  series.push(5200, 0, 9000);
  const v = judgeSnapshots(handSnapshots(bytes(series)), ewma({ lambda: 0.5, k: 3, sides: 'both' }, { trainingSeconds: 20 }));
  // Warm-up on the five checks: mean 5000, variance (0 + 40000 + 40000 + 0 + 0)/4 = 20000.
  assertClose(v[20]!.score, 200 / Math.sqrt(20000), 1e-12);
  assert.equal(v[20]!.alarm, false);
  // The silence: not scored (the series is active far less than 90 % of the time): score 0, no alarm.
  assert.equal(v[21]!.score, 0);
  assert.equal(v[21]!.alarm, false);
  // 9000 against L = 5000 + 0.5·200 = 5100, V = 0.8·20000 + 0.2·200²/RHO (the silence taught nothing).
  assertClose(v[22]!.score, (9000 - 5100) / Math.sqrt(0.8 * 20000 + (0.2 * 40000) / RHO), 1e-12);
  assert.equal(v[22]!.alarm, true);
});

test('ewma: an edge is scored only after 5 active values of its own; zeros before it appeared are not learnt', () => {
  const ab = { 'a>b': { request_bytes: 12 } };
  const intervals: HandInterval[] = [
    ...TRAINING.slice(0, 2).map((x) => ({ 'a>b': { request_bytes: x } })),
    { 'a>b': { request_bytes: 12 }, 'e>f': { request_bytes: 20 } },
    { 'a>b': { request_bytes: 10 }, 'e>f': { request_bytes: 40 } },
    { 'a>b': { request_bytes: 14 }, 'e>f': { request_bytes: 30 } },
    // Judged: c>d appears with 1000 bytes, e>f has 3 active values: neither is scored yet.
    { ...ab, 'e>f': { request_bytes: 50 }, 'c>d': { request_bytes: 1000 } },
    { ...ab, 'e>f': { request_bytes: 30 }, 'c>d': { request_bytes: 1000 } },
    // e>f's warm-up is 20, 40, 30, 50, 30: mean 34, variance (196 + 36 + 16 + 256 + 16)/4 = 130.
    { ...ab, 'e>f': { request_bytes: 100 }, 'c>d': { request_bytes: 1000 } },
  ];
  const v = judgeSnapshots(handSnapshots(intervals), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  // a>b sits at its level 12 (r 0): the only series scored.
  assert.equal(v[5]!.score, 0);
  assert.equal(v[5]!.alarm, false);
  assert.equal(v[6]!.score, 0);
  const zEf = 66 / Math.sqrt(130);
  assertClose(v[7]!.score, zEf, 1e-12);
  assert.deepEqual(v[7]!.blamed.map((b) => `${b.src}>${b.dst}`), ['e>f']);
  assertClose(v[7]!.blamed[0]!.score, zEf, 1e-12);
});

test('ewma: combine "separate" watches each metric, and blames it; "sum" adds them', () => {
  const responses = [2, 6, 4, 2, 6, 22];
  const intervals: HandInterval[] = responses.map((r) => ({ 'a>b': { request_bytes: 10, response_bytes: r } }));
  // Sum: 12, 16, 14, 12, 16 → mean 14, σ 2; 32 → z 9.
  const summed = judgeSnapshots(handSnapshots(intervals), ewma({ k: 3 }, { trainingSeconds: 5 }));
  assertClose(summed[5]!.score, 9, 1e-12);
  assert.equal(summed[5]!.blamed[0]!.metric, undefined);
  // Separate: request flat at 10 (σ floored to minStd 1, r 0); response 2, 6, 4, 2, 6 → mean 4, σ 2; 22 → z 9.
  const separate = judgeSnapshots(handSnapshots(intervals), ewma({ k: 3, combine: 'separate' }, { trainingSeconds: 5 }));
  assertClose(separate[5]!.score, 9, 1e-12);
  assert.deepEqual(
    separate[5]!.blamed.map((b) => [b.src, b.dst, b.metric]),
    [['a', 'b', 'response_bytes']],
  );
});

test('ewma: works on a run with only TCP byte metrics (their sum per edge); calibrated, no alarm before it has scores', () => {
  const sent = [6, 10, 8, 6, 10, 16];
  const intervals: HandInterval[] = sent.map((s) => ({ 'a>b': { tcp_sent_bytes: s, tcp_received_bytes: 4 } }));
  // 10, 14, 12, 10, 14 → mean 12, σ 2; 20 → z 4.
  const v = judgeSnapshots(handSnapshots(intervals), ewma({}, { trainingSeconds: 5 }));
  assertClose(v[5]!.score, 4, 1e-12);
  // Default: the limit is calibrated from interval scores, and training's were all warm-up
  // (none), fewer than MIN_CALIBRATION_SCORES: no threshold, so no alarm.
  assert.ok(Number.isNaN(v[5]!.threshold));
  assert.equal(v[5]!.alarm, false);
});

test('ewma: at most 5 blamed edges, highest score first', () => {
  const edges = [1, 2, 3, 4, 5, 6, 7];
  const row = (x: (i: number) => number): HandInterval => Object.fromEntries(edges.map((i) => [`s${i}>d`, { request_bytes: x(i) }]));
  // Every edge trains on 10, 14, 12, 10, 14 (L 12, σ 2); then s_i sends 12 + 20i: z = 10i.
  const v = judgeSnapshots(handSnapshots([...TRAINING.map((x) => row(() => x)), row((i) => 12 + 20 * i)]), ewma({ k: 3 }, { trainingSeconds: 5 }));
  assert.deepEqual(
    v[5]!.blamed.map((b) => [b.src, b.score]),
    [['s7', 70], ['s6', 60], ['s5', 50], ['s4', 40], ['s3', 30]],
  );
});

test('ewma: warns when none of the watched metrics (nor their count fallback) appear in the run', () => {
  const log = captureLog();
  try {
    judgeSnapshots(handSnapshots(bytes([1, 2, 3], 'a>b', 'grpc_messages')), ewma({}, { trainingSeconds: 1 }));
  } finally {
    log.restore();
  }
  assert.match(log.text('warn'), /ewma: none of the watched metrics .* detectors\.options\.ewma\.metrics/);
  // A run with only requests is watched on requests (issue 19; see test/regression/requestsOnlyRun.test.ts): no warning.
  const counts = captureLog();
  try {
    judgeSnapshots(handSnapshots(bytes([1, 2, 3], 'a>b', 'requests')), ewma({}, { trainingSeconds: 1 }));
  } finally {
    counts.restore();
  }
  assert.equal(counts.text('warn'), '');
});

test('ewma: bad options are user errors naming the field and value', () => {
  assert.throws(
    () => ewma({ lambda: 1.5 }),
    (e: unknown) => e instanceof UserError && /detectors\.options\.ewma\.lambda: .*\(got 1\.5\)/.test(e.message),
  );
  assert.throws(
    () => ewma({ lamda: 0.3 } as never),
    (e: unknown) => e instanceof UserError && /detectors\.options\.ewma\.lamda: unknown option/.test(e.message),
  );
  assert.throws(
    () => ewma({ metrics: [] }),
    (e: unknown) => e instanceof UserError && /detectors\.options\.ewma\.metrics: /.test(e.message),
  );
});

test('ewma: long series with gaps, silences and a late edge follows the robust recursion written out', () => {
  let seed = 11;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const intervals: HandInterval[] = [];
  for (let i = 0; i < 250; i++) {
    if (i % 29 === 13) {
      intervals.push('gap');
      continue;
    }
    const row: Record<string, Record<string, number>> = { 'a>b': { request_bytes: 2e5 + 1e4 * random(), response_bytes: 1e3 * random() } };
    if (i >= 40 && random() < 0.7) row['c>d'] = { tcp_received_bytes: 500 * random() };
    if (i === 150) row['a>b'] = { request_bytes: 9e5 }; // an alarm: its error enters clipped at 2σ
    intervals.push(row);
  }
  const lambda = 0.15;
  const scaleLambda = 0.1;
  const verdicts = judgeSnapshots(handSnapshots(intervals), ewma({ lambda, k: 3, sides: 'both' }, { trainingSeconds: 20 }));
  // Reference, written out from the formula: per edge, over non-gap intervals.
  const edges = ['a>b', 'c>d'];
  const state = new Map(edges.map((e) => [e, { n: 0, level: 0, variance: 0, activity: 0, crossedInARow: 0 }]));
  const sigma = (s: { level: number; variance: number }) => Math.max(Math.sqrt(s.variance), 0.01 * Math.abs(s.level), 1);
  let alarms = 0;
  let afterGap = false;
  intervals.forEach((row, i) => {
    const verdict = verdicts[i]!;
    if (row === 'gap') {
      assert.ok(verdict.gap && Number.isNaN(verdict.score) && !verdict.alarm);
      afterGap = true;
      return;
    }
    // The interval right after a gap may hold the gap's traffic: neither judged nor learnt.
    if (afterGap) {
      afterGap = false;
      assert.ok(!verdict.gap && Number.isNaN(verdict.score) && !verdict.alarm, `interval ${i}, after a gap: not judged`);
      return;
    }
    const xs = edges.map((e) => Object.values(row[e] ?? {}).reduce((s, v) => s + v, 0));
    let expected = Number.NEGATIVE_INFINITY;
    const crossed = edges.map((e, j) => {
      const s = state.get(e)!;
      const x = xs[j]!;
      // Scored after the warm-up; a silence only on a series active ≥ 90 % of the time.
      if (!(s.n >= WARMUP && (x > 0 || s.activity >= 0.9))) return false;
      const z = Math.abs(x - s.level) / sigma(s);
      expected = Math.max(expected, z);
      return !verdict.training && z > 3;
    });
    if (!verdict.training) {
      const want = expected === Number.NEGATIVE_INFINITY ? 0 : expected;
      assert.ok(Math.abs(verdict.score - want) <= 1e-9 * Math.max(1, want), `interval ${i}: ${verdict.score} vs ${want}`);
      assert.equal(verdict.threshold, 3);
      if (verdict.alarm) alarms++;
    }
    edges.forEach((e, j) => {
      const s = state.get(e)!;
      const x = xs[j]!;
      // A series over the limit is not learnt, unless it has been 5 intervals in a row.
      s.crossedInARow = crossed[j] ? s.crossedInARow + 1 : 0;
      if (crossed[j] && s.crossedInARow < 5) return;
      s.activity += scaleLambda * ((x > 0 ? 1 : 0) - s.activity);
      if (!(x > 0)) return;
      s.n++;
      const r = x - s.level;
      if (s.n <= WARMUP) {
        // Welford: running mean and (n − 1) variance.
        s.level += r / s.n;
        if (s.n > 1) s.variance = ((s.n - 2) * s.variance + (r * r * (s.n - 1)) / s.n) / (s.n - 1);
        return;
      }
      const sd = sigma(s);
      s.level += Math.max(lambda, 1 / s.n) * Math.max(-2 * sd, Math.min(2 * sd, r));
      const b = Math.max(scaleLambda, 1 / (s.n - 1));
      s.variance = (1 - b) * s.variance + (b * Math.min(r * r, 4 * sd * sd)) / RHO;
    });
  });
  assert.ok(verdicts[150]!.alarm, 'the 9e5 burst alarms');
  assert.ok(alarms >= 1);
});

test('ewma: an edge silent for more than a day is forgotten (warm-up again), one silent exactly a day is not', () => {
  // Hourly intervals; a → b active in hours 1-10, then again from hour `back` on (values that keep z away from 0).
  const run = (back: number) => {
    const intervals: HandInterval[] = [];
    for (let h = 1; h <= back + 7; h++) intervals.push(h <= 10 || h >= back ? { 'a>b': { request_bytes: 1000 + 37 * (h % 7) } } : {});
    return judgeSnapshots(handSnapshots(intervals, { dt: 3600 }), ewma({}, { trainingSeconds: 3600 }));
  };
  // Scored hours after the return: hour 34 is 24 h after hour 10 (kept), hour 35 is 25 h after (forgotten: five warm-up values, scored from the sixth).
  const scoredFrom = (back: number) => run(back).flatMap((v, i) => (i + 1 >= back && v.score !== 0 ? [i + 1] : []));
  assert.deepEqual(scoredFrom(34), [34, 35, 36, 37, 38, 39, 40, 41]);
  assert.deepEqual(scoredFrom(35), [40, 41, 42]);
});
