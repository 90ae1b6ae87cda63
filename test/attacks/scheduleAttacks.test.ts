// The attack schedule and its pacing in virtual time: a fake target whose probes take virtual
// time, driven by the real sweepTargets / repeatCalls (what the embedded mesh runs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repeatCalls, scheduleAttacks, sweepTargets } from '../../src/attacks/index.ts';
import type { LateralSpec, ScanSpec } from '../../src/config/index.ts';
import type { RunEvent } from '../../src/types.ts';
import { T0_MILLIS, advance, virtualSeconds, virtualTimeCollectingWarnings } from '../traffic/virtualTime.ts';

const T0 = T0_MILLIS / 1000;
const SERVICES = ['front-end', 'user', 'user-db', 'orders'];
const scan = (atSeconds: number, more: Partial<ScanSpec> = {}): ScanSpec => ({ atSeconds, workload: 'user', secondsBetweenTargets: 0, otherPorts: [22], ...more });
const lateral = (atSeconds: number, more: Partial<LateralSpec> = {}): LateralSpec => ({ atSeconds, workload: 'user', to: 'orders', calls: 3, secondsBetweenCalls: 2, ...more });

/** A target whose probes take `probeMillis` of virtual time; a service port answers, another port does not; `failOn` throws. */
function fakeTarget(options: { probeMillis?: number; failOn?: string } = {}) {
  const probes: string[] = [];
  const wait = () => (options.probeMillis ? new Promise<void>((resolve) => setTimeout(resolve, options.probeMillis)) : Promise.resolve());
  const target = {
    services: SERVICES,
    scan: (workload: string, targets: readonly { service: string; otherPorts: readonly number[] }[], o: { secondsBetweenTargets: number; signal?: AbortSignal }) =>
      sweepTargets(
        targets,
        o.secondsBetweenTargets,
        async (service, port) => {
          probes.push(`${workload}→${service}:${port ?? 'svc'} at ${virtualSeconds()}`);
          await wait();
          if (`${service}:${port ?? 'svc'}` === options.failOn) throw new Error('socket table full');
          return port === undefined;
        },
        o.signal,
      ),
    lateral: (workload: string, to: string, o: { calls: number; secondsBetweenCalls: number; signal?: AbortSignal }) =>
      repeatCalls(
        o.calls,
        o.secondsBetweenCalls,
        async () => {
          probes.push(`${workload}→${to} at ${virtualSeconds()}`);
          await wait();
          return true;
        },
        o.signal,
      ),
  };
  return { probes, target };
}

describe('scheduleAttacks in virtual time', () => {
  const log = virtualTimeCollectingWarnings();

  it('a fast sweep: every other service on its port and each other port, back to back, reported as a scan from the workload to anything', async () => {
    const f = fakeTarget({ probeMillis: 50 });
    const events: RunEvent[] = [];
    const handle = scheduleAttacks({ scan: [scan(10)], lateral: [] }, { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e) });
    await advance(9990);
    assert.deepEqual(f.probes, []);
    await advance(400);
    await handle.done;
    // 3 services (all but user) × (service port + port 22), 50 ms each: 6 probes over 0.3 s.
    assert.deepEqual(f.probes, [
      'user→front-end:svc at 10', 'user→front-end:22 at 10.05',
      'user→user-db:svc at 10.1', 'user→user-db:22 at 10.15',
      'user→orders:svc at 10.2', 'user→orders:22 at 10.25',
    ]);
    assert.deepEqual(events, [
      { kind: 'scan', start: T0 + 10, end: T0 + 10.3, path: ['user', '*'], atSeconds: 10, workload: 'user', secondsBetweenTargets: 0, services: ['front-end', 'user-db', 'orders'], otherPorts: [22], attempts: 6, answered: 3 },
    ]);
    assert.deepEqual(log.warnings, []);
  });

  it('a slow scan: one target every secondsBetweenTargets, the event spanning all of it', async () => {
    const f = fakeTarget({ probeMillis: 10 });
    const events: RunEvent[] = [];
    const handle = scheduleAttacks({ scan: [scan(4, { secondsBetweenTargets: 6, otherPorts: [], services: ['orders', 'front-end'] })], lateral: [] }, { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e) });
    await advance(12_000, 5);
    await handle.done;
    // probe at 4 (10 ms), 6 s pause, probe at 10.01 (10 ms): over at 10.02.
    assert.deepEqual(f.probes, ['user→orders:svc at 4', 'user→front-end:svc at 10.01']);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.start, T0 + 4);
    assert.ok(Math.abs(events[0]!.end - (T0 + 10.02)) < 1e-6, `end ${events[0]!.end - T0}`);
    assert.deepEqual([events[0]!['attempts'], events[0]!['answered'], events[0]!['services']], [2, 2, ['orders', 'front-end']]);
  });

  it('a lateral movement: `calls` calls, secondsBetweenCalls apart, path [workload, to]', async () => {
    const f = fakeTarget();
    const events: RunEvent[] = [];
    const handle = scheduleAttacks({ scan: [], lateral: [lateral(5)] }, { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e) });
    await advance(10_000, 100);
    await handle.done;
    assert.deepEqual(f.probes, ['user→orders at 5', 'user→orders at 7', 'user→orders at 9']);
    assert.deepEqual(events, [{ kind: 'lateral', start: T0 + 5, end: T0 + 9, path: ['user', 'orders'], atSeconds: 5, workload: 'user', to: 'orders', calls: 3, attempts: 3, answered: 3 }]);
  });

  it('cancel(): the attack in flight stops before its next probe and is recorded as incomplete; the rest never start', async () => {
    const f = fakeTarget();
    const events: RunEvent[] = [];
    const handle = scheduleAttacks(
      { scan: [scan(1, { secondsBetweenTargets: 10, otherPorts: [] })], lateral: [lateral(30)] },
      { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e) },
    );
    await advance(5000, 100);
    handle.cancel();
    handle.cancel();
    await advance(10);
    await handle.done;
    assert.deepEqual(f.probes, ['user→front-end:svc at 1']);
    assert.deepEqual(events.map((e) => [e.kind, e.start - T0, e.end - T0, e['attempts'], e['answered'], e['incomplete'], e['reason']]), [['scan', 1, 5, 1, 1, true, 'scan aborted']]);
    await advance(40_000, 1000);
    assert.equal(f.probes.length, 1, 'the lateral movement at 30 s never ran');
    assert.deepEqual(log.warnings, [], 'a cancel is not a failure');
  });

  it('a failure part-way is still the attack (incomplete, with the reason); one that tried nothing is informational', async () => {
    const f = fakeTarget({ failOn: 'user-db:svc' });
    const refusing = { services: SERVICES, lateral: () => Promise.reject(new Error('no running pod with label name=user')) };
    const events: RunEvent[] = [];
    const h1 = scheduleAttacks({ scan: [scan(0)], lateral: [] }, { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e) });
    const h2 = scheduleAttacks({ scan: [], lateral: [lateral(0)] }, { target: refusing, startedAtSeconds: T0, onEvent: (e) => events.push(e) });
    await advance(100);
    await Promise.all([h1.done, h2.done]);
    const byKind = Object.fromEntries(events.map((e) => [e.kind, e]));
    // front-end:svc answered, front-end:22 not, user-db:svc threw: 3 attempts, 1 answered.
    assert.deepEqual([byKind['scan']?.['attempts'], byKind['scan']?.['answered'], byKind['scan']?.['incomplete'], byKind['scan']?.['reason']], [3, 1, true, 'scan of user-db: socket table full']);
    assert.deepEqual([byKind['lateral-failed']?.['attempts'], byKind['lateral-failed']?.path, byKind['lateral-failed']?.['reason']], [0, ['user', 'orders'], 'no running pod with label name=user']);
    assert.ok(events.every((e) => e.end > e.start));
    assert.equal(log.warnings.length, 2);
  });

  it('starts at once what is already due, and survives a throwing listener', async () => {
    const f = fakeTarget();
    const handle = scheduleAttacks({ scan: [], lateral: [lateral(5, { calls: 1 })] }, {
      target: f.target,
      startedAtSeconds: T0 - 60,
      onEvent: () => {
        throw new Error('disk full');
      },
    });
    await advance(10);
    await handle.done;
    assert.deepEqual(f.probes, ['user→orders at 0']);
    assert.equal(log.warnings.filter((w) => /disk full/.test(w)).length, 1);
  });
});
