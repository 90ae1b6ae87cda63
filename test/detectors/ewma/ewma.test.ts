import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ewma } from '../../../src/detectors/index.ts';
import { UserError } from '../../../src/errors.ts';
import { assertClose, captureLog, handSnapshots, judgeSnapshots, type HandInterval } from '../../util.ts';

const bytes = (values: readonly number[], edge = 'a>b', metric = 'request_bytes'): HandInterval[] => values.map((v) => ({ [edge]: { [metric]: v } }));

test('ewma: the recursion by hand (training = sample mean/variance, then m += λr, v = (1−λ)(v + λr²))', () => {
  // Training 10, 12, 14: mean 12, sample variance 4 (σ 2).
  const v = judgeSnapshots(handSnapshots(bytes([10, 12, 14, 13, 20, 10, 30])), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 3 }));
  assert.equal(v.length, 7);
  for (const t of v.slice(0, 3)) {
    assert.equal(t.training, true);
    assert.equal(t.alarm, false);
    assert.ok(Number.isNaN(t.score));
  }
  // x=13: r=1, σ=2 → z=0.5. State: m=12.5, v=0.5·(4+0.5·1)=2.25.
  assertClose(v[3]!.score, 0.5, 1e-9);
  assert.equal(v[3]!.threshold, 3);
  assert.equal(v[3]!.alarm, false);
  // x=20: r=7.5, σ=1.5 → z=5 > 3. State: m=16.25, v=0.5·(2.25+0.5·56.25)=15.1875.
  assertClose(v[4]!.score, 5, 1e-9);
  assert.equal(v[4]!.alarm, true);
  assert.deepEqual(v[4]!.blamed.map((b) => [b.src, b.dst, b.metric]), [['a', 'b', undefined]]);
  assertClose(v[4]!.blamed[0]!.score, 5, 1e-9);
  // x=10: below the mean; one-sided → score 0. State: m=13.125, v=0.5·(15.1875+0.5·39.0625)=17.359375.
  assert.equal(v[5]!.score, 0);
  assert.equal(v[5]!.alarm, false);
  // x=30: r=16.875.
  assertClose(v[6]!.score, 16.875 / Math.sqrt(17.359375), 1e-9);
  assert.equal(v[6]!.alarm, true);
});

test('ewma: two-sided option scores a drop', () => {
  const v = judgeSnapshots(handSnapshots(bytes([10, 12, 14, 13, 20, 10])), ewma({ lambda: 0.5, k: 3, sides: 'both' }, { trainingSeconds: 3 }));
  assertClose(v[5]!.score, 6.25 / Math.sqrt(15.1875), 1e-9);
});

test('ewma: an edge seen late counts zeros before it appeared; one first seen after training starts at m = v = 0', () => {
  const intervals: HandInterval[] = [
    { 'a>b': { request_bytes: 5 } },
    { 'a>b': { request_bytes: 5 } },
    { 'a>b': { request_bytes: 5 }, 'e>f': { request_bytes: 30 } },
    { 'a>b': { request_bytes: 5 }, 'e>f': { request_bytes: 80 }, 'c>d': { request_bytes: 7 } },
  ];
  const v = judgeSnapshots(handSnapshots(intervals), ewma({ lambda: 0.5, k: 3 }, { trainingSeconds: 3 }));
  // e>f in training: 0, 0, 30 → mean 10, sample variance (100+100+400)/2 = 300.
  const zEf = 70 / Math.sqrt(300);
  // c>d: m = 0, σ = minStd = 1 → z = 7. a>b: flat at 5, r = 0.
  assertClose(v[3]!.score, 7, 1e-9);
  assert.deepEqual(
    v[3]!.blamed.map((b) => `${b.src}>${b.dst}`),
    ['c>d', 'e>f'],
  );
  assertClose(v[3]!.blamed[1]!.score, zEf, 1e-9);
});

test('ewma: combine "separate" watches each metric, and blames it; "sum" adds them', () => {
  const intervals: HandInterval[] = [
    { 'a>b': { request_bytes: 10, response_bytes: 0 } },
    { 'a>b': { request_bytes: 10, response_bytes: 2 } },
    { 'a>b': { request_bytes: 10, response_bytes: 4 } },
    { 'a>b': { request_bytes: 10, response_bytes: 20 } },
  ];
  // Sum: 10, 12, 14 → mean 12, σ 2; 30 → z 9.
  const summed = judgeSnapshots(handSnapshots(intervals), ewma({ k: 3 }, { trainingSeconds: 3 }));
  assertClose(summed[3]!.score, 9, 1e-9);
  assert.equal(summed[3]!.blamed[0]!.metric, undefined);
  // Separate: request flat at 10 (σ floored to 1, r 0); response 0, 2, 4 → mean 2, σ 2; 20 → z 9.
  const separate = judgeSnapshots(handSnapshots(intervals), ewma({ k: 3, combine: 'separate' }, { trainingSeconds: 3 }));
  assertClose(separate[3]!.score, 9, 1e-9);
  assert.deepEqual(
    separate[3]!.blamed.map((b) => [b.src, b.dst, b.metric]),
    [['a', 'b', 'response_bytes']],
  );
});

test('ewma: works on a run with only TCP byte metrics (their sum per edge)', () => {
  const intervals: HandInterval[] = [
    { 'a>b': { tcp_sent_bytes: 6, tcp_received_bytes: 4 } },
    { 'a>b': { tcp_sent_bytes: 8, tcp_received_bytes: 4 } },
    { 'a>b': { tcp_sent_bytes: 10, tcp_received_bytes: 4 } },
    { 'a>b': { tcp_sent_bytes: 16, tcp_received_bytes: 4 } },
  ];
  // 10, 12, 14 → mean 12, σ 2; 20 → z 4.
  const v = judgeSnapshots(handSnapshots(intervals), ewma({}, { trainingSeconds: 3 }));
  assertClose(v[3]!.score, 4, 1e-9);
});

test('ewma: at most 5 blamed edges, highest score first', () => {
  const quiet: HandInterval = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`s${i}>d`, { request_bytes: 0 }]));
  const burst: HandInterval = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`s${i}>d`, { request_bytes: i * 10 }]));
  const v = judgeSnapshots(handSnapshots([quiet, quiet, quiet, burst]), ewma({}, { trainingSeconds: 3 }));
  // Flat zero history: σ = minStd = 1, so z = the bytes.
  assert.deepEqual(
    v[3]!.blamed.map((b) => [b.src, b.score]),
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

test('ewma: long series with gaps and a late edge follows the textbook recursion', () => {
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
    intervals.push(row);
  }
  const lambda = 0.15;
  const verdicts = judgeSnapshots(handSnapshots(intervals), ewma({ lambda, k: 3, sides: 'both' }, { trainingSeconds: 20 }));
  // Reference, written out: per edge, the non-gap history (0 when silent).
  const edges = ['a>b', 'c>d'];
  const training = new Map(edges.map((e) => [e, [] as number[]]));
  const state = new Map<string, { m: number; v: number }>();
  intervals.forEach((row, i) => {
    if (row === 'gap') return;
    const verdict = verdicts[i]!;
    const xs = edges.map((e) => Object.values(row[e] ?? {}).reduce((s, v) => s + v, 0));
    if (verdict.training) {
      edges.forEach((e, j) => training.get(e)!.push(xs[j]!));
      return;
    }
    let expected = 0;
    edges.forEach((e, j) => {
      if (!state.has(e)) {
        const past = training.get(e)!;
        const n = past.length;
        const m = past.reduce((s, v) => s + v, 0) / n;
        state.set(e, { m, v: past.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1) });
      }
      const s = state.get(e)!;
      const r = xs[j]! - s.m;
      expected = Math.max(expected, Math.abs(r) / Math.max(Math.sqrt(s.v), 1));
      s.m += lambda * r;
      s.v = (1 - lambda) * (s.v + lambda * r * r);
    });
    assert.ok(Math.abs(verdict.score - expected) <= 1e-9 * Math.max(1, expected), `interval ${i}: ${verdict.score} vs ${expected}`);
  });
});
