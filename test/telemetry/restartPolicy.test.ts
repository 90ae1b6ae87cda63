import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { DEFAULT_RESTART_LIMITS, RestartPolicy, restartLimits, startManagedPrometheus } from '../../src/telemetry/index.ts';

// The policy is pure (the caller passes the time), so these are exact, without timers.
describe('RestartPolicy', () => {
  it('waits 1 s, then twice as long for each restart already in the window, and refuses the sixth within 5 minutes', () => {
    const policy = new RestartPolicy();
    const t0 = 1_000_000;
    // Deaths 10 s apart: all inside one 300 s window.
    const waits = [0, 1, 2, 3, 4, 5].map((i) => policy.next(t0 + i * 10_000));
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, undefined]);
    assert.equal(policy.restarts, 5);
    // Still refused while the first restart is inside the window (t − 300 s, t].
    assert.equal(policy.next(t0 + 299_999), undefined);
    // The first restart has left the window: one more is allowed, after 2^4 s (four still inside).
    assert.equal(policy.next(t0 + 300_000), 16000);
    assert.equal(policy.restarts, 6);
    assert.equal(policy.describe(), 'at most 5 restart(s) in 300 s');
  });

  it('starts again from the short wait once the window holds no restart', () => {
    const policy = new RestartPolicy({ maxRestarts: 3, restartWindowMillis: 60_000, restartBackoffMillis: 500 });
    assert.equal(policy.next(0), 500);
    assert.equal(policy.next(1000), 1000);
    assert.equal(policy.next(60_500), 1000, 'the restart at 0 has left the window, the one at 1000 has not');
    assert.equal(policy.next(200_000), 500);
  });

  it('caps the wait at 30 s, or at the first wait when that is longer', () => {
    const policy = new RestartPolicy({ maxRestarts: 10, restartWindowMillis: 3_600_000, restartBackoffMillis: 5000 });
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => policy.next(i)), [5000, 10000, 20000, 30000, 30000]);
    const slow = new RestartPolicy({ maxRestarts: 3, restartWindowMillis: 3_600_000, restartBackoffMillis: 45_000 });
    assert.deepEqual([0, 1].map((i) => slow.next(i)), [45000, 45000]);
  });

  it('never restarts with maxRestarts 0', () => {
    const policy = new RestartPolicy({ ...DEFAULT_RESTART_LIMITS, maxRestarts: 0 });
    assert.equal(policy.next(0), undefined);
    assert.equal(policy.restarts, 0);
  });
});

describe('restartLimits', () => {
  it('fills in the defaults (5 restarts in 5 minutes, 1 s first wait)', () => {
    assert.deepEqual(restartLimits({}), { maxRestarts: 5, restartWindowMillis: 300_000, restartBackoffMillis: 1000 });
    assert.deepEqual(restartLimits({ maxRestarts: 0, restartBackoffMillis: 50 }), { maxRestarts: 0, restartWindowMillis: 300_000, restartBackoffMillis: 50 });
  });

  it('rejects bad values naming the field and the value, before anything starts', () => {
    const target = { workload: 'front-end', url: 'http://127.0.0.1:1/stats/prometheus' };
    for (const [options, message] of [
      [{ maxRestarts: -1 }, 'maxRestarts must be a whole number of at least 0, not -1'],
      [{ maxRestarts: 1.5 }, 'maxRestarts must be a whole number of at least 0, not 1.5'],
      [{ restartWindowMillis: 0 }, 'restartWindowMillis must be a whole number of at least 1, not 0'],
      [{ restartBackoffMillis: Number.NaN }, 'restartBackoffMillis must be a whole number of at least 1, not NaN'],
    ] as const) {
      assert.throws(() => restartLimits(options), (e) => e instanceof UserError && e.message === message);
      assert.throws(() => startManagedPrometheus({ targets: [target], binary: '/bin/sh', ...options }), (e) => e instanceof UserError && e.message === message);
    }
  });
});
