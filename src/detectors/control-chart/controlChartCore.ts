import { ensureLength, ensureLengthInt } from '../growable.ts';
import { SeriesChart, type SeriesSource } from '../series/index.ts';
import { WARMUP_OBSERVATIONS, type AlarmLimit } from '../stats/index.ts';

export interface ControlChartParameters {
  /** Active values (x > 0) in each series' moving window; the current one is not in it. */
  readonly windowIntervals: number;
  readonly sides: 'upper' | 'both';
  /** Smallest σ used, in the series' unit. */
  readonly minStd: number;
  /** Smallest σ as a fraction of the window's mean. */
  readonly relativeMinStd: number;
}

/**
 * A Shewhart chart per series on a moving window of the series' last W ACTIVE values (x > 0)
 * before the current interval: z = (x − mean)/σ with the window's mean and sample standard
 * deviation (n − 1), then x enters the window. Munnin computed the limits with the current
 * point already included, which pulls the mean toward an attack and widens σ; here it cannot.
 *
 * - Silent-then-busy series: the window holds active values only, so a health check every
 *   40th interval is compared with earlier health checks, not with a window of zeros. A series
 *   is scored once its window holds WARMUP_OBSERVATIONS values; a silence is scored (two-sided)
 *   only on a series whose last W intervals were all active.
 * - Numerically stable: the window's sums are of x − K, K the series' first value (the
 *   shifted-data algorithm, Chan, Golub & LeVeque, The American Statistician 37, 1983), so a
 *   1e9-byte edge varying by ±20 keeps its variance (Σx² − n·mean² cancelled it to noise),
 *   and are re-summed exactly once per W pushes so rounding cannot drift.
 * - Not poisoned: a value over the limit does not enter the window (the detector never learns
 *   from what it alarmed on), unless the change lasts (see LearningGate).
 * - σ never falls below max(minStd, relativeMinStd·|mean|).
 *
 * Score, threshold, blame and what is learnt when: see SeriesChart.
 */
export class ControlChart extends SeriesChart {
  /**
   * The rings of the series that have one (ring r owns [r·W, (r + 1)·W)). A series gets its
   * ring at its second value: the first one is its shift K, so what it stores is x − K = 0, and
   * a series seen once (most of a connection log's pairs) holds no W-value window.
   */
  private window = new Float64Array(0);
  /** Per series, its ring (−1: none yet). */
  private ringOf = new Int32Array(0);
  private rings = 0;
  private shift = new Float64Array(64);
  private sum = new Float64Array(64);
  private sumSquares = new Float64Array(64);
  private filled = new Float64Array(64);
  private pushes = new Float64Array(64);
  /** Consecutive active intervals, up to W (a silence is judged only after W of them). */
  private streak = new Float64Array(64);
  private capacity = 0;
  private readonly twoSided: boolean;

  constructor(
    source: SeriesSource,
    private readonly p: ControlChartParameters,
    limit: AlarmLimit,
    onTrained?: () => void,
  ) {
    super(source, limit, onTrained);
    this.twoSided = p.sides === 'both';
  }

  protected zOf(i: number, v: number): number {
    if (Number.isNaN(v) || this.filled[i]! < WARMUP_OBSERVATIONS) return Number.NaN;
    if (!(v > 0) && !(this.twoSided && this.streak[i]! >= this.p.windowIntervals)) return Number.NaN;
    const mean = this.mean(i);
    const d = v - mean;
    return (this.twoSided ? Math.abs(d) : d) / this.sigma(i, mean);
  }

  /** An active value enters its window when admitted; every value keeps the activity streak. */
  protected learnValue(i: number, v: number, admitted: boolean): void {
    if (Number.isNaN(v)) return;
    if (!(v > 0)) {
      this.streak[i] = 0;
      return;
    }
    const w = this.p.windowIntervals;
    if (this.streak[i]! < w) this.streak[i]!++;
    if (admitted) this.push(i, v, w);
  }

  private mean(i: number): number {
    return this.shift[i]! + this.sum[i]! / this.filled[i]!;
  }

  private sigma(i: number, mean: number): number {
    const n = this.filled[i]!;
    const s = this.sum[i]!;
    const variance = (this.sumSquares[i]! - (s * s) / n) / (n - 1);
    let sigma = variance > 0 ? Math.sqrt(variance) : 0;
    const relative = this.p.relativeMinStd * Math.abs(mean);
    if (sigma < relative) sigma = relative;
    if (sigma < this.p.minStd) sigma = this.p.minStd;
    return sigma;
  }

  private push(i: number, v: number, w: number): void {
    if (this.pushes[i] === 0) {
      // The first value is the shift: it enters the window as 0 (sums unchanged), in slot 0 of the ring made at the second.
      this.shift[i] = v;
      this.filled[i]!++;
      this.pushes[i]!++;
      return;
    }
    const slot = this.ringFor(i, w) + (this.pushes[i]! % w);
    const incoming = v - this.shift[i]!;
    if (this.filled[i]! < w) this.filled[i]!++;
    else {
      const outgoing = this.window[slot]!;
      this.sum[i]! -= outgoing;
      this.sumSquares[i]! -= outgoing * outgoing;
    }
    this.window[slot] = incoming;
    this.sum[i]! += incoming;
    this.sumSquares[i]! += incoming * incoming;
    if (++this.pushes[i]! % w === 0) {
      let s = 0;
      let q = 0;
      const start = this.ringOf[i]! * w;
      for (let j = start; j < start + w; j++) {
        s += this.window[j]!;
        q += this.window[j]! * this.window[j]!;
      }
      this.sum[i] = s;
      this.sumSquares[i] = q;
    }
  }

  /** Start of series i's ring, made (all 0) when it has none. */
  private ringFor(i: number, w: number): number {
    let r = this.ringOf[i]!;
    if (r < 0) {
      r = this.rings++;
      if (this.window.length < this.rings * w) {
        const window = new Float64Array(Math.max(this.rings, 2 * (this.window.length / w), 16) * w);
        window.set(this.window);
        this.window = window;
      }
      this.ringOf[i] = r;
    }
    return r * w;
  }

  protected resetSlot(s: number): void {
    for (const key of ['shift', 'sum', 'sumSquares', 'filled', 'pushes', 'streak'] as const) if (s < this[key].length) this[key][s] = 0;
    // A ring kept from the slot's last series: back to all 0 (its first value will be slot 0's 0).
    const r = s < this.ringOf.length ? this.ringOf[s]! : -1;
    if (r >= 0) this.window.fill(0, r * this.p.windowIntervals, (r + 1) * this.p.windowIntervals);
  }

  protected reserve(n: number): void {
    if (n > this.capacity) {
      this.ringOf = ensureLengthInt(this.ringOf, n, -1);
      this.capacity = this.ringOf.length;
    }
    // Written out: a loop over the field names made each a keyed access by string, every interval.
    this.shift = ensureLength(this.shift, n);
    this.sum = ensureLength(this.sum, n);
    this.sumSquares = ensureLength(this.sumSquares, n);
    this.filled = ensureLength(this.filled, n);
    this.pushes = ensureLength(this.pushes, n);
    this.streak = ensureLength(this.streak, n);
  }
}
