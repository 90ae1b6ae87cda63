/**
 * Peaks over threshold: the upper tail of a sample as a generalized Pareto law of its excesses
 * over a high order statistic, fitted by L-moments.
 *
 * References: Pickands, "Statistical inference using extreme order statistics", Ann. Statist. 3
 * (1975), and Balkema & de Haan (1974): for nearly any law, the excesses over a high enough
 * level are generalized Pareto, whatever the law's bulk looks like; Hosking & Wallis,
 * "Parameter and quantile estimation for the generalized Pareto distribution", Technometrics 29
 * (1987), for the L-moment fit with the lower bound known (the level itself): with λ1, λ2 of the
 * excesses, shape k = λ1/λ2 − 2 and scale σ = (1 + k)λ1, and the excess quantile
 *   y(F) = σ(1 − (1 − F)^k)/k        (k ≠ 0; −σ ln(1 − F) at k = 0),
 * Hosking's signs: k < 0 a heavy (Pareto-type) tail, k > 0 a bounded one.
 *
 * Why, beside the GEV law of gev.ts: that law describes a maximum, and its three parameters are
 * fitted to the whole sample. A score that is not a maximum (a learned model's log-odds: a
 * weighted sum) can have a bulk the law cannot follow, e.g. most intervals at one value and a
 * sparse tail above it; the whole-sample fit then puts the 1 − α point just above the bulk (the
 * benign connection log's graph-lasso alarmed on 3.9 % of intervals at α = 1 %). The excesses
 * over the sample's top tenth describe the tail alone.
 *
 * Departures: the level is the sample's (k + 1)-th largest value with k = max(30, n/10) excesses
 * (the common tenth; 30 so that λ2 of the excesses has some precision); the shape is kept in
 * [−0.8, 0], as the GEV's: below −0.8 L-moments barely exist, and a bounded tail (k > 0) fitted to
 * a few dozen excesses is sampling noise more often than a real bound, so the lightest tail
 * allowed is the exponential.
 */
export interface PeaksTail {
  /** The level the excesses are counted over. */
  readonly level: number;
  /** Fraction of the sample above the level. */
  readonly rate: number;
  /** Scale σ and shape k of the excesses' generalized Pareto law (scale 0: all excesses equal). */
  readonly scale: number;
  readonly shape: number;
  /** Mean excess over the level (what an excess is on average). */
  readonly meanExcess: number;
  /** Number of excesses fitted. */
  readonly excesses: number;
}

/** Fewest excesses a peaks-over-threshold fit uses. */
export const MIN_EXCESSES = 30;
/** Fraction of a sample taken as its peaks (when that is more than MIN_EXCESSES). */
export const PEAKS_FRACTION = 0.1;
const MIN_SHAPE = -0.8;
const MAX_SHAPE = 0;

/** The tail of an ascending sample sorted[0, n) (n > MIN_EXCESSES): its top excesses over the next value down. */
export function peaksTail(sorted: ArrayLike<number>, n: number): PeaksTail {
  const k = Math.min(n - 1, Math.max(MIN_EXCESSES, Math.ceil(PEAKS_FRACTION * n)));
  const level = sorted[n - k - 1]!;
  // Unbiased PWMs of the ascending excesses: b0 = mean, b1 = Σ y_(i)·i/(k − 1) / k.
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < k; i++) {
    const y = sorted[n - k + i]! - level;
    s0 += y;
    s1 += y * i;
  }
  const l1 = s0 / k;
  const l2 = (2 * s1) / (k * (k - 1)) - l1;
  if (!(l2 > 0)) return { level, rate: k / n, scale: 0, shape: 0, meanExcess: l1, excesses: k };
  const shape = Math.min(MAX_SHAPE, Math.max(MIN_SHAPE, l1 / l2 - 2));
  // With the shape clamped, σ keeps the mean excess (λ1 = σ/(1 + k)), the first moment the fit trusts most.
  return { level, rate: k / n, scale: (1 + shape) * l1, shape, meanExcess: l1, excesses: k };
}

/** The value the sample's law exceeds with probability p (p < tail.rate): the level plus the excess quantile at p/rate. */
export function peaksQuantile(tail: PeaksTail, p: number): number {
  return tail.level + excessQuantile(tail, p / tail.rate);
}

/** The excess over the level that is exceeded with probability q (of an excess). */
function excessQuantile(tail: PeaksTail, q: number): number {
  if (tail.scale === 0) return tail.meanExcess;
  if (tail.shape === 0) return -tail.scale * Math.log(q);
  return (tail.scale * -Math.expm1(tail.shape * Math.log(q))) / tail.shape;
}

/** E[X − x | X > x] for x above the level: the excesses over x are generalized Pareto of scale σ − k(x − level), mean that over 1 + k. */
export function peaksMeanExcess(tail: PeaksTail, x: number): number {
  if (tail.scale === 0) return 0;
  const scale = tail.scale - tail.shape * (x - tail.level);
  return scale > 0 ? scale / (1 + tail.shape) : 0;
}
