import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlChart } from '../../../src/detectors/index.ts';
import { assertClose, handSnapshots, judgeSnapshots, seededRandom, type HandInterval } from '../../util.ts';

const bytes = (values: readonly number[]): HandInterval[] => values.map((v) => ({ 'a>b': { response_bytes: v } }));
const close = (actual: number, expected: number) => assertClose(actual, expected, 1e-9 * Math.max(1, Math.abs(expected)));

test('control-chart: limits come from the W intervals before the current one (current point excluded)', () => {
  const v = judgeSnapshots(handSnapshots(bytes([10, 12, 14, 16, 30, 14])), controlChart({ windowIntervals: 3, k: 2 }, { trainingSeconds: 3 }));
  assert.ok(v.slice(0, 3).every((x) => x.training && !x.alarm && Number.isNaN(x.score)));
  // x=16 against [10, 12, 14]: mean 12, sample σ 2 → z = 2, not above k = 2.
  close(v[3]!.score, 2);
  assert.equal(v[3]!.threshold, 2);
  assert.equal(v[3]!.alarm, false);
  // x=30 against [12, 14, 16]: mean 14, σ 2 → z = 8. (With 30 inside its own window, as in
  // Munnin, the mean would be 20 and σ 8.7: z 1.15, no alarm.)
  close(v[4]!.score, 8);
  assert.equal(v[4]!.alarm, true);
  assert.deepEqual(v[4]!.blamed.map((b) => [b.src, b.dst]), [['a', 'b']]);
  close(v[4]!.blamed[0]!.score, 8);
  // x=14 against [14, 16, 30]: mean 20, variance (36 + 16 + 100)/2 = 76; two-sided.
  close(v[5]!.score, 6 / Math.sqrt(76));
});

test('control-chart: a window not yet full uses what it has', () => {
  const v = judgeSnapshots(handSnapshots(bytes([10, 12, 14, 16, 30])), controlChart({ windowIntervals: 5, k: 2 }, { trainingSeconds: 3 }));
  close(v[3]!.score, 2);
  // 30 against [10, 12, 14, 16]: mean 13, variance (9 + 1 + 1 + 9)/3.
  close(v[4]!.score, 17 / Math.sqrt(20 / 3));
});

test('control-chart: σ floors (absolute minStd, relative to the mean)', () => {
  const flat = judgeSnapshots(handSnapshots(bytes([5, 5, 5, 7.5])), controlChart({ k: 3 }, { trainingSeconds: 3 }));
  close(flat[3]!.score, 2.5); // σ 0 → minStd 1
  const relative = judgeSnapshots(handSnapshots(bytes([100, 100, 100, 130])), controlChart({ k: 2, relativeMinStd: 0.1 }, { trainingSeconds: 3 }));
  close(relative[3]!.score, 3); // σ = 0.1 · 100
  assert.equal(relative[3]!.alarm, true);
});

test('control-chart: sides "upper" ignores a drop', () => {
  const v = judgeSnapshots(handSnapshots(bytes([10, 12, 14, 0])), controlChart({ windowIntervals: 3, sides: 'upper' }, { trainingSeconds: 3 }));
  assert.equal(v[3]!.score, 0);
});

test('control-chart: long series with a late edge and gaps match the textbook window statistic', () => {
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
    intervals.push(row);
  }
  const verdicts = judgeSnapshots(handSnapshots(intervals), controlChart({ windowIntervals: W, k: 3 }, { trainingSeconds: 20 }));
  // Reference: each edge's history over non-gap intervals (0 where silent), window = last W before now.
  const edges = ['a>b', 'c>d', 'e>f'];
  const history = new Map(edges.map((e) => [e, [] as number[]]));
  let judged = 0;
  intervals.forEach((row, i) => {
    const verdict = verdicts[i]!;
    if (row === 'gap') {
      assert.equal(verdict.gap, true);
      assert.ok(Number.isNaN(verdict.score));
      return;
    }
    let expected = 0;
    for (const e of edges) {
      const x = Object.values(row[e] ?? {}).reduce((s, v) => s + v, 0);
      const past = history.get(e)!.slice(-W);
      const n = past.length;
      const mean = n ? past.reduce((s, v) => s + v, 0) / n : 0;
      const sd = n > 1 ? Math.sqrt(past.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
      expected = Math.max(expected, Math.abs(x - mean) / Math.max(sd, 1));
      history.get(e)!.push(x);
    }
    if (verdict.training) return;
    judged++;
    assertClose(verdict.score, expected, 1e-6 * Math.max(1, expected), `interval ${i}:`);
  });
  assert.ok(judged > 250);
});
