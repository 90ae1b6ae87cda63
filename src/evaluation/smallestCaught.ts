import type { RunsComparison } from './compareRuns.ts';

/** Per detector, the smallest exfiltration it catches while keeping false alarms down. */
export interface SmallestCaught {
  readonly detector: string;
  /** Smallest size (bytes) whose TPR reaches each share, with that size's FPR within `maxFpr`; null: none. */
  readonly bytesAt: Readonly<Record<string, number | null>>;
}

/**
 * For each detector, the smallest size in the comparison's table by bytes at which it
 * catches at least each share of the attacks (events caught / events) while its false-alarm
 * rate over the runs of that size stays at or under `maxFpr`. At the detectors' own thresholds
 * (the configured falseAlarmRate), nothing re-tuned with hindsight.
 */
export function smallestCaught(c: RunsComparison, maxFpr: number, shares: readonly number[] = [0.5, 0.9]): SmallestCaught[] {
  const sized = c.byBytes.filter((r) => r.bytes !== null && r.bytes > 0).sort((a, b) => a.bytes! - b.bytes!);
  return c.detectors.map((detector) => ({
    detector,
    bytesAt: Object.fromEntries(
      shares.map((share) => {
        const row = sized.find((r) => {
          const f = r.detectors[detector];
          return f !== undefined && f.tpr !== null && f.tpr >= share && f.fpr !== null && f.fpr <= maxFpr;
        });
        return [String(share), row === undefined ? null : row.bytes];
      }),
    ),
  }));
}
