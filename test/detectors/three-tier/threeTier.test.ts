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

test('three-tier: edges summed into tier pairs, traffic inside a tier invisible, EWMA on the sums', () => {
  const intervals = [row(60), row(62), row(64), row(70, { 'orders>user': 1e6, 'external>front-end': 1e6 })];
  const v = judgeSnapshots(handSnapshots(intervals), threeTier({ lambda: 0.5, k: 3 }, { trainingSeconds: 3 }));
  // presentation→application = front-end→user + front-end→catalogue: 100, 102, 104 (mean 102, σ 2), then 110 → z 4.
  // The 1e6 bursts are application→application and presentation→presentation: not in the view.
  assertClose(v[3]!.score, 4, 1e-9);
  assert.deepEqual(v[3]!.blamed.map((b) => [b.src, b.dst]), [['presentation', 'application']]);
  assertClose(v[3]!.blamed[0]!.score, 4, 1e-9);
});

test('three-tier: intraTier option makes traffic inside a tier visible', () => {
  const intervals = [row(60), row(62), row(64), row(64, { 'orders>user': 130 })];
  const v = judgeSnapshots(handSnapshots(intervals), threeTier({ intraTier: true, k: 3 }, { trainingSeconds: 3 }));
  // application→application: orders→user 30, 30, 30 (σ 0 → minStd 1), then 130 → z 100.
  assertClose(v[3]!.score, 100, 1e-9);
  assert.deepEqual(v[3]!.blamed.map((b) => [b.src, b.dst]), [['application', 'application']]);
});

test('three-tier: a node mapped to "ignore" drops its edges', () => {
  const intervals = [row(60), row(62), row(64), row(64, { 'load-test>front-end': 5000 })];
  const seen = judgeSnapshots(handSnapshots(intervals), threeTier({}, { trainingSeconds: 3 }));
  // load-test is application by default: application→presentation 0, 0, 0 then 5000 (σ floored to 1).
  assertClose(seen[3]!.score, 5000, 1e-9);
  assert.deepEqual(seen[3]!.blamed.map((b) => [b.src, b.dst]), [['application', 'presentation']]);
  const ignored = judgeSnapshots(handSnapshots(intervals), threeTier({ tiers: { 'load-test': 'ignore' } }, { trainingSeconds: 3 }));
  // Left: presentation→application 104 against mean 102, σ 2 → z 1.
  assertClose(ignored[3]!.score, 1, 1e-9);
});
