import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { ExfiltrationSpec } from '../../src/config/index.ts';
import { ExfiltrationError, scheduleExfiltration, type ExfiltrationResult } from '../../src/exfiltration/index.ts';
import type { RunEvent } from '../../src/types.ts';
import { T0_MILLIS, advance, useVirtualTime, virtualSeconds, virtualTimeCollectingWarnings } from '../traffic/virtualTime.ts';

const T0 = T0_MILLIS / 1000;
const topology = [
  { src: 'front-end', dst: 'user' },
  { src: 'user', dst: 'user-db' },
  { src: 'orders', dst: 'orders-db' },
];
const api = (atSeconds: number, bytes = 1000): ExfiltrationSpec => ({ atSeconds, bytes, method: 'api', workload: 'user' });
const egress = (atSeconds: number, workload = 'user', bytes = 2000): ExfiltrationSpec => ({ atSeconds, bytes, method: 'egress', workload });

/** A fake target and api attacker whose work takes virtual time; calls are logged. */
function fakes(options: { apiSeconds?: number; egressSeconds?: number; egressFails?: boolean } = {}) {
  const calls: string[] = [];
  const target = {
    frontEndUrl: 'http://front-end.test',
    topology,
    egress: (workload: string, bytes: number) => {
      calls.push(`egress ${workload} ${bytes} at ${virtualSeconds()}`);
      return new Promise<{ bytes: number }>((resolve, reject) =>
        setTimeout(() => (options.egressFails ? reject(new Error('sink unreachable')) : resolve({ bytes })), (options.egressSeconds ?? 2) * 1000),
      );
    },
  };
  const viaApi = (url: string, bytes: number, o: { signal?: AbortSignal }) => {
    calls.push(`api ${url} ${bytes} at ${virtualSeconds()}`);
    const start = Date.now() / 1000;
    return new Promise<ExfiltrationResult>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ bytes: bytes + 7, start, end: Date.now() / 1000 }), (options.apiSeconds ?? 3) * 1000);
      o.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new ExfiltrationError('exfiltration aborted', { bytes: 400, start, end: Date.now() / 1000 }));
      });
    });
  };
  return { calls, target, viaApi };
}

describe('scheduleExfiltration in virtual time', () => {
  const log = virtualTimeCollectingWarnings();

  it('runs each at its atSeconds and reports it when it finishes, with the real times', async () => {
    const f = fakes();
    const events: RunEvent[] = [];
    const handle = scheduleExfiltration([api(10), egress(5)], { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e), viaApi: f.viaApi });
    await advance(4990);
    assert.deepEqual(f.calls, []);
    await advance(20);
    assert.deepEqual(f.calls, ['egress user 2000 at 5']);
    await advance(1980);
    assert.equal(events.length, 0, 'nothing recorded before the egress has finished');
    await advance(5000);
    assert.deepEqual(f.calls, ['egress user 2000 at 5', 'api http://front-end.test 1000 at 10']);
    assert.deepEqual(events, [
      { kind: 'exfiltration', start: T0 + 5, end: T0 + 7, bytes: 2000, method: 'egress', path: ['user-db', 'user', 'external'], atSeconds: 5, requestedBytes: 2000, workload: 'user' },
    ]);
    await advance(3000);
    await handle.done;
    assert.deepEqual(events[1], {
      kind: 'exfiltration', start: T0 + 10, end: T0 + 13, bytes: 1007, method: 'api', path: ['user-db', 'user', 'front-end', 'external'], atSeconds: 10, requestedBytes: 1000,
    });
    assert.deepEqual(log.warnings, []);
  });

  it('starts at once what is already due when the schedule begins late', async () => {
    const f = fakes();
    scheduleExfiltration([egress(5, 'orders')], { target: f.target, startedAtSeconds: T0 - 60, onEvent: () => {}, viaApi: f.viaApi });
    await advance(10);
    assert.deepEqual(f.calls, ['egress orders 2000 at 0']);
  });

  it('records a failure that moved nothing as informational, and a partial one as what moved', async () => {
    const f = fakes({ egressFails: true });
    const partialApi = (_url: string, _bytes: number) =>
      new Promise<ExfiltrationResult>((_resolve, reject) =>
        setTimeout(() => reject(new ExfiltrationError('GET /cards: HTTP 500', { bytes: 500, start: T0 + 1, end: T0 + 2 })), 1000),
      );
    const events: RunEvent[] = [];
    const handle = scheduleExfiltration([egress(0), api(1)], { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e), viaApi: partialApi });
    await advance(3000);
    await handle.done;
    const failed = events.find((e) => e.kind === 'exfiltration-failed');
    assert.deepEqual(failed && { ...failed }, {
      kind: 'exfiltration-failed', start: T0, end: T0 + 2, bytes: 0, method: 'egress', path: ['user-db', 'user', 'external'], atSeconds: 0, requestedBytes: 2000, workload: 'user', reason: 'sink unreachable',
    });
    const partial = events.find((e) => e.kind === 'exfiltration');
    assert.deepEqual(partial && { ...partial }, {
      kind: 'exfiltration', start: T0 + 1, end: T0 + 2, bytes: 500, method: 'api', path: ['user-db', 'user', 'front-end', 'external'], atSeconds: 1, requestedBytes: 1000, incomplete: true, reason: 'GET /cards: HTTP 500',
    });
    assert.equal(log.warnings.length, 2);
  });

  it('cancel(): aborts the api pull in flight (recording what moved), never starts the rest', async () => {
    const f = fakes({ apiSeconds: 30 });
    const events: RunEvent[] = [];
    const handle = scheduleExfiltration([api(1), egress(20)], { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e), viaApi: f.viaApi });
    await advance(5000);
    handle.cancel();
    handle.cancel();
    await advance(10);
    await handle.done;
    assert.deepEqual(events.map((e) => [e.kind, e.bytes, e.start, e.end, e['incomplete']]), [['exfiltration', 400, T0 + 1, T0 + 5, true]]);
    await advance(30_000, 1000);
    assert.equal(f.calls.length, 1, 'the egress at 20 s never ran');
    assert.deepEqual(log.warnings, [], 'a cancel is not a failure');
  });

  it('cancel(): waits briefly for an egress in flight (it cannot be aborted), then gives up on it', async () => {
    for (const [egressSeconds, kind] of [[1.5, 'exfiltration'], [10, 'exfiltration-failed']] as const) {
      mock.timers.reset();
      useVirtualTime();
      const f = fakes({ egressSeconds });
      const events: RunEvent[] = [];
      const handle = scheduleExfiltration([egress(0)], { target: f.target, startedAtSeconds: T0, onEvent: (e) => events.push(e), cancelGraceMillis: 2000 });
      await advance(100);
      handle.cancel();
      let done = false;
      void handle.done.then(() => (done = true));
      await advance(2500);
      assert.ok(done, `egress of ${egressSeconds} s: done within the grace`);
      assert.deepEqual(events.map((e) => e.kind), [kind]);
    }
  });

  it('keeps end after start, and survives a throwing listener', async () => {
    const instant = async () => ({ bytes: 10, start: T0, end: T0 });
    const seen: RunEvent[] = [];
    const handle = scheduleExfiltration([api(0), api(0)], {
      target: fakes().target,
      startedAtSeconds: T0,
      viaApi: instant,
      onEvent: (e) => {
        seen.push(e);
        throw new Error('disk full');
      },
    });
    await advance(10);
    await handle.done;
    assert.equal(seen.length, 2);
    assert.ok(seen.every((e) => e.end > e.start));
    assert.equal(log.warnings.filter((w) => /disk full/.test(w)).length, 2);
  });
});
