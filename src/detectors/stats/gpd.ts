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
 * Departures: the level is the sample's (m + 1)-th largest value, m = max(30, n/10) (the common
 * tenth; 30 so that λ2 of the excesses has some precision), and the excesses are the values
 * strictly above it, so values tied at the level count as bulk (fewer than 30 strictly above: no
 * fit, and the caller keeps the extreme-value law); the shape is kept in
 * [−0.8, 0] (the lower bound −0.8 as the GEV's): below −0.8 L-moments barely exist, and a bounded tail (k > 0) fitted to
 * a few dozen excesses is sampling noise more often than a real bound, so the lightest tail
 * allowed is the exponential.
 */
import { lMomentsFromPwmSums, pwmSums } from './gev.ts';

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
  /** Number of excesses fitted (the values strictly above the level). */
  readonly excesses: number;
}

/** Fewest excesses a peaks-over-threshold fit uses. */
const MIN_EXCESSES = 30;
/** Fraction of a sample taken as its peaks (when that is more than MIN_EXCESSES). */
const PEAKS_FRACTION = 0.1;
const MIN_SHAPE = -0.8;
const MAX_SHAPE = 0;

/**
 * The tail of an ascending sample sorted[0, n): the values strictly above its (m + 1)-th largest,
 * m = max(MIN_EXCESSES, n/10), as excesses over it; undefined when fewer than MIN_EXCESSES are
 * strictly above it. Strictly: with ties at the level (most intervals at one score), the tied
 * values are the bulk, not zero excesses that would shrink the tail's scale; the fraction above
 * the level is then below a tenth, and `rate` says so.
 */
export function peaksTail(sorted: Float64Array, n: number): PeaksTail | undefined {
  const m = Math.min(n - 1, Math.max(MIN_EXCESSES, Math.ceil(PEAKS_FRACTION * n)));
  const level = sorted[n - m - 1]!;
  let from = n - m;
  while (from < n && sorted[from] === level) from++;
  const excesses = n - from;
  if (excesses < MIN_EXCESSES) return undefined;
  const { s0, s1, s2 } = pwmSums(sorted.subarray(from, n), excesses, level);
  const { b0: l1, l2 } = lMomentsFromPwmSums(s0, s1, s2, excesses);
  const rate = excesses / n;
  if (!(l2 > 0)) return { level, rate, scale: 0, shape: 0, meanExcess: l1, excesses };
  const shape = Math.min(MAX_SHAPE, Math.max(MIN_SHAPE, l1 / l2 - 2));
  // With the shape clamped, σ keeps the mean excess (λ1 = σ/(1 + shape)), the first moment the fit trusts most.
  return { level, rate, scale: (1 + shape) * l1, shape, meanExcess: l1, excesses };
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
  return gpdMeanExcess(tail.scale, tail.shape, x - tail.level);
}

/**
 * The mean excess over y of a generalized Pareto excess of scale σ and shape k: the excesses over
 * y are generalized Pareto of scale σ − k·y (Pickands 1975; Hosking's signs), whose mean is that
 * over 1 + k; 0 beyond a bounded tail's end.
 */
export function gpdMeanExcess(scale: number, shape: number, above: number): number {
  const at = scale - shape * above;
  return at > 0 ? at / (1 + shape) : 0;
}
