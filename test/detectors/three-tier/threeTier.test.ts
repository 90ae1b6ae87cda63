import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sockShopTierOf, threeTier } from '../../../src/detectors/index.ts';
import { assertClose, handSnapshots, judgeSnapshots, type HandInterval } from '../../util.ts';


test('three-tier: Sock Shop nodes map to presentation, application and data tiers; overrides win', () => {
  const tierOf = sockShopTierOf({ 'load-test': 'ignore', carts: 'data' });
  assert.deepEqual(
    ['front-end', 'external', 'unknown', 'user', 'orders', 'queue-master', 'user-db', 'session-db', 'rabbitmq', 'load-test', 'carts'].map(tierOf),
    ['presentation', 'presentation', 'presentation', 'application', 'application', 'application', 'data', 'data', 'data', 'ignore', 'data'],
  );
});

function row(catalogue: number, extra: Record<string, number> = {}): HandInterval {
  const out: Record<string, Record<string, number>> = {
    'front-end>user': { response_bytes: 40 },
    'front-end>catalogue': { response_bytes: catalogue },
    'user>user-db': { response_bytes: 500 },
    'orders>user': { request_bytes: 30 },
    'external>front-end': { response_bytes: 1000 },
  };
  for (const [edge, value] of Object.entries(extra)) out[edge] = { request_bytes: value };
  return out;
}

// Warm-up: front-end→catalogue 60, 64, 62, 60, 64, so presentation→application (front-end→user
// 40 + front-end→catalogue) is 100, 104, 102, 100, 104: mean 102, sample variance 4 (σ 2).
const WARMUP = [60, 64, 62, 60, 64];

test('three-tier: edges summed into tier pairs, traffic inside a tier invisible, EWMA on the sums', () => {
  const intervals = [...WARMUP.map((c) => row(c)), row(70, { 'orders>user': 1e6, 'external>front-end': 1e6 })];
  const v = judgeSnapshots(handSnapshots(intervals), threeTier({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  // presentation→application: 110 → z (110 − 102)/2 = 4. application→data (user→user-db) flat: z 0.
  // The 1e6 bursts are application→application and presentation→presentation: not in the view.
  assertClose(v[5]!.score, 4, 1e-9);
  assert.equal(v[5]!.alarm, true);
  // Blamed through the member edge whose volume rose most over its own running level (weight
  // 0.2, from 0): front-end→catalogue's level after 60, 64, 62, 60, 64 is 41.8048 (excess 28.2),
  // front-end→user's 40·(1 − 0.8⁵) = 26.89 (excess 13.1).
  assert.deepEqual(v[5]!.blamed.map((b) => [b.src, b.dst]), [['front-end', 'catalogue']]);
  assertClose(v[5]!.blamed[0]!.score, 4, 1e-9);
});

test('three-tier: a tier pair is blamed through the member edge that rose, not a heavier steady member', () => {
  // SUSPECTED SRC BUG (reported, not fixed here): TierSeries starts each member edge's running
  // level at 0, so for its first ~1/0.2·ln(volume) intervals a heavy STEADY member shows an
  // "excess" of volume·0.8^t and is blamed instead of the edge that actually rose. A steady
  // edge's excess over its own level is 0 by the documented definition ("the member edge whose
  // volume rose most over its own running level"); this test states that behaviour.
  const heavy = (catalogue: number): HandInterval => ({
    'front-end>user': { response_bytes: 4000 },
    'front-end>catalogue': { response_bytes: catalogue },
  });
  const v = judgeSnapshots(handSnapshots([...WARMUP.map(heavy), heavy(70)]), threeTier({ lambda: 0.5, k: 3 }, { trainingSeconds: 5 }));
  // The pair: 4060, 4064, 4062, 4060, 4064 (mean 4062, σ 2, floor 0.01·4062 = 40.62), then 4070: z = 8/40.62.
  // To alarm on it, compare with relativeMinStd 0.
  const w = judgeSnapshots(handSnapshots([...WARMUP.map(heavy), heavy(70)]), threeTier({ lambda: 0.5, k: 3, relativeMinStd: 0 }, { trainingSeconds: 5 }));
  assertClose(v[5]!.score, 8 / 40.62, 1e-9);
  assertClose(w[5]!.score, 4, 1e-9);
  assert.deepEqual(w[5]!.blamed.map((b) => [b.src, b.dst]), [['front-end', 'catalogue']]);
});

test('three-tier: intraTier option makes traffic inside a tier visible', () => {
  const intervals = [...WARMUP.map((c) => row(c)), row(64, { 'orders>user': 130 })];
  const v = judgeSnapshots(handSnapshots(intervals), threeTier({ intraTier: true, k: 3 }, { trainingSeconds: 5 }));
  // application→application: orders→user 30 ×5 (σ 0 → minStd 1), then 130 → z 100.
  assertClose(v[5]!.score, 100, 1e-9);
  // The only member edge of the pair is orders→user: it is named.
  assert.deepEqual(v[5]!.blamed.map((b) => [b.src, b.dst]), [['orders', 'user']]);
});

test('three-tier: a node mapped to "ignore" drops its edges', () => {
  const load = [10, 14, 12, 10, 14];
  const intervals = [...WARMUP.map((c, i) => row(c, { 'load-test>front-end': load[i]! })), row(64, { 'load-test>front-end': 5000 })];
  const seen = judgeSnapshots(handSnapshots(intervals), threeTier({ k: 3 }, { trainingSeconds: 5 }));
  // load-test is application by default: application→presentation 10, 14, 12, 10, 14 (mean 12, σ 2), then 5000.
  assertClose(seen[5]!.score, 4988 / 2, 1e-9);
  assert.deepEqual(seen[5]!.blamed.map((b) => [b.src, b.dst]), [['load-test', 'front-end']]);
  const ignored = judgeSnapshots(handSnapshots(intervals), threeTier({ tiers: { 'load-test': 'ignore' }, k: 3 }, { trainingSeconds: 5 }));
  // Left: presentation→application 104 against mean 102, σ 2 → z 1.
  assertClose(ignored[5]!.score, 1, 1e-9);
  assert.equal(ignored[5]!.alarm, false);
});
