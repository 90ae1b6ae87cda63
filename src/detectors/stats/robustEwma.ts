import { ensureLength } from '../growable.ts';

/** Huber's clipping point for the level, and the clipping point of the scale's ρ, in σ. */
const CLIP = 2;
/** E[min(Z², CLIP²)] for a standard normal Z = (2Φ(2) − 1) − 2·2·φ(2) + 4·2Φ̄(2): ρ's normal-consistency factor. */
const RHO_NORMALIZER = 0.9205;
/** Active observations a series needs before it is scored (the first ones only start the estimates). */
export const WARMUP_OBSERVATIONS = 5;

/**
 * Var(ρ)/E[ρ]² for ρ = min(Z², 4), Z standard normal: (2.0798 − 0.9205²)/0.9205² = 1.4546, where
 * E[min(Z², 4)²] = 3(2Φ(2) − 1) − 2φ(2)(2³ + 3·2) + 16·2Φ̄(2) = 2.0798 (against 2 for Z² itself):
 * the clipped square is a less variable estimate of the scale than the plain one.
 */
const CLIPPED_SQUARE_RELATIVE_VARIANCE = 1.4546;

/**
 * Degrees of freedom of RobustEwma's scale, for reading its z against Student's t: an
 * exponentially weighted mean of weight λσ averages (2 − λσ)/λσ terms' worth (19 at 0.1), and a
 * mean of clipped squares is worth 2/1.4546 times as many plain ones (26 at 0.1). Checked by
 * simulation on a normal series: P(z > 3) = 0.0036, P(z > 4.2) = 1.9e-4 (t26: 0.0029, 1.4e-4;
 * t19: 0.0037, 2.4e-4).
 */
export function EWMA_SCALE_DEGREES_OF_FREEDOM(scaleLambda: number): number {
  return ((2 - scaleLambda) / scaleLambda) * (2 / CLIPPED_SQUARE_RELATIVE_VARIANCE);
}

export interface RobustEwmaParameters {
  /** λ: weight of the newest observation in the level, in (0, 1]. */
  readonly lambda: number;
  /** Weight of the newest observation in the scale, in (0, 1]. */
  readonly scaleLambda: number;
  /** Smallest σ, in the series' unit. */
  readonly minStd: number;
  /** Smallest σ as a fraction of the series' own level. */
  readonly relativeMinStd: number;
}

/**
 * Per-series level and scale of one-step forecast errors, robust to bursts, in typed arrays.
 *
 * Reference: Gelper, Fried & Croux, "Robust forecasting with exponential and Holt–Winters
 * smoothing", Journal of Forecasting 29 (2010): the forecast error r = x − L is clipped at
 * ±2σ before it moves the level (Huber's ψ), and the scale follows
 *   σ² ← (1 − λσ)σ² + λσ·σ²·ρ(r/σ)/E[ρ(Z)],  ρ(u) = min(u², 2²),
 * so a burst moves level and scale by at most what a 2σ error does (their biweight ρ is
 * replaced by the clipped square, whose normal consistency factor is closed-form). σ tracks the
 * spread of the forecast error itself, not of x around its average (the variance recursion
 * (1 − λ)(v + λr²) this chart used before is (1 − λ)·E[r²], so z was √(1/(1 − λ)) too large).
 *
 * Silent-then-busy series: a series is modelled by its active intervals (x > 0). An interval
 * without traffic is not a tiny observation: it neither moves level nor scale, so a health
 * check every 40th interval is judged against earlier health checks, not against zeros. The
 * first WARMUP_OBSERVATIONS active values start the estimates (plain mean and variance) and
 * are not scored. `activity` follows how often the series is active (weight λσ).
 *
 * Departure: σ never falls below max(minStd, relativeMinStd·|L|), so a constant series (a
 * health check of always the same size) does not divide by ~0.
 */
export class RobustEwma {
  level = new Float64Array(64);
  variance = new Float64Array(64);
  count = new Float64Array(64);
  activity = new Float64Array(64);

  constructor(private readonly p: RobustEwmaParameters) {}

  reserve(n: number): void {
    if (n <= this.level.length) return;
    this.level = ensureLength(this.level, n);
    this.variance = ensureLength(this.variance, n);
    this.count = ensureLength(this.count, n);
    this.activity = ensureLength(this.activity, n);
  }

  /** Series i starts over (as one never seen). */
  reset(i: number): void {
    this.level[i] = 0;
    this.variance[i] = 0;
    this.count[i] = 0;
    this.activity[i] = 0;
  }

  /** σ used for series i (the floors applied). */
  sigma(i: number): number {
    let s = Math.sqrt(this.variance[i]!);
    const relative = this.p.relativeMinStd * Math.abs(this.level[i]!);
    if (s < relative) s = relative;
    if (s < this.p.minStd) s = this.p.minStd;
    return s;
  }

  /**
   * z of x for series i (x − L)/σ, |x − L|/σ two-sided; NaN when the series is not scored: still
   * warming up, or silent (a silence is scored, two-sided, only on a series active ≥ 90 % of the time).
   */
  score(i: number, x: number, twoSided: boolean): number {
    if (this.count[i]! < WARMUP_OBSERVATIONS) return Number.NaN;
    if (!(x > 0) && !(twoSided && this.activity[i]! >= 0.9)) return Number.NaN;
    const r = x - this.level[i]!;
    return (twoSided ? Math.abs(r) : r) / this.sigma(i);
  }

  /**
   * What learn(i, 0) does `intervals` times: a silent interval only lowers the activity, by the
   * same expression step by step (so the numbers are those of a chart that learnt every silence).
   * Past 1,000 steps the activity is below 1e-45 of what it was, and the rest is one power.
   */
  decayActivity(i: number, intervals: number): void {
    let a = this.activity[i]!;
    if (a === 0) return;
    const lambda = this.p.scaleLambda;
    const steps = Math.min(intervals, 1000);
    for (let q = 0; q < steps; q++) a += lambda * (0 - a);
    if (intervals > steps) a *= (1 - lambda) ** (intervals - steps);
    this.activity[i] = a;
  }

  /** Learn x (NaN: unknown, skipped). */
  learn(i: number, x: number): void {
    if (Number.isNaN(x)) return;
    const { scaleLambda } = this.p;
    const active = x > 0 ? 1 : 0;
    this.activity[i]! += scaleLambda * (active - this.activity[i]!);
    if (!active) return;
    const n = ++this.count[i]!;
    const r = x - this.level[i]!;
    if (n <= WARMUP_OBSERVATIONS) {
      // Start-up: the running mean and the running (n − 1) variance of the first values.
      this.level[i]! += r / n;
      if (n > 1) this.variance[i]! += (r * r * ((n - 1) / n) - this.variance[i]!) / (n - 1);
      return;
    }
    const s = this.sigma(i);
    const clipped = r > CLIP * s ? CLIP * s : r < -CLIP * s ? -CLIP * s : r;
    this.level[i]! += Math.max(this.p.lambda, 1 / n) * clipped;
    const u2 = (r / s) * (r / s);
    const b = Math.max(scaleLambda, 1 / (n - 1));
    this.variance[i] = (1 - b) * this.variance[i]! + (b * s * s * Math.min(u2, CLIP * CLIP)) / RHO_NORMALIZER;
  }
}
