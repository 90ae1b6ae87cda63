/** Told once a run when the limit first reaches the clip ceiling (see ClipCeiling). */
export type OnLimitAboveCeiling = (limit: number, ceiling: number, secondsIntoRun: number) => void;

/**
 * The most one interval can score on a path of `hops` hops when every hop's z is winsorised at
 * `winsorizeAt`: hops·c/√hops = c·√hops.
 */
export function clipCeiling(winsorizeAt: number, hops: number): number {
  return winsorizeAt * Math.sqrt(hops);
}

/**
 * Watches `path`'s limit against the clip ceiling of its longest candidate path and says so,
 * once a run, the first time the limit reaches it: from then on no exfiltration that fills
 * one interval can alarm, however many bytes it moves, until the limit falls back (the pair
 * score over two intervals reaches c·√(2·hops), so only an attack spread over two still can).
 * Why it matters: each alarm is learnt as a benign tail interval (TailThreshold), and on a
 * run with several attacks a short window's heavy-tailed fit climbs by a few units per alarm,
 * while the clip holds the attack's score where it is (README "What each detector watches",
 * path, "When the limit outgrows the clip": 3 of 7 caught at 100 kB on a 600-s run).
 */
export class ClipCeiling {
  private said = false;

  constructor(
    private readonly winsorizeAt: number,
    private readonly onAbove: OnLimitAboveCeiling | undefined,
  ) {}

  /** Check the limit an interval (ending `secondsIntoRun` after the run's start) was judged with, `longestHops` the longest candidate path's hops. */
  check(limit: number, longestHops: number, secondsIntoRun: number): void {
    if (this.said || this.onAbove === undefined || !(longestHops > 0)) return;
    const ceiling = clipCeiling(this.winsorizeAt, longestHops);
    // Alarms need score > limit, so a limit at the ceiling already shuts every path.
    if (!(limit >= ceiling)) return;
    this.said = true;
    this.onAbove(limit, ceiling, secondsIntoRun);
  }
}
