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

/**
 * `scrape`: the data is pulled through the API by a client outside, one request (300 bytes, as
 * sockShopRun's) per `bytesPerRequest` bytes pulled, so the front door (external → front-end)
 * also gets those requests (the injector's requestBytesPerByte).
 */
export function injectedAttack(detector: OperatorFunction<Frame, Verdict>, bytesPerInterval: number, seed = 21, scrape?: { readonly bytesPerRequest: number }): { verdicts: Verdict[]; attackVerdicts: Verdict[] } {
  const benign = sockShopRun({ intervals: 500, seed });
  const start = benign[0]!.t - benign[0]!.dt;
  const inWindow = (t: number) => ATTACK_WINDOWS.some((w) => t - start > w.startSeconds && t - start <= w.endSeconds);
  const requestBytesPerByte = scrape === undefined ? 0 : 300 / scrape.bytesPerRequest;
  let snapshots: Snapshot[] = [];
  from(benign)
    .pipe(
      injectExfiltration({ bytesPerInterval, intervalSeconds: 2, at: ATTACK_WINDOWS, runMetrics: ['requests', 'request_bytes', 'response_bytes'], requestBytesPerByte }),
      toArray(),
    )
    .subscribe((s) => (snapshots = s));
  let verdicts: Verdict[] = [];
  from(snapshots)
    .pipe(vectorize(), detector, toArray())
    .subscribe((v) => (verdicts = v));
  return { verdicts, attackVerdicts: verdicts.filter((v) => inWindow(v.t)) };
}

/**
 * One line of a measurement table (the measure*.ts scripts): a detector over the seeded runs with
 * `bytesPerInterval` injected: interval TPR, attack windows caught, and the false-alarm rate on
 * the benign intervals after training.
 */
export function measureLine(name: string, detector: () => OperatorFunction<Frame, Verdict>, bytesPerInterval: number, seeds: readonly number[]): string {
  let tp = 0;
  let positives = 0;
  let fp = 0;
  let benign = 0;
  let caught = 0;
  for (const seed of seeds) {
    const { verdicts, attackVerdicts } = injectedAttack(detector(), bytesPerInterval, seed);
    const attack = new Set(attackVerdicts);
    tp += attackVerdicts.filter((v) => v.alarm).length;
    positives += attackVerdicts.length;
    for (const v of verdicts) {
      if (v.training || attack.has(v)) continue;
      benign++;
      if (v.alarm) fp++;
    }
    for (let w = 0; w < ATTACK_WINDOWS.length; w++) if (attackVerdicts.slice(5 * w, 5 * w + 5).some((v) => v.alarm)) caught++;
  }
  return `${String(bytesPerInterval).padStart(8)}  ${name.padEnd(13)}  ${(tp / positives).toFixed(2).padStart(12)}  ${`${caught}/${seeds.length * ATTACK_WINDOWS.length}`.padStart(14)}  ${(fp / benign).toFixed(3).padStart(10)}`;
}
