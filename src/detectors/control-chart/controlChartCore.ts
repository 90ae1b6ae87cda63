import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { FamilyLimit, TopBlamed, type MultipleComparisons } from '../stats/index.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesSource } from '../series/index.ts';

export interface ControlChartParameters {
  /** Intervals in the moving window (non-gap intervals; the current one is not in it). */
  readonly windowIntervals: number;
  /** Alarm limit, in standard deviations. */
  readonly k: number;
  /** How k is adjusted for the number of series judged at once (see FamilyLimit). */
  readonly multipleComparisons: MultipleComparisons;
  readonly sides: 'upper' | 'both';
  /** Smallest σ used, in the series' unit. */
  readonly minStd: number;
  /** Smallest σ as a fraction of |mean|. */
  readonly relativeMinStd: number;
}

/**
 * A Shewhart chart per series on a moving window of the W intervals BEFORE the current one:
 * z = (x − mean)/σ with the window's mean and sample standard deviation (n − 1), then x
 * enters the window. Munnin computed the limits with the current point already included,
 * which pulls the mean toward an attack and widens σ; here it cannot.
 *
 * The window is a ring buffer per series (series-major, so new series append) with running
 * sums, re-summed exactly once per W frames so rounding cannot drift.
 */
export class ControlChart implements DetectorCore {
  private window = new Float64Array(0);
  private sum = new Float64Array(64);
  private sumSquares = new Float64Array(64);
  private capacity = 0;
  private pushed = 0;
  private judged = false;
  private readonly top = new TopBlamed();
  private readonly family: FamilyLimit;

  constructor(
    private readonly source: SeriesSource,
    private readonly p: ControlChartParameters,
    private readonly onTrained?: () => void,
  ) {
    this.family = new FamilyLimit(p.k, p.multipleComparisons);
  }

  train(frame: Frame): void {
    this.push(this.source.read(frame));
  }

  judge(frame: Frame): Judgement {
    if (!this.judged) {
      this.judged = true;
      this.onTrained?.();
    }
    const n = this.source.read(frame);
    this.reserve(n);
    const x = this.source.values;
    const { sum, sumSquares } = this;
    const { k, minStd, relativeMinStd } = this.p;
    const twoSided = this.p.sides === 'both';
    const count = Math.min(this.pushed, this.p.windowIntervals);
    const top = this.top;
    top.reset();
    let score = 0;
    for (let i = 0; i < n; i++) {
      const mean = count > 0 ? sum[i]! / count : 0;
      const variance = count > 1 ? (sumSquares[i]! - count * mean * mean) / (count - 1) : 0;
      let sigma = variance > 0 ? Math.sqrt(variance) : 0;
      if (sigma < minStd) sigma = minStd;
      const relative = relativeMinStd * Math.abs(mean);
      if (sigma < relative) sigma = relative;
      const d = x[i]! - mean;
      const z = (twoSided ? Math.abs(d) : d) / sigma;
      if (z > score) score = z;
      if (z > k) top.offer(i, z);
    }
    // Every series is judged; the family's limit is never below k, so all over it were offered.
    const threshold = this.family.limit(n);
    const blamed = score > threshold ? top.toBlamed((s) => this.source.label(s), threshold) : [];
    this.push(n);
    return { score, threshold, blamed };
  }

  private reserve(n: number): void {
    if (n <= this.capacity) return;
    const w = this.p.windowIntervals;
    const capacity = Math.max(n, this.capacity * 2, 16);
    const window = new Float64Array(capacity * w);
    window.set(this.window);
    this.window = window;
    this.sum = ensureLength(this.sum, capacity);
    this.sumSquares = ensureLength(this.sumSquares, capacity);
    this.capacity = capacity;
  }

  private push(n: number): void {
    this.reserve(n);
    const x = this.source.values;
    const w = this.p.windowIntervals;
    const slot = this.pushed % w;
    const { window, sum, sumSquares } = this;
    // Slots not yet written hold 0, as do series that did not exist yet: both mean no traffic.
    for (let i = 0, at = slot; i < n; i++, at += w) {
      const incoming = x[i]!;
      const outgoing = window[at]!;
      sum[i]! += incoming - outgoing;
      sumSquares[i]! += incoming * incoming - outgoing * outgoing;
      window[at] = incoming;
    }
    this.pushed++;
    if (this.pushed % w === 0) this.resum(n);
  }

  private resum(n: number): void {
    const w = this.p.windowIntervals;
    const { window, sum, sumSquares } = this;
    for (let i = 0, base = 0; i < n; i++, base += w) {
      let s = 0;
      let q = 0;
      for (let j = base; j < base + w; j++) {
        const v = window[j]!;
        s += v;
        q += v * v;
      }
      sum[i] = s;
      sumSquares[i] = q;
    }
  }
}
