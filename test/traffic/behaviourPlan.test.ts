import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { behaviourPlan } from '../../src/traffic/index.ts';

// resolveParameters already rejects these for parameters.ts; behaviourPlan guards callers
// that build TrafficParameters in code.

describe('behaviourPlan', () => {
  const traffic = (t: object) => resolveParameters({ traffic: t }).traffic;

  it('scales think time and keeps the weights in browse, buy, register order', () => {
    const plan = behaviourPlan(traffic({ thinkTimeSeconds: [2, 4], thinkTimeScale: 0.25, mix: { browse: 5, buy: 3, register: 2 } }), 60);
    assert.deepEqual(plan, { peakUsers: 12, thinkMinSeconds: 0.5, thinkMaxSeconds: 1, weights: [5, 3, 2] });
  });

  it('rejects min > max think time and an all-zero mix, naming field and value', () => {
    assert.throws(() => behaviourPlan({ ...traffic({}), thinkTimeSeconds: [4, 2] }, 60), (e: unknown) => e instanceof UserError && /traffic\.thinkTimeSeconds.*\[4, 2\]/.test(e.message));
    assert.throws(() => behaviourPlan({ ...traffic({}), mix: { browse: 0, buy: 0, register: 0 } }, 60), (e: unknown) => e instanceof UserError && /traffic\.mix.*browse 0/.test(e.message));
    assert.throws(() => behaviourPlan(traffic({}), 0), /durationSeconds.*got 0/);
  });
});
