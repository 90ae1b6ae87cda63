import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesSource } from '../series/index.ts';
import { LearningGate, TopBlamed, WARMUP_OBSERVATIONS, type AlarmLimit } from '../stats/index.ts';

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
 * The interval's score is the largest z; its threshold comes from the AlarmLimit (calibrated to
 * the false-alarm rate by default), which learns every interval's score, training included.
 */
export class ControlChart implements DetectorCore {
  /** Ring per series (series-major: series i owns [i·W, (i + 1)·W)). */
  private window = new Float64Array(0);
  private shift = new Float64Array(64);
  private sum = new Float64Array(64);
  private sumSquares = new Float64Array(64);
  private filled = new Float64Array(64);
  private pushes = new Float64Array(64);
  /** Consecutive active intervals, up to W (a silence is judged only after W of them). */
  private streak = new Float64Array(64);
  private capacity = 0;
  private judged = false;
  private lastCount = 0;
  private z = new Float64Array(64);
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();

  constructor(
    private readonly source: SeriesSource,
    private readonly p: ControlChartParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
  ) {}

  train(frame: Frame): void {
    const { score } = this.scoreFrame(frame);
    this.limit.learn(score);
    this.pushFrame(Number.NaN);
  }

  judge(frame: Frame): Judgement {
    if (!this.judged) {
      this.judged = true;
      this.onTrained?.();
    }
    const { score, judged } = this.scoreFrame(frame);
    const threshold = this.limit.limit(judged);
    const top = this.top;
    top.reset();
    if (score > threshold) for (let i = 0; i < this.lastCount; i++) if (this.z[i]! > threshold) top.offer(i, this.z[i]!);
    const blamed = score > threshold ? top.toBlamed((s) => this.source.label(s)) : [];
    this.limit.learn(score);
    this.pushFrame(threshold);
    return { score: Number.isNaN(score) ? 0 : score, threshold, blamed };
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

  private scoreFrame(frame: Frame): { score: number; judged: number } {
    const n = this.source.read(frame);
    this.lastCount = n;
    this.reserve(n);
    const x = this.source.values;
    const z = this.z;
    const twoSided = this.p.sides === 'both';
    const w = this.p.windowIntervals;
    let score = Number.NEGATIVE_INFINITY;
    let judged = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      z[i] = Number.NaN;
      if (Number.isNaN(v) || this.filled[i]! < WARMUP_OBSERVATIONS) continue;
      if (!(v > 0) && !(twoSided && this.streak[i]! >= w)) continue;
      const mean = this.mean(i);
      const d = v - mean;
      const zi = (twoSided ? Math.abs(d) : d) / this.sigma(i, mean);
      z[i] = zi;
      judged++;
      if (zi > score) score = zi;
    }
    return { score: judged === 0 ? Number.NaN : score, judged };
  }

  /** Every active value enters its window, except one over `threshold` (see LearningGate); NaN: all enter. */
  private pushFrame(threshold: number): void {
    const x = this.source.values;
    const w = this.p.windowIntervals;
    for (let i = 0; i < this.lastCount; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) continue;
      if (!(v > 0)) {
        this.streak[i] = 0;
        continue;
      }
      if (this.streak[i]! < w) this.streak[i]!++;
      if (this.gate.admit(i, this.z[i]! > threshold)) this.push(i, v, w);
    }
  }

  private push(i: number, v: number, w: number): void {
    if (this.pushes[i] === 0) this.shift[i] = v;
    const slot = i * w + (this.pushes[i]! % w);
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
      for (let j = i * w; j < (i + 1) * w; j++) {
        s += this.window[j]!;
        q += this.window[j]! * this.window[j]!;
      }
      this.sum[i] = s;
      this.sumSquares[i] = q;
    }
  }

  private reserve(n: number): void {
    if (n > this.capacity) {
      const w = this.p.windowIntervals;
      const capacity = Math.max(n, this.capacity * 2, 16);
      const window = new Float64Array(capacity * w);
      window.set(this.window);
      this.window = window;
      this.capacity = capacity;
    }
    for (const key of ['shift', 'sum', 'sumSquares', 'filled', 'pushes', 'streak', 'z'] as const) this[key] = ensureLength(this[key], n);
  }
}
