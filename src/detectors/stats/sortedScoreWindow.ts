import { pwmSums } from './gev.ts';

/** Window slides between exact recomputations of the PWM sums (see SortedScoreWindow.insert). */
const EXACT_EVERY = 100;

/** The probability-weighted moments' sums of a window, of d_i = x_(i) − base over its ascending scores. */
export interface WindowPwmSums {
  readonly base: number;
  /** Σd_i. */
  readonly sum0: number;
  /** Σd_i·i. */
  readonly sum1: number;
  /** Σd_i·i(i − 1). */
  readonly sum2: number;
}

/**
 * The last `capacity` scores, kept sorted, with the sums of their probability-weighted moments
 * (Hosking 1990: gev.ts's pwmSums) about a `base` kept current: what a calibration refits after
 * every score it learns (TailThreshold).
 *
 * Why incrementally: once the window is full each score that arrives pushes out the oldest, and
 * only the scores ranked between the leaving and the arriving one change rank (a third of the
 * window on average), each by one, so the sums follow those few instead of being summed afresh
 * over the whole window every interval. Their rounding would add up over a long run: every
 * EXACT_EVERY slides (and whenever the window has grown) the sums are counted afresh, over the
 * window shifted by its median. Why shifted: the sums of scores far from 0 (a limit of 1e6 bytes
 * ± 10) would cancel in λ2 and λ3 to a few digits; of their departures from the median, they keep
 * them, and equal scores give exactly 0.
 */
export class SortedScoreWindow {
  /** The window's scores, ascending. */
  private sorted = new Float64Array(64);
  /** The same scores in arrival order (a ring), to know which one leaves. */
  private ring = new Float64Array(64);
  private count = 0;
  private next = 0;
  // The probability-weighted moments' sums over the ascending window, of d_i = x_(i) − base:
  // Σd_i, Σd_i·i, Σd_i·i(i − 1), kept up to date as the window slides.
  private base = 0;
  private sum0 = 0;
  private sum1 = 0;
  private sum2 = 0;
  /** Slides since the sums were last counted afresh; EXACT_EVERY or more: a recount is due (as when the window has just grown). */
  private slides = EXACT_EVERY;

  constructor(
    /** Scores kept: once this many are in, each new one pushes out the oldest. */
    readonly capacity: number,
  ) {}

  /** Scores in the window. */
  get size(): number {
    return this.count;
  }

  /** The window's scores, ascending, in [0, size) (the array itself: read it before the next add()). */
  get ascending(): Float64Array {
    return this.sorted;
  }

  /** Add a score; a full window's oldest score (the ring's next) leaves as this one comes in. */
  add(score: number): void {
    const leaving = this.count === this.capacity ? lowerBound(this.sorted, this.count, this.ring[this.next]!) : -1;
    if (leaving < 0) {
      this.count++;
      this.reserve(this.count);
    }
    this.ring[this.next] = score;
    this.next = (this.next + 1) % this.capacity;
    this.insert(score, leaving);
  }

  /** The PWM sums of the window as it is, counted afresh first if a recount is due; the window must hold a score. */
  pwmSums(): WindowPwmSums {
    if (this.slides >= EXACT_EVERY) this.sumExactly();
    return { base: this.base, sum0: this.sum0, sum1: this.sum1, sum2: this.sum2 };
  }

  /** The PWM sums afresh, over the window shifted by its median (see the class comment). */
  private sumExactly(): void {
    const { sorted, count: n } = this;
    const base = sorted[n >> 1]!;
    const { s0, s1, s2 } = pwmSums(sorted, n, base);
    this.base = base;
    this.sum0 = s0;
    this.sum1 = s1;
    this.sum2 = s2;
    this.slides = 0;
  }

  private reserve(n: number): void {
    if (n <= this.sorted.length) return;
    const size = Math.min(this.capacity, 2 * this.sorted.length);
    const sorted = new Float64Array(size);
    sorted.set(this.sorted);
    const ring = new Float64Array(size);
    ring.set(this.ring);
    this.sorted = sorted;
    this.ring = ring;
  }

  /**
   * Insert into the ascending array: holding count − 1 scores while the window fills (`r` −1);
   * once it is full, holding count scores of which the one at rank `r` goes.
   */
  private insert(score: number, r: number): void {
    const sorted = this.sorted;
    if (r < 0) {
      const filled = this.count - 1;
      const at = lowerBound(sorted, filled, score);
      sorted.copyWithin(at + 1, at, filled);
      sorted[at] = score;
      this.slides = EXACT_EVERY;
      return;
    }
    // The window slides by one: only the scores ranked between the leaving and the arriving
    // one move, each by one rank, and the PWM sums follow them (a score at rank i moving to
    // i ± 1 changes d·i by ±d and d·i(i − 1) by 2d·i or −2d·(i − 1)). Exact sums every
    // EXACT_EVERY slides keep their rounding from adding up.
    const base = this.base;
    const out = sorted[r]! - base;
    const d = score - base;
    const q = lowerBound(sorted, this.count, score);
    let moved0 = 0;
    let moved1 = 0;
    let at: number;
    if (q <= r) {
      // Ranks q … r − 1 move up one; the new score takes rank q.
      for (let j = r - 1; j >= q; j--) {
        const v = sorted[j]!;
        const dj = v - base;
        moved0 += dj;
        moved1 += dj * j;
        sorted[j + 1] = v;
      }
      at = q;
    } else {
      // Ranks r + 1 … q − 1 move down one; the new score takes rank q − 1.
      for (let j = r + 1; j < q; j++) {
        const v = sorted[j]!;
        const dj = v - base;
        moved0 -= dj;
        moved1 -= dj * (j - 1);
        sorted[j - 1] = v;
      }
      at = q - 1;
    }
    sorted[at] = score;
    // Sums already due for recounting (EXACT_EVERY) may be stale: updating them costs nothing and pwmSums() recounts first.
    this.sum0 += d - out;
    this.sum1 += d * at - out * r + moved0;
    this.sum2 += d * at * (at - 1) - out * r * (r - 1) + 2 * moved1;
    this.slides++;
  }
}

/** First position in sorted[0, n) whose value is not below x. */
function lowerBound(sorted: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
