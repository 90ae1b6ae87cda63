import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';

/**
 * What `path` keeps to score a path over two intervals (PathCore, twoIntervals): the last
 * interval's per-link z, the interval it ended, and the pair values (z(t − 1) + z(t))/√2 per
 * link, which Σ/√hops over a path turns into Σ(z(t − 1) + z(t))/√(2·hops), the scan statistic of
 * a window of two (Naus, JASA 77, 1982).
 */
export class TwoIntervals {
  private previous = new Float64Array(64);
  private pair = new Float64Array(64);
  /** The end (t) of the interval `previous` holds; NaN: none to pair with (start, alarm, unscored). */
  private previousEnd = Number.NaN;

  /**
   * Whether `frame` is the interval right after the remembered one, which is then forgotten
   * until `remember`. Within half an interval, since recorders stamp reads a few ms late
   * (Munnin's 2018 runs: 5.001-5.005 s apart at dt 5); a gap between them (never shown to a
   * detector core) is a whole interval or more.
   */
  follows(frame: Frame): boolean {
    const follows = Math.abs(frame.t - frame.dt - this.previousEnd) < frame.dt / 2;
    this.previousEnd = Number.NaN;
    return follows;
  }

  /** Per link of `links`, (the remembered z + z[l])/√2 (a link not remembered counts 0); the other entries are stale. */
  pairWith(z: Float64Array, links: readonly number[]): Float64Array {
    const previous = (this.previous = ensureLength(this.previous, z.length));
    const pair = (this.pair = ensureLength(this.pair, z.length));
    for (const l of links) pair[l] = (z[l]! + previous[l]!) * Math.SQRT1_2;
    return pair;
  }

  /**
   * The judged interval's per-link z, for the next to pair with; an alarmed interval is not
   * remembered (its evidence is spent: one attack, one alarm).
   */
  remember(frame: Frame, z: Float64Array, links: readonly number[], alarm: boolean): void {
    if (alarm) return;
    const previous = (this.previous = ensureLength(this.previous, z.length));
    previous.fill(0);
    for (const l of links) previous[l] = z[l]!;
    this.previousEnd = frame.t;
  }
}
