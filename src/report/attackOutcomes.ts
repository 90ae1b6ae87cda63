import type { BlamedEdge } from '../types.ts';
import { firstBlame } from '../evaluation/attackIntervals.ts';
import type { Timeline } from './timeline.ts';

/** Whether one detector caught one attack, and how fast. */
export interface AttackOutcome {
  /** False when none of its intervals, nor the one after, was scored (training, gaps, outside the run). */
  readonly scored: boolean;
  readonly detected: boolean;
  /** End of the first alarmed interval minus the attack's start, seconds. */
  readonly delaySeconds?: number;
  /**
   * The detecting alarm's first blamed edge (null: it blamed none) and whether it lies on the
   * attack's path (summary.json's firstBlamed and blameOnPath); absent when missed or when
   * alerts.ndjson has no line for that alarm.
   */
  readonly blame?: ReturnType<typeof firstBlame>;
}

/**
 * Per attack (in timeline order): detected when an alarm falls in one of its intervals or
 * in the interval right after it (run-format.md), the delay measured to the end of the
 * first such interval, when the alarm could be raised. `blamedAt`: per interval position, the
 * edges the detector's alert there blamed (alerts.ndjson), to tell whether the detecting
 * alarm was about the attack or only fell in its interval.
 */
export function attackOutcomes(
  timeline: Timeline,
  scoredPositions: ReadonlySet<number>,
  alarmPositions: ReadonlySet<number>,
  blamedAt?: ReadonlyMap<number, readonly Pick<BlamedEdge, 'src' | 'dst'>[]>,
): AttackOutcome[] {
  return timeline.attacks.map((a): AttackOutcome => {
    const window = a.after === undefined ? a.intervals : [...a.intervals, a.after];
    const scored = window.some((p) => scoredPositions.has(p));
    const first = window.find((p) => alarmPositions.has(p));
    const s = first === undefined ? undefined : timeline.snapshots[first];
    if (!s) return { scored, detected: false };
    const blamed = blamedAt?.get(first!);
    return { scored, detected: true, delaySeconds: Math.max(0, s.t - a.event.start), ...(blamed ? { blame: firstBlame(blamed, a.event.path) } : {}) };
  });
}
