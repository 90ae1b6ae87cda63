import { ensureLength, ensureLengthInt } from '../growable.ts';

/**
 * Appearances of edges that ImputedEdges has not learnt, in alarmed intervals (an edge active in
 * a quiet interval is learnt at once, so only alarms leave one unlearnt). An appearance more than
 * `horizon` seconds after the one before starts the count over, as the silence layer forgets an
 * edge silent that long. ImputedEdges learns an edge whose count reaches RELEARN_AFTER_INTERVALS.
 *
 * Why: an intermittent benign new edge (a cron-like call to a new destination, every few
 * intervals) alarmed at each appearance, so it was never learnt, its silences read 0 and no
 * "5 in a row" rule of the detectors ever saw it five times in a row; the limit learnt each
 * appearance as an event of its own and rose ~260 times.
 */
export class RecurringEdges {
  /** Per position: appearances counted, and the time (s) of the last. */
  private count = new Int32Array(64);
  private lastT = new Float64Array(64);

  constructor(private readonly horizon: number) {}

  /** Edge p active at t in an alarmed interval: its count, this appearance included. */
  seen(p: number, t: number): number {
    if (p >= this.count.length) {
      this.count = ensureLengthInt(this.count, p + 1);
      this.lastT = ensureLength(this.lastT, p + 1);
    }
    const n = this.count[p]! > 0 && t - this.lastT[p]! <= this.horizon ? this.count[p]! + 1 : 1;
    this.count[p] = n;
    this.lastT[p] = t;
    return n;
  }

  /** Start position p's count over (it was learnt, or holds another edge now). */
  forget(p: number): void {
    if (p < this.count.length) this.count[p] = 0;
  }
}
