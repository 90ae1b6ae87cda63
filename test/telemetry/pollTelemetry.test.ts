import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { UserError } from '../../src/errors.ts';
import { pollTelemetry } from '../../src/telemetry/index.ts';
import type { TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { captureLog } from '../util.ts';

/** How the fake source answers its n-th read (0-based). */
type Plan = (n: number, t: number) => { readonly afterMillis: number; readonly answer: 'read' | 'fault' | 'reject' | 'hang' | 'throw' | 'junk' };

/** A source answering in virtual time; records the times it was asked for. */
class FakeSource implements TelemetrySource {
  readonly kind = 'scrape' as const;
  readonly asked: number[] = [];
  readonly hung: (() => void)[] = [];
  lagSeconds?: number;

  constructor(
    private readonly scheduler: VirtualTimeScheduler,
    private readonly plan: Plan,
  ) {}

  read(t: number): Promise<TelemetryRead> {
    const n = this.asked.push(t) - 1;
    const { afterMillis, answer } = this.plan(n, t);
    if (answer === 'throw') throw new Error('synchronous boom');
    const label = t - (this.lagSeconds ?? 0);
    return new Promise<TelemetryRead>((resolve, reject) => {
      const settle = () => {
        if (answer === 'reject') reject(new Error('boom'));
        else if (answer === 'fault') resolve({ kind: 'fault', t: label, reason: 'sidecar user: HTTP 500' });
        else if (answer === 'junk') resolve({ kind: 'nonsense' } as unknown as TelemetryRead);
        else resolve({ kind: 'read', t: label, samples: [{ metric: 'requests', src: 'a', dst: 'b', series: 's', value: n }] });
      };
      if (answer === 'hang') this.hung.push(settle);
      else this.scheduler.schedule(settle, afterMillis);
    });
  }
  describe() {
    return { kind: 'fake' };
  }
  async close() {}
}

/** Run virtual time up to `untilMillis`, letting promise callbacks run after each instant. */
async function advance(scheduler: VirtualTimeScheduler, untilMillis: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = scheduler.actions[0]?.delay;
    if (next === undefined || next > untilMillis) break;
    scheduler.maxFrames = next;
    scheduler.flush();
  }
  await new Promise((resolve) => setImmediate(resolve));
}

/** Subscribe, run virtual time, and return what was emitted with the virtual time it came at. */
async function run(plan: Plan, untilMillis: number, options: { intervalSeconds?: number; readDeadlineSeconds?: number; lagSeconds?: number; scheduler?: (s: VirtualTimeScheduler) => SchedulerLike } = {}) {
  const scheduler = new VirtualTimeScheduler();
  const source = new FakeSource(scheduler, plan);
  if (options.lagSeconds !== undefined) source.lagSeconds = options.lagSeconds;
  const emitted: { at: number; read: TelemetryRead }[] = [];
  let errored: unknown;
  let completed = false;
  const subscription = pollTelemetry(source, {
    intervalSeconds: options.intervalSeconds ?? 2,
    scheduler: options.scheduler ? options.scheduler(scheduler) : scheduler,
    ...(options.readDeadlineSeconds !== undefined ? { readDeadlineSeconds: options.readDeadlineSeconds } : {}),
  }).subscribe({ next: (read) => emitted.push({ at: scheduler.frame, read }), error: (e) => (errored = e), complete: () => (completed = true) });
  await advance(scheduler, untilMillis);
  assert.equal(errored, undefined);
  assert.equal(completed, false);
  const ts = emitted.map((e) => e.read.t);
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 'emitted in order of t');
  return { emitted, source, scheduler, subscription, brief: emitted.map(({ read }) => `${read.kind}@${read.t}`) };
}

const quick: Plan = () => ({ afterMillis: 100, answer: 'read' });

describe('pollTelemetry', () => {
  it('reads at once (the seed) and then at every interval boundary, labelled with the boundary', async () => {
    const { emitted, source, brief, subscription } = await run(quick, 6500);
    assert.deepEqual(source.asked, [0, 2, 4, 6]);
    assert.deepEqual(brief, ['read@0', 'read@2', 'read@4', 'read@6']);
    assert.deepEqual(
      emitted.map((e) => e.at),
      [100, 2100, 4100, 6100],
    );
    subscription.unsubscribe();
  });

  it('passes a source fault through as the interval it belongs to', async () => {
    const { emitted } = await run((n) => ({ afterMillis: 50, answer: n === 1 ? 'fault' : 'read' }), 4100);
    assert.deepEqual(
      emitted.map(({ read }) => [read.kind, read.t, read.kind === 'fault' ? read.reason : '']),
      [
        ['read', 0, ''],
        ['fault', 2, 'sidecar user: HTTP 500'],
        ['read', 4, ''],
      ],
    );
  });

  it('starts no read while one is outstanding: the skipped boundaries become "read still pending" faults, in order', async () => {
    const log = captureLog();
    try {
      // The read for t=2 takes 4.5 s: boundaries 4 and 6 come while it is pending.
      const { emitted, source, brief } = await run((n) => ({ afterMillis: n === 1 ? 4500 : 100, answer: 'read' }), 10_500);
      assert.deepEqual(source.asked, [0, 2, 8, 10]);
      assert.deepEqual(brief, ['read@0', 'read@2', 'fault@4', 'fault@6', 'read@8', 'read@10']);
      const pending = emitted[2]!.read;
      assert.match(pending.kind === 'fault' ? pending.reason : '', /^read still pending \(the read for t=2 has not finished\)$/);
      // The faults follow the late read at once, not at later boundaries.
      assert.deepEqual(
        emitted.slice(1, 4).map((e) => e.at),
        [6500, 6500, 6500],
      );
      assert.equal(log.messages.filter((m) => m.level === 'warn').length, 1);
      assert.match(log.text('warn'), /took longer than the 2 s interval/);
    } finally {
      log.restore();
    }
  });

  it('gives up a read after readDeadlineSeconds, drops its late answer and goes on', async () => {
    const log = captureLog();
    try {
      const { emitted, source, brief, scheduler } = await run((n) => ({ afterMillis: 100, answer: n === 1 ? 'hang' : 'read' }), 6500, { readDeadlineSeconds: 3 });
      assert.deepEqual(source.asked, [0, 2, 6]);
      assert.deepEqual(brief, ['read@0', 'fault@2', 'fault@4', 'read@6']);
      const gaveUp = emitted[1]!.read;
      assert.equal(gaveUp.kind === 'fault' ? gaveUp.reason : '', 'read did not finish within 3 s');
      assert.equal(emitted[1]!.at, 5000);
      source.hung[0]!();
      await advance(scheduler, 6500);
      assert.equal(emitted.length, 4);
    } finally {
      log.restore();
    }
  });

  it('turns a rejecting, throwing or nonsensical source into faults and logs the errors, without erroring', async () => {
    const log = captureLog();
    try {
      const answers = ['read', 'reject', 'throw', 'junk', 'read'] as const;
      const { emitted } = await run((n) => ({ afterMillis: 10, answer: answers[n] ?? 'read' }), 8100);
      assert.deepEqual(
        emitted.map(({ read }) => [read.kind, read.t, read.kind === 'fault' ? read.reason : '']),
        [
          ['read', 0, ''],
          ['fault', 2, 'read failed: boom'],
          ['fault', 4, 'read failed: synchronous boom'],
          ['fault', 6, 'source answered something that is not a telemetry read'],
          ['read', 8, ''],
        ],
      );
      const errors = log.messages.filter((m) => m.level === 'error').map((m) => m.message);
      assert.equal(errors.length, 3);
      assert.match(errors[0]!, /telemetry scrape read: boom/);
      assert.match(errors[1]!, /synchronous boom/);
      assert.match(errors[2]!, /not a TelemetryRead/);
    } finally {
      log.restore();
    }
  });

  it('turns boundaries the timer missed by a whole interval into faults', async () => {
    // The first timer fires 4.5 s late (a blocked event loop): boundaries 0 and 2 were missed.
    let first = true;
    const late = (s: VirtualTimeScheduler): SchedulerLike => ({
      now: () => s.now(),
      schedule: <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) => {
        const extra = first ? 4500 : 0;
        first = false;
        return s.schedule(work, (delay ?? 0) + extra, state);
      },
    });
    const { emitted, source, brief } = await run(quick, 6500, { scheduler: late });
    assert.deepEqual(source.asked, [4, 6]);
    assert.deepEqual(brief, ['fault@0', 'fault@2', 'read@4', 'read@6']);
    const missed = emitted[0]!.read;
    assert.match(missed.kind === 'fault' ? missed.reason : '', /^boundary missed: the timer fired 4\.5 s late$/);
  });

  it('labels its own faults like a lagging source labels its reads', async () => {
    const log = captureLog();
    try {
      const { brief, source } = await run((n) => ({ afterMillis: n === 1 ? 2500 : 100, answer: 'read' }), 6500, { lagSeconds: 1.25 });
      assert.deepEqual(source.asked, [0, 2, 6]);
      assert.deepEqual(brief, ['read@-1.25', 'read@0.75', 'fault@2.75', 'read@4.75']);
    } finally {
      log.restore();
    }
  });

  it('uses fractional intervals on the millisecond grid without drift', async () => {
    const { source } = await run(quick, 3000, { intervalSeconds: 0.3 });
    assert.deepEqual(source.asked, [0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7, 3]);
  });

  it('stops reading when unsubscribed', async () => {
    const { source, scheduler, subscription } = await run(quick, 2500);
    subscription.unsubscribe();
    await advance(scheduler, 20_000);
    assert.deepEqual(source.asked, [0, 2]);
    assert.equal(scheduler.actions.length, 0);
  });

  it('rejects a bad interval or deadline naming the value', () => {
    const source = new FakeSource(new VirtualTimeScheduler(), quick);
    assert.throws(() => pollTelemetry(source, { intervalSeconds: 0 }), (e) => e instanceof UserError && /intervalSeconds must be a positive number of seconds, not 0/.test(e.message));
    assert.throws(() => pollTelemetry(source, { intervalSeconds: Number.NaN }), (e) => e instanceof UserError && /not null/.test(e.message));
    assert.throws(() => pollTelemetry(source, { intervalSeconds: 2, readDeadlineSeconds: -1 }), (e) => e instanceof UserError && /readDeadlineSeconds .* not -1/.test(e.message));
  });
});
