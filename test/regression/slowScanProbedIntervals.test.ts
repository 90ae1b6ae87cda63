import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleAttacks, sweepTargets } from '../../src/attacks/index.ts';
import { attackTable } from '../../src/report/html/tables.ts';
import type { ReportModel } from '../../src/report/buildReportModel.ts';
import { buildTimeline } from '../../src/report/timeline.ts';
import type { RunEvent, Snapshot } from '../../src/types.ts';
import { T0_MILLIS, advance, virtualTimeCollectingWarnings } from '../traffic/virtualTime.ts';

// Bug (tester E, defect 3): a slow scan (the README's secondsBetweenTargets: 6 on 2-s intervals)
// is one event from its first probe to its last, so by run-format.md's rule (kept) all 10
// intervals of its 18-s span are attack intervals, though only 4 hold a probe: new-edge alarmed on
// every probe and still read TPR 0.455, with nothing saying why. The scan event now records its
// secondsBetweenTargets, the report's attack table shows "10 (4 with a probe)", and the README
// says how to read a slow scan's interval figures.

describe('a slow scan', () => {
  virtualTimeCollectingWarnings();

  it('records its secondsBetweenTargets on the event, so a reader can tell which intervals hold a probe', async () => {
    const target = {
      services: ['user', 'orders', 'front-end'],
      scan: (_w: string, targets: readonly { service: string; otherPorts: readonly number[] }[], o: { secondsBetweenTargets: number; signal?: AbortSignal }) =>
        sweepTargets(targets, o.secondsBetweenTargets, () => Promise.resolve(true), o.signal),
    };
    const events: RunEvent[] = [];
    const handle = scheduleAttacks(
      { scan: [{ atSeconds: 4, workload: 'user', secondsBetweenTargets: 6, otherPorts: [], services: ['orders', 'front-end'] }], lateral: [] },
      { target, startedAtSeconds: T0_MILLIS / 1000, onEvent: (e) => events.push(e) },
    );
    await advance(12_000, 5);
    await handle.done;
    assert.equal(events.length, 1);
    assert.equal(events[0]!['secondsBetweenTargets'], 6);
    // One event, attempts and answered over the whole sweep, as before.
    assert.deepEqual([events[0]!['attempts'], events[0]!['answered']], [2, 2]);
  });

  it("shows in the report's attack table how many of its attack intervals hold a probe", () => {
    // The tester's e2: 2-s intervals (t − 2, t] from 1000; 4 targets from +50.1 s, 6 s apart:
    // probes at 1050.1, 1056.1, 1062.1, 1068.1, the event ending just after the last, 1068.15.
    // Attack intervals: t = 1052 … 1070 (t > 1050.1, t − 2 < 1068.15), 10 of them; the probes fall
    // in those ending at 1052, 1058, 1064 and 1070: 4. A fast scan (0 s) and a lateral movement
    // keep the plain count.
    const times = Array.from({ length: 50 }, (_, i) => 1002 + 2 * i);
    const snapshots = times.map((t) => ({ t, dt: 2, gap: false, edges: [] }) as unknown as Snapshot);
    const events: RunEvent[] = [
      { kind: 'scan', start: 1050.1, end: 1068.15, path: ['user', '*'], secondsBetweenTargets: 6 },
      { kind: 'scan', start: 1080.1, end: 1080.4, path: ['user', '*'], secondsBetweenTargets: 0 },
      { kind: 'lateral', start: 1090.1, end: 1093.1, path: ['user', 'orders-db'] },
    ];
    const timeline = buildTimeline(snapshots, events);
    const html = String(attackTable({ timeline, detectors: [] } as unknown as ReportModel));
    const intervalCells = [...html.matchAll(/<tr>\s*<td>\d+<\/td>(?:\s*<td[^>]*>[^<]*<\/td>){6}\s*<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(intervalCells, ['10 (4 with a probe)', '1', '2']);
  });
});
