import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { FamilyLimit, TopBlamed, type MultipleComparisons } from '../stats/index.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesSource } from '../series/index.ts';

export interface EwmaChartParameters {
  /** Weight of the newest observation in the mean and variance, in (0, 1]. */
  readonly lambda: number;
  /** Alarm limit, in standard deviations. */
  readonly k: number;
  /** How k is adjusted for the number of series judged at once (see FamilyLimit). */
  readonly multipleComparisons: MultipleComparisons;
  /** `upper`: only x above the mean counts; `both`: either direction. */
  readonly sides: 'upper' | 'both';
  /** Smallest σ used, in the series' unit (a flat history has σ = 0). */
  readonly minStd: number;
  /** Smallest σ as a fraction of |mean|. */
  readonly relativeMinStd: number;
}

/**
 * An EWMA forecast chart, one per series.
 *
 * Training: the starting mean and variance of each series are the sample mean and variance
 * (n − 1) of the training stretch. Scoring x_t: r = x_t − m_{t−1}, σ = max(√v_{t−1}, minStd,
 * relativeMinStd·|m_{t−1}|), z = r/σ (|r|/σ two-sided); only then is the state updated with
 * x_t: m_t = m_{t−1} + λr, v_t = (1 − λ)(v_{t−1} + λr²) (the exponentially weighted variance,
 * Finch 2009), so the limit for x_t comes from the past alone.
 * Score = max(0, max z) over series, threshold k (or k_m for the m series judged, see
 * FamilyLimit); blamed = series with z over the threshold.
 * A series first seen after training starts at m = v = 0: it carried nothing before.
 */
export class EwmaChart implements DetectorCore {
  private mean = new Float64Array(64);
  private variance = new Float64Array(64);
  /** Training only: sums over the training frames, and how many frames each series was unknown. */
  private sum = new Float64Array(64);
  private sumSquares = new Float64Array(64);
  private unknown = new Float64Array(64);
  private trainingFrames = 0;
  private trained = false;
  private readonly top = new TopBlamed();
  private readonly family: FamilyLimit;

  constructor(
    private readonly source: SeriesSource,
    private readonly p: EwmaChartParameters,
    /** Called once when training ends (e.g. to warn that nothing was watched). */
    private readonly onTrained?: () => void,
  ) {
    this.family = new FamilyLimit(p.k, p.multipleComparisons);
  }

  train(frame: Frame): void {
    const n = this.source.read(frame);
    const x = this.source.values;
    this.sum = ensureLength(this.sum, n);
    this.sumSquares = ensureLength(this.sumSquares, n);
    this.unknown = ensureLength(this.unknown, n);
    const { sum, sumSquares, unknown } = this;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) unknown[i]!++;
      else {
        sum[i]! += v;
        sumSquares[i]! += v * v;
      }
    }
    this.trainingFrames++;
  }

  private finishTraining(): void {
    this.trained = true;
    const series = this.sum.length;
    this.mean = ensureLength(this.mean, series);
    this.variance = ensureLength(this.variance, series);
    for (let i = 0; i < series; i++) {
      // Frames before a series existed count as zeros: they add nothing to the sums.
      const n = this.trainingFrames - this.unknown[i]!;
      if (n <= 0) continue;
      const mean = this.sum[i]! / n;
      this.mean[i] = mean;
      this.variance[i] = n > 1 ? Math.max(0, (this.sumSquares[i]! - n * mean * mean) / (n - 1)) : 0;
    }
    this.onTrained?.();
  }

  judge(frame: Frame): Judgement {
    if (!this.trained) this.finishTraining();
    const n = this.source.read(frame);
    const x = this.source.values;
    const mean = (this.mean = ensureLength(this.mean, n));
    const variance = (this.variance = ensureLength(this.variance, n));
    const { lambda, k, minStd, relativeMinStd } = this.p;
    const twoSided = this.p.sides === 'both';
    const top = this.top;
    top.reset();
    let score = 0;
    let judged = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) continue;
      judged++;
      const m = mean[i]!;
      const r = v - m;
      let sigma = Math.sqrt(variance[i]!);
      if (sigma < minStd) sigma = minStd;
      const relative = relativeMinStd * Math.abs(m);
      if (sigma < relative) sigma = relative;
      const z = (twoSided ? Math.abs(r) : r) / sigma;
      if (z > score) score = z;
      if (z > k) top.offer(i, z);
      mean[i] = m + lambda * r;
      variance[i] = (1 - lambda) * (variance[i]! + lambda * r * r);
    }
    // The family's limit is never below k: every series over it was offered.
    const threshold = this.family.limit(judged);
    return { score, threshold, blamed: score > threshold ? top.toBlamed((s) => this.source.label(s), threshold) : [] };
  }
}
