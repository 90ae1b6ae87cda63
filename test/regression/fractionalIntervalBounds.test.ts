import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import { detectorOperator } from '../../src/detectors/detector.ts';
import { classifyIntervals } from '../../src/evaluation/index.ts';
import { EventsBetweenIntervals, injectExfiltration } from '../../src/replay/index.ts';
import type { RunEvent, Snapshot } from '../../src/types.ts';

// Bug: the attack-interval rule (run-format.md: `t > start` and `t - dt < end`; an instant
// marks the interval with `t - dt < start <= t`) was computed in floating point. With dt 1.2 s
// and t to the ms, 1764576177.6 − 1.2 is just below 1764576176.4 in doubles, so an interval
// that only touches an attack counted as an attack interval, and an instant marked two
// intervals. The rule is exact arithmetic on the decimals written.

const T0_MS = 1_764_576_000_000;

/** Interval ends T0 + k·dt for k = 1..n, to the ms, as a JSON reader gets them (ms / 1000 is the double nearest the decimal). */
function ends(dtMs: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (T0_MS + dtMs * (i + 1)) / 1000);
}

function intervals(ts: readonly number[], dt: number): Snapshot[] {
  return ts.map((t) => ({ t, dt, gap: false, edges: [] }));
}

function attack(start: number, end: number): RunEvent {
  return { kind: 'exfiltration', start, end };
}

for (const dtMs of [1200, 200]) {
  const dt = dtMs / 1000;
  describe(`intervals of ${dt} s at Unix seconds to the ms`, () => {
    const ts = ends(dtMs, 200);
    const snapshots = intervals(ts, dt);

    it('an attack from one interval end to the next marks exactly the interval between them', () => {
      // [ts[j], ts[j+1]) is the interval ending at ts[j+1], position j+1, and no other:
      // position j ends as it starts (touches), position j+2 starts as it ends (touches).
      const wrong: string[] = [];
      for (let j = 0; j + 1 < ts.length; j++) {
        const marked = classifyIntervals(snapshots, [attack(ts[j]!, ts[j + 1]!)]).flatMap((c, i) => (c.attack ? [i] : []));
        if (marked.join() !== String(j + 1)) wrong.push(`[${ts[j]}, ${ts[j + 1]}) marked ${marked.join(' ')}`);
      }
      assert.deepEqual(wrong, []);
    });

    it('an instant on an interval end marks that interval only', () => {
      const wrong: string[] = [];
      for (let j = 0; j < ts.length; j++) {
        const marked = classifyIntervals(snapshots, [attack(ts[j]!, ts[j]!)]).flatMap((c, i) => (c.attack ? [i] : []));
        if (marked.join() !== String(j)) wrong.push(`instant ${ts[j]} marked ${marked.join(' ')}`);
      }
      assert.deepEqual(wrong, []);
    });

    it("the tester's run: 2 + 1 attack intervals, 2 grace intervals", () => {
      // Exfiltration [ts[144], ts[146]): positions 145 and 146; grace 147. Scan at ts[151]: position 151; grace 152.
      const classes = classifyIntervals(snapshots, [attack(ts[144]!, ts[146]!), { kind: 'scan', start: ts[151]!, end: ts[151]! }]);
      assert.deepEqual(classes.flatMap((c, i) => (c.attack ? [i] : [])), [145, 146, 151]);
      assert.deepEqual(classes.flatMap((c, i) => (c.grace ? [i] : [])), [147, 152]);
    });

    it("whole-interval injection writes its attacks on the run's own interval ends", async () => {
      // Window [k dt, (k + 3) dt) after the run's start (T0) holds the midpoints of positions
      // k..k+2, so its attack is (ts[k-1], ts[k+2]]: start ts[k-1] and end ts[k+2] exactly.
      const wrong: string[] = [];
      for (let k = 1; k <= 30; k++) {
        const events: RunEvent[] = [];
        await lastValueFrom(
          from(snapshots).pipe(
            injectExfiltration({ bytesPerInterval: 1000, intervalSeconds: dt, at: [{ startSeconds: k * dt, endSeconds: (k + 3) * dt }], runMetrics: ['response_bytes'], onSettled: (ws) => events.push(...ws.map((w) => w.injected!)) }),
            toArray(),
          ),
        );
        const e = events[0]!;
        if (e.start !== ts[k - 1] || e.end !== ts[k + 2]) wrong.push(`window ${k}: ${e.start}–${e.end}, expected ${ts[k - 1]}–${ts[k + 2]}`);
      }
      assert.deepEqual(wrong, []);
    });

    it('training covers the frames ending within trainingSeconds of the start, exactly', async () => {
      // The stream starts at T0 and frame k (1-based) ends k·dt later: with trainingSeconds n·dt
      // (as a decimal: 0.2·3 is written 0.6), the first n frames train.
      const core = { train: () => {}, judge: () => ({ score: 0, threshold: 1, blamed: [] }) };
      const wrong: string[] = [];
      for (let n = 1; n <= 60; n++) {
        const trainingSeconds = (n * dtMs) / 1000;
        const training = await lastValueFrom(
          from(snapshots.map((s) => ({ ...s, values: {} }) as never)).pipe(
            detectorOperator(() => core, { name: 'x', trainingSeconds, falseAlarmRate: 0.01 }),
            map((v) => v.training),
            toArray(),
          ),
        );
        const count = training.filter(Boolean).length;
        if (count !== n) wrong.push(`${trainingSeconds} s: ${count} frames train, expected ${n}`);
      }
      assert.deepEqual(wrong, []);
    });
  });
}

// Bug: EventsBetweenIntervals decided in floating point whether an attack lies in the hole
// between two intervals: with dt 1.2, 1764576177.6 − 1.2 is 1764576176.3999999 in doubles, so
// an attack filling the hole exactly, [1764576176.0, 1764576176.4), was said nowhere (scored
// nowhere either), and one inside it was said to lie before "1764576176.3999999".
describe('an attack between intervals of 1.2 s at Unix seconds to the ms', () => {
  // Intervals (174.8, 176.0], (176.4, 177.6], (178.0, 179.2]: 0.4-s holes after the first two.
  const ts = [T0_MS + 176_000, T0_MS + 177_600, T0_MS + 179_200].map((ms) => ms / 1000);
  const warningFor = (startMs: number, endMs: number) => {
    const between = new EventsBetweenIntervals([attack((T0_MS + startMs) / 1000, (T0_MS + endMs) / 1000)]);
    for (const t of ts) between.addInterval(t, 1.2);
    return between.warning();
  };
  const HOLE = 'after the interval ending at 1764576176, before the next, starting at 1764576176.4';

  it('one filling the hole exactly is said, with the hole\'s bounds as written', () => {
    assert.equal(warningFor(176_000, 176_400), `events.ndjson: 1 of 1 attack(s) inside the run fall between two of its intervals (time no interval (t − dt, t] covers), so no interval counts them: exfiltration 1764576176–1764576176.4 (${HOLE})`);
  });

  it('one inside the hole names its start as written', () => {
    assert.match(warningFor(176_100, 176_300) ?? '', new RegExp(`exfiltration 1764576176.1–1764576176.3 \\(${HOLE}\\)$`));
  });

  it('one reaching into an interval, or before the first, is not said', () => {
    assert.equal(warningFor(176_000, 176_401), undefined);
    assert.equal(warningFor(174_000, 174_500), undefined);
  });
});
