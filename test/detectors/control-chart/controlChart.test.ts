import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart } from '../../../src/detectors/index.ts';
import { assertClose, handSnapshots, judgeSnapshots, seededRandom, type HandInterval } from '../../util.ts';

const bytes = (values: readonly number[]): HandInterval[] => values.map((v) => ({ 'a>b': { response_bytes: v } }));
const close = (actual: number, expected: number) => assertClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)));

// The first 5 active values fill the window (WARMUP_OBSERVATIONS, not scored): 10, 14, 12, 10, 14
// have mean 12 and sample variance (4 + 4 + 0 + 4 + 4)/4 = 4 (σ 2).
const TRAINING = [10, 14, 12, 10, 14];
const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0) / (xs.length - 1));

test('control-chart: limits come from the W active values before the current one (current point excluded); an alarmed value stays out', () => {
  const v = judgeSnapshots(handSnapshots(bytes([...TRAINING, 16, 30, 14])), controlChart({ windowIntervals: 5, k: 2 }, { trainingSeconds: 5 }));
  assert.ok(v.slice(0, 5).every((x) => x.training && !x.alarm && Number.isNaN(x.score)));
  // x=16 against [10, 14, 12, 10, 14]: mean 12, σ 2 → z = 2, not above k = 2.
  close(v[5]!.score, 2);
  assert.equal(v[5]!.threshold, 2);
  assert.equal(v[5]!.alarm, false);
  // x=30 against [14, 12, 10, 14, 16]: mean 13.2, variance (0.64 + 1.44 + 10.24 + 0.64 + 7.84)/4 = 5.2
  // → z ≈ 7.37. (With 30 inside its own window, as in Munnin, the mean would be 16.4 and σ ≈ 7.7: z 1.8.)
  close(v[6]!.score, 16.8 / Math.sqrt(5.2));
  assert.equal(v[6]!.alarm, true);
  assert.deepEqual(v[6]!.blamed.map((b) => [b.src, b.dst]), [['a', 'b']]);
  close(v[6]!.blamed[0]!.score, 16.8 / Math.sqrt(5.2));
  // 30 alarmed, so it did not enter the window: x=14 against the same [14, 12, 10, 14, 16], two-sided.
  close(v[7]!.score, 0.8 / Math.sqrt(5.2));
});

test('control-chart: a window not yet full uses what it has', () => {
  const v = judgeSnapshots(handSnapshots(bytes([...TRAINING, 16, 30])), controlChart({ windowIntervals: 8, k: 2 }, { trainingSeconds: 5 }));
  close(v[5]!.score, 2);
  // 30 against the six values [10, 14, 12, 10, 14, 16]: mean 76/6.
  const six = [...TRAINING, 16];
  close(v[6]!.score, (30 - 76 / 6) / sd(six));
});

test('control-chart: no score before the window holds 5 active values; silences do not enter it', () => {
  // Active 10, 14 then silent twice, then 12, 10, 14 (training): the window is those five.
  const v = judgeSnapshots(handSnapshots(bytes([10, 14, 0, 0, 12, 10, 14, 0, 20])), controlChart({ windowIntervals: 5, k: 3, sides: 'upper' }, { trainingSeconds: 4 }));
  // t=5: 4 active values so far: not scored (score 0, nothing seen), no alarm.
  assert.equal(v[4]!.training, false);
  assert.equal(v[4]!.score, 0);
  assert.equal(v[4]!.alarm, false);
  // A silence on an upper-sided chart is not scored.
  assert.equal(v[7]!.score, 0);
  // 20 against [10, 14, 12, 10, 14]: z = 4.
  close(v[8]!.score, 4);
  assert.equal(v[8]!.alarm, true);
});

test('control-chart: σ floors (absolute minStd, relative to the mean, default 1 % of it)', () => {
  const flat = judgeSnapshots(handSnapshots(bytes([5, 5, 5, 5, 5, 7.5])), controlChart({ k: 3 }, { trainingSeconds: 5 }));
  close(flat[5]!.score, 2.5); // σ 0 → max(minStd 1, 0.01·5)
  const relative = judgeSnapshots(handSnapshots(bytes([100, 100, 100, 100, 100, 130])), controlChart({ k: 2, relativeMinStd: 0.1 }, { trainingSeconds: 5 }));
  close(relative[5]!.score, 3); // σ = 0.1 · 100
  assert.equal(relative[5]!.alarm, true);
  // A 1e9-byte edge varying by ±20: σ ≈ 16 is floored at 0.01·1e9 = 1e7, so +2e7 is z = 2.
  const big = judgeSnapshots(handSnapshots(bytes([1e9 - 20, 1e9 + 20, 1e9, 1e9 - 20, 1e9 + 20, 1e9 + 2e7])), controlChart({ k: 3 }, { trainingSeconds: 5 }));
  close(big[5]!.score, 2);
  assert.equal(big[5]!.alarm, false);
});

test('control-chart: a 1e9-byte edge keeps its ±20-byte variance (shifted sums, no cancellation)', () => {
  // relativeMinStd 0 so the window's own σ is used: 1e9 + [−20, 20, 0, −20, 20] has σ = 20.
  const v = judgeSnapshots(handSnapshots(bytes([1e9 - 20, 1e9 + 20, 1e9, 1e9 - 20, 1e9 + 20, 1e9 + 40, 1e9 + 100])), controlChart({ k: 3, relativeMinStd: 0 }, { trainingSeconds: 5 }));
  close(v[5]!.score, 2);
  assert.equal(v[5]!.alarm, false);
  // Then against the six values so far (W = 30), as offsets from 1e9: [−20, 20, 0, −20, 20, 40].
  const window = [-20, 20, 0, -20, 20, 40];
  close(v[6]!.score, (100 - mean(window)) / sd(window));
});

test('control-chart: sides "upper" ignores a drop (its z is negative); "both" scores it, and a silence once the last W intervals were active', () => {
  const drop = bytes([...TRAINING, 6]);
  const upper = judgeSnapshots(handSnapshots(drop), controlChart({ windowIntervals: 5, sides: 'upper', k: 2 }, { trainingSeconds: 5 }));
  close(upper[5]!.score, -3);
  assert.equal(upper[5]!.alarm, false);
  const both = judgeSnapshots(handSnapshots(drop), controlChart({ windowIntervals: 5, k: 2 }, { trainingSeconds: 5 }));
  close(both[5]!.score, 3);
  assert.equal(both[5]!.alarm, true);
  // A silence after 5 active intervals (W = 5): two-sided, |0 − 12|/2 = 6; upper-sided: not scored.
  const silence = bytes([...TRAINING, 0]);
  close(judgeSnapshots(handSnapshots(silence), controlChart({ windowIntervals: 5, k: 2 }, { trainingSeconds: 5 }))[5]!.score, 6);
  assert.equal(judgeSnapshots(handSnapshots(silence), controlChart({ windowIntervals: 5, sides: 'upper', k: 2 }, { trainingSeconds: 5 }))[5]!.score, 0);
  // With W = 8 the series has been active only 5 intervals: a silence is not judged.
  assert.equal(judgeSnapshots(handSnapshots(silence), controlChart({ windowIntervals: 8, k: 2 }, { trainingSeconds: 5 }))[5]!.score, 0);
});

test('control-chart: long series with a late edge, silences and gaps match the textbook window statistic', () => {
  const random = seededRandom(7);
  const W = 7;
  const intervals: HandInterval[] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 37 === 20) {
      intervals.push('gap');
      continue;
    }
    const row: Record<string, Record<string, number>> = { 'a>b': { request_bytes: 1e6 + 5e4 * random() } };
    if (i >= 90) row['c>d'] = { tcp_sent_bytes: Math.floor(1000 * random()) };
    if (random() < 0.8) row['e>f'] = { response_bytes: 300 * random() };
    if (i === 200) row['a>b'] = { request_bytes: 3e6 }; // alarms: stays out of the window
    intervals.push(row);
  }
  const k = 3;
  const verdicts = judgeSnapshots(handSnapshots(intervals), controlChart({ windowIntervals: W, k }, { trainingSeconds: 20 }));
  // Reference: each edge's active values (x > 0) over non-gap intervals, window = the last W of
  // them before now; scored with ≥ 5 of them; a silence scored only after W active intervals in a
  // row; a value over the limit kept out of the window unless it is the 5th in a row.
  const edges = ['a>b', 'c>d', 'e>f'];
  const history = new Map(edges.map((e) => [e, [] as number[]]));
  const streak = new Map(edges.map((e) => [e, 0]));
  const crossedInARow = new Map(edges.map((e) => [e, 0]));
  let judged = 0;
  let alarms = 0;
  let afterGap = false;
  intervals.forEach((row, i) => {
    const verdict = verdicts[i]!;
    if (row === 'gap') {
      assert.equal(verdict.gap, true);
      assert.ok(Number.isNaN(verdict.score));
      afterGap = true;
      return;
    }
    // The interval right after a gap may hold the gap's traffic: neither judged nor learnt.
    if (afterGap) {
      afterGap = false;
      assert.ok(Number.isNaN(verdict.score), `interval ${i}, after a gap: not judged`);
      assert.equal(verdict.alarm, false);
      return;
    }
    let expected = Number.NEGATIVE_INFINITY;
    for (const e of edges) {
      const x = Object.values(row[e] ?? {}).reduce((s, v) => s + v, 0);
      const past = history.get(e)!.slice(-W);
      let crossed = false;
      if (past.length >= 5 && (x > 0 || streak.get(e)! >= W)) {
        const m = mean(past);
        const z = Math.abs(x - m) / Math.max(sd(past), 0.01 * Math.abs(m), 1);
        expected = Math.max(expected, z);
        crossed = !verdict.training && z > k;
      }
      if (!(x > 0)) {
        streak.set(e, 0);
        continue;
      }
      streak.set(e, Math.min(W, streak.get(e)! + 1));
      crossedInARow.set(e, crossed ? crossedInARow.get(e)! + 1 : 0);
      if (!crossed || crossedInARow.get(e)! >= 5) history.get(e)!.push(x);
    }
    if (verdict.training) return;
    judged++;
    if (verdict.alarm) alarms++;
    const want = expected === Number.NEGATIVE_INFINITY ? 0 : expected;
    assertClose(verdict.score, want, 1e-6 * Math.max(1, want), `interval ${i}:`);
  });
  assert.ok(judged > 250);
  assert.ok(verdicts[200]!.alarm);
  assert.ok(alarms >= 1);
});
