// Bug: a live recording whose telemetry failed from its very first read (a Prometheus down
// when the experiment started) dropped those intervals instead of recording them as gaps:
// differentiate waited for a good read to seed the counters, so a source failing on its
// first 3 of 7 reads gave 3 intervals instead of 6, and one failing throughout gave a run
// of 0 intervals, while the experiment's clock (and its exfiltrations) had started at the
// first read attempt. Now every interval of the recording is written, the faulty ones as
// gaps, and the first good read after them is a gap too (it only seeds the counters).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler } from 'rxjs';
import type { Snapshot, TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { recordInVirtualTime } from '../util.ts';

/** A source failing on its first `faults` reads, then reading a counter a→b that grows by 10 a read. */
function failingAtFirst(faults: number): TelemetrySource {
  let n = 0;
  return {
    kind: 'prometheus',
    read: async (t: number): Promise<TelemetryRead> => {
      const i = n++;
      return i < faults ? { kind: 'fault', t, reason: 'connect ECONNREFUSED 127.0.0.1:9' } : { kind: 'read', t, samples: [{ metric: 'requests', src: 'a', dst: 'b', series: 's', value: 10 * i }] };
    },
    describe: () => ({ kind: 'fake' }),
    close: async () => {},
  } as TelemetrySource;
}

/** Record `intervals` intervals of 2 s in virtual time; what was written, and the start. */
async function record(source: TelemetrySource, intervals: number): Promise<{ start: number | undefined; snapshots: Snapshot[] }> {
  const { start, snapshots, completed } = await recordInVirtualTime(source, new VirtualTimeScheduler(), intervals);
  assert.equal(completed, true, 'the recording completed');
  return { start, snapshots };
}

const shape = (s: Snapshot) => `${s.t}/${s.dt}${s.gap ? ' gap' : ` ${s.edges.find((e) => e.src === 'a' && e.dst === 'b')?.values['requests'] ?? 0}`}`;

describe('a recording whose first reads fail (regression)', () => {
  it('records them as gaps from the first interval, and the first good read after them as a gap', async () => {
    const { start, snapshots } = await record(failingAtFirst(3), 6);
    assert.equal(start, 0, 'the clock starts at the first read attempt');
    // Reads at 0 (seed, fault), 2, 4 (faults), 6 (first good: seeds, a gap), 8, 10, 12 (+10 each).
    assert.deepEqual(snapshots.map(shape), ['2/2 gap', '4/2 gap', '6/2 gap', '8/2 10', '10/2 10', '12/2 10']);
    assert.match(snapshots[0]!.reason ?? '', /ECONNREFUSED/);
    assert.equal(snapshots[2]!.reason, 'first read after a telemetry fault');
  });

  it('records a source that never answers as a run of gaps covering the whole recording', async () => {
    const { snapshots } = await record(failingAtFirst(Infinity), 4);
    assert.deepEqual(snapshots.map(shape), ['2/2 gap', '4/2 gap', '6/2 gap', '8/2 gap']);
  });

  it('is unchanged when the first read succeeds (it only seeds)', async () => {
    const { snapshots } = await record(failingAtFirst(0), 3);
    assert.deepEqual(snapshots.map(shape), ['2/2 10', '4/2 10', '6/2 10']);
  });
});
