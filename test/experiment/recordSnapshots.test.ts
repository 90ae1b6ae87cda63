import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler } from 'rxjs';
import type { TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { recordInVirtualTime } from '../util.ts';

/** A source answering every read 0.1 s after it was asked, with a counter a→b growing by 10 a read; warming up takes `warmUpMillis`, and fails if told to. */
function source(scheduler: VirtualTimeScheduler, calls: string[], warmUpMillis: number, warmUpFails = false): TelemetrySource {
  let n = 0;
  const after = (millis: number) => new Promise<void>((resolve) => scheduler.schedule(() => resolve(), millis));
  return {
    kind: 'scrape',
    async warmUp() {
      calls.push(`warm-up@${scheduler.now()}`);
      await after(warmUpMillis);
      if (warmUpFails) throw new Error('sidecar user: connection refused');
    },
    async read(t: number): Promise<TelemetryRead> {
      calls.push(`read@${scheduler.now()}`);
      const i = n++;
      await after(100);
      return { kind: 'read', t, samples: [{ metric: 'requests', src: 'a', dst: 'b', series: 's', value: 10 * i }] };
    },
    describe: () => ({ kind: 'fake' }),
    close: async () => {},
  };
}

describe('recordSnapshots', () => {
  it('warms the source up before the seeding read, whose time starts the clock', async () => {
    const scheduler = new VirtualTimeScheduler();
    const calls: string[] = [];
    const { start, snapshots, completed } = await recordInVirtualTime(source(scheduler, calls, 700), scheduler, 2);
    assert.equal(completed, true);
    // Warm-up at 0 for 0.7 s; the seed read at 0.7 starts the clock; boundaries every 2 s from there.
    assert.deepEqual(calls, ['warm-up@0', 'read@700', 'read@2700', 'read@4700']);
    assert.equal(start, 0.7);
    assert.deepEqual(
      snapshots.map((s) => [s.t, s.gap, s.edges[0]?.values['requests']]),
      [
        [2.7, false, 10],
        [4.7, false, 10],
      ],
    );
  });

  it('records as usual when the warm-up fails (the reads say what is wrong)', async () => {
    const scheduler = new VirtualTimeScheduler();
    const calls: string[] = [];
    const { snapshots, completed } = await recordInVirtualTime(source(scheduler, calls, 300, true), scheduler, 1);
    assert.equal(completed, true);
    assert.deepEqual(calls, ['warm-up@0', 'read@300', 'read@2300']);
    assert.deepEqual(
      snapshots.map((s) => [s.t, s.gap]),
      [[2.3, false]],
    );
  });
});
