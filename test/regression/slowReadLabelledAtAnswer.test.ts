// Bug: a live recording on the scrape source lost an interval, and time went backwards in its
// snapshots.ndjson, whenever one read took longer than the interval. The scrape source labels a
// read with the time its last sidecar answered (so an attack starting at a boundary is never
// counted in the interval before). A read asked for at 2 s that answered at 4.5 s was labelled
// 4.5; the boundary at 4 s, reached while it was pending, became a "read still pending" fault
// labelled 4, emitted after it: an interval ending at 4 after one ending at 4.5. The reader
// skips a line whose t does not increase, so a 40-interval live run read back as 39 (seen in
// CI: attacks.e2e on a loaded machine), and the recorded gap stood where nothing was missing:
// the read at 4.5 holds every count up to 4.5. Now such a fault is dropped (its boundary is
// covered by the read), the boundary after it is read as usual, and t only increases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler } from 'rxjs';
import type { Snapshot, TelemetryRead, TelemetrySource } from '../../src/types.ts';
import { captureLog, recordInVirtualTime } from '../util.ts';

/**
 * A source whose read n answers `latencyMillis(n)` after it was asked, with a counter a→b that
 * grows by 10 a read, labelled when it answered (as scrape does) or as asked (as a lagging
 * Prometheus source does).
 */
function slowSource(scheduler: VirtualTimeScheduler, latencyMillis: (n: number) => number, labelled: 'answered' | 'asked'): TelemetrySource {
  let n = 0;
  return {
    kind: labelled === 'answered' ? 'scrape' : 'prometheus',
    read: (t: number): Promise<TelemetryRead> => {
      const i = n++;
      const after = latencyMillis(i);
      const label = labelled === 'answered' ? t + after / 1000 : t;
      return new Promise((resolve) => {
        scheduler.schedule(() => resolve({ kind: 'read', t: label, samples: [{ metric: 'requests', src: 'a', dst: 'b', series: 's', value: 10 * i }] }), after);
      });
    },
    describe: () => ({ kind: 'fake' }),
    close: async () => {},
  } as TelemetrySource;
}

/** Record `intervals` intervals of 2 s in virtual time; every snapshot, in the order written. */
async function record(latencyMillis: (n: number) => number, intervals: number, labelled: 'answered' | 'asked' = 'answered'): Promise<Snapshot[]> {
  const scheduler = new VirtualTimeScheduler();
  const { snapshots, completed } = await recordInVirtualTime(slowSource(scheduler, latencyMillis, labelled), scheduler, intervals);
  assert.equal(completed, true, 'the recording completed');
  return snapshots;
}

const shape = (s: Snapshot) => `${s.t}/${s.dt.toFixed(1)}${s.gap ? ' gap' : ` ${s.edges.find((e) => e.src === 'a' && e.dst === 'b')?.values['requests'] ?? 0}`}`;

describe('a read slower than the interval, labelled when it answered (regression)', () => {
  it('covers the boundary it passed: no backwards interval, no gap, every interval of the recording kept', async () => {
    const log = captureLog();
    try {
      // Reads asked at 0, 2 (answers at 4.5: boundary 4 passes while it is pending), then 6, 8, 10; 0.1 s each otherwise.
      const snapshots = await record((n) => (n === 1 ? 2500 : 100), 4);
      // Before the fix: 2.1→4.5 (+10), then a fault at 4 (dt −0.5), then 6.1 a gap (the read after a fault).
      assert.deepEqual(snapshots.map(shape), ['4.5/4.4 10', '6.1/1.6 10', '8.1/2.0 10', '10.1/2.0 10']);
      assert.match(log.text('warn'), /took longer than the 2 s interval/);
    } finally {
      log.restore();
    }
  });

  it('covers every boundary it passed when it took more than two intervals', async () => {
    const log = captureLog();
    try {
      // Asked at 2, answered at 6.5: boundaries 4 and 6 both passed.
      const snapshots = await record((n) => (n === 1 ? 4500 : 100), 3);
      assert.deepEqual(snapshots.map(shape), ['6.5/6.4 10', '8.1/1.6 10', '10.1/2.0 10']);
    } finally {
      log.restore();
    }
  });

  it('still records a boundary the read did not reach as a gap', async () => {
    const log = captureLog();
    try {
      // Asked at 2, answered at 5.9 but labelled as asked (a lagging source's way): boundary 4 is a gap, in order.
      const written = await record((n) => (n === 1 ? 3900 : 100), 3, 'asked');
      assert.deepEqual(written.map(shape), ['2/2.0 10', '4/2.0 gap', '6/2.0 gap']);
    } finally {
      log.restore();
    }
  });
});
