// Bug (tester E, defect 6): a lateral movement at +14.1 s of a 20-s run, 20 calls 0.5 s apart,
// was accepted without a word, and the calls made while the run shut down, after the last
// recorded interval, were counted in its event (attempts 15 where telemetry saw 10; a slow scan
// the same). The experiment now warns before recording about a scan or lateral movement whose
// schedule runs past durationSeconds, and the schedule stops such an attack when the recording
// ends: its event counts only the tries made before, with `incomplete: true` and the reason.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attacksPastTheEnd, repeatCalls, scheduleAttacks, sweepTargets } from '../../src/attacks/index.ts';
import type { RunEvent } from '../../src/types.ts';
import { T0_MILLIS, advance, virtualSeconds, virtualTimeCollectingWarnings } from '../traffic/virtualTime.ts';

const T0 = T0_MILLIS / 1000;
const SOCK_SHOP = ['front-end', 'catalogue', 'catalogue-db', 'carts', 'carts-db', 'orders', 'orders-db', 'payment', 'shipping', 'queue-master', 'rabbitmq', 'user', 'user-db', 'session-db'];

describe('an attack whose schedule runs past the end of the run', () => {
  const log = virtualTimeCollectingWarnings();

  it('is warned about before the run, with when its last try is due and how many fall after the end', () => {
    const warnings = attacksPastTheEnd(
      {
        durationSeconds: 20,
        // By hand: 14.1 + 19 × 0.5 = 23.6 ≥ 20; calls at 14.1, 14.6, …, 19.6 are the 12 before 20 s, 8 after.
        // The scan from orders tries the 13 other workloads, 6 s apart: the last at 7.5 + 12 × 6 = 79.5; 7.5, 13.5 and 19.5 are before 20 s, 10 after.
        // The lateral at 10.1 (5 calls, 0.2 s apart: last at 10.9) and the fast scan end in time.
        scan: [{ atSeconds: 7.5, workload: 'orders', secondsBetweenTargets: 6, otherPorts: [22] }, { atSeconds: 18.1, workload: 'user', secondsBetweenTargets: 0, otherPorts: [22] }],
        lateral: [{ atSeconds: 14.1, workload: 'user', to: 'orders-db', calls: 20, secondsBetweenCalls: 0.5 }, { atSeconds: 10.1, workload: 'user', to: 'orders-db', calls: 5, secondsBetweenCalls: 0.2 }],
      },
      { services: SOCK_SHOP },
    );
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /^scan\[0\] starts at 7\.5 s with 13 targets 6 s apart: the last is due at 79\.5 s, .*durationSeconds: 20.*; the 10 due from 20 s on will not be made/);
    assert.match(warnings[1]!, /^lateral\[0\] starts at 14\.1 s with 20 calls 0\.5 s apart: the last is due at 23\.6 s, .*; the 8 due from 20 s on will not be made/);
  });

  it('stops at the end of the recording, its event counting only the tries made before it, marked incomplete', async () => {
    const calls: number[] = [];
    const probes: string[] = [];
    const target = {
      services: ['user', 'orders', 'orders-db', 'front-end'],
      lateral: (_w: string, _to: string, o: { calls: number; secondsBetweenCalls: number; signal?: AbortSignal }) =>
        repeatCalls(o.calls, o.secondsBetweenCalls, async () => (calls.push(virtualSeconds()), true), o.signal),
      scan: (_w: string, targets: readonly { service: string; otherPorts: readonly number[] }[], o: { secondsBetweenTargets: number; signal?: AbortSignal }) =>
        sweepTargets(targets, o.secondsBetweenTargets, async (service) => (probes.push(`${service} at ${virtualSeconds()}`), true), o.signal),
    };
    const events: RunEvent[] = [];
    const handle = scheduleAttacks(
      {
        scan: [{ atSeconds: 7.5, workload: 'user', secondsBetweenTargets: 6, otherPorts: [], services: ['orders', 'front-end', 'orders-db'] }],
        lateral: [{ atSeconds: 14.1, workload: 'user', to: 'orders-db', calls: 20, secondsBetweenCalls: 0.5 }],
      },
      { target, startedAtSeconds: T0, endsAtSeconds: T0 + 20, onEvent: (e) => events.push(e) },
    );
    await advance(30_000, 50);
    await handle.done;
    // By hand: calls at 14.1 + 0.5k < 20 for k = 0..11 (12 calls, not 20); the scan's three targets at 7.5, 13.5 and 19.5, all before 20 s.
    assert.equal(calls.length, 12, calls.join(', '));
    assert.deepEqual(probes, ['orders at 7.5', 'front-end at 13.5', 'orders-db at 19.5']);
    const lateral = events.find((e) => e.kind === 'lateral')!;
    assert.deepEqual([lateral['attempts'], lateral['answered'], lateral['incomplete']], [12, 12, true]);
    assert.match(String(lateral['reason']), /the recording ended at \+20 s/);
    assert.ok(lateral.end <= T0 + 20 + 0.05, `ends at +${lateral.end - T0} s`);
    // The scan made its last try before the end and finished: complete, as before.
    const scan = events.find((e) => e.kind === 'scan')!;
    assert.deepEqual([scan['attempts'], scan['incomplete']], [3, undefined]);
    assert.deepEqual(log.warnings, [], 'stopping at the end is not a failure');
  });
});
