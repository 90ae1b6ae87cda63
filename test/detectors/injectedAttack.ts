// A constructed attack for blame tests: the Sock Shop-shaped benign run with an exfiltration
// injected by the replay's own injector (every hop gets the same bytes), judged by one detector.

import { from, toArray, type OperatorFunction } from 'rxjs';
import { vectorize } from '../../src/detectors/index.ts';
import { injectExfiltration } from '../../src/replay/index.ts';
import type { Frame, Snapshot, Verdict } from '../../src/types.ts';
import { sockShopRun } from './sockShopRun.ts';

/** Attack windows, in seconds after the run's start: four bursts of five 2-s intervals after 120 s of training. */
export const ATTACK_WINDOWS = [
  { startSeconds: 300, endSeconds: 310 },
  { startSeconds: 500, endSeconds: 510 },
  { startSeconds: 700, endSeconds: 710 },
  { startSeconds: 900, endSeconds: 910 },
];

export function injectedAttack(detector: OperatorFunction<Frame, Verdict>, bytesPerInterval: number, seed = 21): { verdicts: Verdict[]; attackVerdicts: Verdict[] } {
  const benign = sockShopRun({ intervals: 500, seed });
  const start = benign[0]!.t - benign[0]!.dt;
  let snapshots: Snapshot[] = [];
  from(benign)
    .pipe(
      injectExfiltration({ bytesPerInterval, intervalSeconds: 2, at: ATTACK_WINDOWS, runMetrics: ['requests', 'request_bytes', 'response_bytes'] }),
      toArray(),
    )
    .subscribe((s) => (snapshots = s));
  let verdicts: Verdict[] = [];
  from(snapshots)
    .pipe(vectorize(), detector, toArray())
    .subscribe((v) => (verdicts = v));
  const inAttack = (v: Verdict) => ATTACK_WINDOWS.some((w) => v.t - start > w.startSeconds && v.t - start <= w.endSeconds);
  return { verdicts, attackVerdicts: verdicts.filter(inAttack) };
}
