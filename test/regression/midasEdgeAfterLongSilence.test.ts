// Bug (tester th, finding 4): an existing edge silent for its first 400 intervals, then carrying
// its ordinary ~31 requests an interval (no burst), made midas alarm on 37 intervals in a row,
// lifted its threshold 10-70× for the rest of the run, and midas then missed 2 of 3 lateral
// movements it caught on the same run without the silence (FPR 0.045 against 0.007). The
// 5-in-a-row rule ("then it is the new normal") learnt the edge's count into the sketches, but
// the MIDAS score compares the current count a with the edge's total s times the tick's share p
// (≈ 2/t with decay 0.5), and a total that began at tick 401 is tiny against t: a ≈ 62 against
// s·p ≈ 62·k/(400 + k) after k ticks, still ~600 at k = 37 against a threshold of ~95, and the
// limit learnt each of those exceedances.
// Fixed: when an edge becomes the new normal (5 bursts in a row) its total, and its source's and
// destination's, are re-based so that its total is to its current count as the rest of the
// traffic's is: as if it had carried its current level all along.
//
// Expectations, from the promise (README, midas and "One knob"), not from a run of the code:
// the late edge alarms at most RELEARN_AFTER_INTERVALS = 5 times in a row, then it is ordinary;
// the realised false-alarm rate stays near the 0.01 target (bound 0.02 without the late edge's
// first 5 intervals, 0.025 with them: 5/897 = 0.0056 of it); the threshold ends no more than 1.5× the run's
// without the silence; and the three lateral movements (5 requests on an edge never used) are
// each alarmed on, as they are on that run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { midas } from '../../src/detectors/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { gaussian, judgeSnapshots } from '../util.ts';

/** A layered mesh of 20 edges; requests per 5-s interval from 3 to 160 (th's generator: log-normal rates). */
const EDGES: readonly (readonly [string, string, number])[] = [
  ['external', 'front-end', 160], ['front-end', 'user', 40], ['front-end', 'svc2', 25], ['front-end', 'svc3', 60],
  ['user', 'svc2', 12], ['user', 'svc4', 31], ['svc2', 'svc3', 8], ['svc2', 'svc5', 20], ['svc3', 'svc4', 45],
  ['svc3', 'svc6', 15], ['svc4', 'svc5', 5], ['svc4', 'svc7', 70], ['svc5', 'svc6', 22], ['svc5', 'svc8', 9],
  ['svc6', 'svc7', 3], ['svc6', 'svc8', 31], ['svc7', 'svc8', 18], ['svc7', 'svc9', 27], ['svc8', 'svc9', 50],
  ['svc3', 'svc9', 11],
];
const INTERVALS = 1000;
const SILENT_UNTIL = 400;
const LATERAL_AT = [700, 800, 900];
/** th's `--training 500`: 100 intervals of 5 s. */
const TRAINING_SECONDS = 500;

/** Poisson-like counts (normal approximation, rounded); `late`: that edge silent before SILENT_UNTIL. Lateral calls: 5 on user → orders-db. */
function run(late: string | undefined): Snapshot[] {
  const normal = gaussian(17);
  return Array.from({ length: INTERVALS }, (_, i) => {
    const edges: Snapshot['edges'][number][] = [];
    for (const [src, dst, mean] of EDGES) {
      const requests = Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      if (`${src}>${dst}` === late && i < SILENT_UNTIL) continue;
      edges.push({ src, dst, values: { requests } });
    }
    if (LATERAL_AT.includes(i)) edges.push({ src: 'user', dst: 'orders-db', values: { requests: 5 } });
    return { t: 1_800_000_000 + 5 * (i + 1), dt: 5, gap: false, edges };
  });
}

const judge = (snapshots: readonly Snapshot[], baseline: 'load' | 'ticks'): Verdict[] => judgeSnapshots(snapshots, midas({ baseline }, { trainingSeconds: TRAINING_SECONDS }));

/** False alarms over the scored intervals that are not lateral calls (nor, `but`, intervals from … to). */
function falseAlarmRate(v: readonly Verdict[], but: readonly [number, number] = [0, -1]): number {
  const benign = v.filter((x, i) => !x.training && !LATERAL_AT.includes(i) && !(i >= but[0] && i <= but[1]));
  return benign.filter((x) => x.alarm).length / benign.length;
}

// svc6 → svc8: both nodes busy with other edges (th's case). front-end → svc2: svc2 gets most
// of its incoming traffic from it. svc3 → svc9 (11 an interval): a small edge.
// Both baselines: the paper's (s/t) has the same late total.
for (const baseline of ['load', 'ticks'] as const) {
  for (const late of ['svc6>svc8', 'front-end>svc2', 'svc3>svc9']) {
    test(`midas (baseline ${baseline}): ${late.replace('>', ' → ')} silent for ${SILENT_UNTIL} intervals then ordinary is a new normal after 5 alarms, and the lateral calls are still caught`, () => {
      const steady = judge(run(undefined), baseline);
      const v = judge(run(late), baseline);
      for (const at of LATERAL_AT) assert.ok(steady[at]!.alarm, `control: the run without the silence alarms on the lateral call at ${at}`);

      // The late edge's alarms: at most 5 in a row from its return (it alarmed 37 times).
      let row = 0;
      while (v[SILENT_UNTIL + row]!.alarm) row++;
      assert.ok(row <= 5, `${row} alarms in a row from interval ${SILENT_UNTIL}: ${v.slice(SILENT_UNTIL, SILENT_UNTIL + row + 1).map((x) => `${x.score.toFixed(0)}/${x.threshold.toFixed(0)}`).join(' ')}`);

      // midas sits 1.3-1.7× above the target on steady traffic (README): 0.0145 on the run without the silence (load).
      const rate = falseAlarmRate(v);
      const others = falseAlarmRate(v, [SILENT_UNTIL, SILENT_UNTIL + 4]);
      assert.ok(rate <= 0.025 && others <= 0.02, `false-alarm rate ${rate.toFixed(4)}, ${others.toFixed(4)} without the late edge's first 5 intervals (without the silence ${falseAlarmRate(steady).toFixed(4)}), target 0.01`);
      const end = v.length - 1;
      assert.ok(v[end]!.threshold <= 1.5 * steady[end]!.threshold, `threshold at the end ${v[end]!.threshold} against ${steady[end]!.threshold} without the silence`);
      for (const at of LATERAL_AT) {
        assert.ok(v[at]!.alarm, `lateral call at ${at}: score ${v[at]!.score} threshold ${v[at]!.threshold}`);
        assert.ok(
          v[at]!.blamed.some((b) => b.src === 'user' && b.dst === 'orders-db'),
          `lateral call at ${at} blames user → orders-db: ${JSON.stringify(v[at]!.blamed.slice(0, 3))}`,
        );
      }
    });
  }
}
