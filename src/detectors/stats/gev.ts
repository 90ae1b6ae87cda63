import { logGamma } from '../linalg/index.ts';

/**
 * The generalized extreme-value law, fitted by L-moments.
 *
 * Reference: Hosking, Wallis & Wood, "Estimation of the generalized extreme-value distribution
 * by the method of probability-weighted moments", Technometrics 27 (1985); Hosking, "L-moments",
 * JRSS B 52 (1990). Hosking's parametrisation: location ξ, scale α > 0, shape k, with quantile
 *   x(F) = ξ + α(1 − (−ln F)^k)/k          (k ≠ 0)
 *   x(F) = ξ − α ln(−ln F)                 (k = 0, Gumbel)
 * k < 0 is a heavy (Fréchet-type) upper tail, k > 0 a bounded one. L-moments are used rather
 * than maximum likelihood because they are what hydrology uses for the same problem (a
 * 1-in-100 level from a few dozen maxima): nearly unbiased at small n and insensitive to a
 * single large value.
 *
 * Departure: k is kept in [−0.8, 0.15]. Below −0.8 the tail index (−1/k) falls under 1.25 and
 * L-moments of the law barely exist (they do only for k > −1); −0.8 still covers bursts with
 * Pareto tails of index 1.5 (the bursty synthetic runs; −0.5, the bound the classic
 * approximation of k allows, made them alarm at 2× the rate). A clearly bounded upper tail (k well above 0) fitted on a few dozen interval
 * scores is sampling noise more often than a real bound and would put the 1 − α point too low
 * (false alarms); k = 0 (Gumbel) for everything light, on the other hand, overstates the tail
 * of a maximum of a few near-normal z's (k ≈ 0.2-0.3) and made single-series charts alarm at
 * a fifth of the rate. 0.15 was chosen on the synthetic calibration suite (never on real runs).
 */
export interface Gev {
  readonly location: number;
  readonly scale: number;
  readonly shape: number;
}

const EULER_GAMMA = 0.5772156649015329;
const MIN_SHAPE = -0.8;
const MAX_SHAPE = 0.15;

/** λ1, λ2 and τ3 = λ3/λ2 of an ascending sample, from the unbiased PWMs b0, b1, b2 (n ≥ 3). */
export function sampleLMoments(sorted: ArrayLike<number>, n: number): { readonly l1: number; readonly l2: number; readonly t3: number } {
  const { s0, s1, s2 } = pwmSums(sorted, n, 0);
  const { b0, l2, l3 } = lMomentsFromPwmSums(s0, s1, s2, n);
  return { l1: b0, l2, t3: l2 > 0 ? l3 / l2 : 0 };
}

/** Σd_i, Σd_i·i and Σd_i·i(i − 1), d_i = x_(i) − base, over an ascending sample: the unbiased PWMs' sums (times n, n(n − 1), n(n − 1)(n − 2)). */
export function pwmSums(sorted: ArrayLike<number>, n: number, base: number): { readonly s0: number; readonly s1: number; readonly s2: number } {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = sorted[i]! - base;
    s0 += d;
    s1 += d * i;
    s2 += d * i * (i - 1);
  }
  return { s0, s1, s2 };
}

/** b0 (λ1 of the shifted sample), λ2 and λ3 from the PWM sums of pwmSums (Hosking 1990): λ2 and λ3 do not move with the shift. */
export function lMomentsFromPwmSums(s0: number, s1: number, s2: number, n: number): { readonly b0: number; readonly l2: number; readonly l3: number } {
  const b0 = s0 / n;
  const b1 = s1 / (n * (n - 1));
  const b2 = s2 / (n * (n - 1) * (n - 2));
  return { b0, l2: 2 * b1 - b0, l3: 6 * b2 - 6 * b1 + b0 };
}

/** τ3 of a GEV of shape k: 2(1 − 3^−k)/(1 − 2^−k) − 3 (Hosking 1990), its k → 0 limit 2·log₂3 − 3. */
export function gevLSkewness(k: number): number {
  if (Math.abs(k) < 1e-9) return (2 * Math.log(3)) / Math.LN2 - 3;
  return (2 * -Math.expm1(-k * Math.log(3))) / -Math.expm1(-k * Math.LN2) - 3;
}

/**
 * GEV parameters from λ1, λ2, τ3: k solves gevLSkewness(k) = τ3, then
 * α = λ2·k/((1 − 2^−k)Γ(1 + k)), ξ = λ1 − α(1 − Γ(1 + k))/k (Hosking et al. 1985).
 * The exact inversion rather than their polynomial approximation of k, which is accurate only
 * for −0.5 ≤ k ≤ 0.5: see gevShapeFromLSkewness.
 */
export function gevFromLMoments(l1: number, l2: number, t3: number): Gev {
  const k = gevShapeFromLSkewness(t3);
  if (Math.abs(k) < 1e-7) {
    const scale = l2 / Math.LN2;
    return { location: l1 - EULER_GAMMA * scale, scale, shape: 0 };
  }
  const g = Math.exp(logGamma(1 + k));
  const scale = (l2 * k) / ((1 - 2 ** -k) * g);
  return { location: l1 - (scale * (1 - g)) / k, scale, shape: k };
}

const LN3 = Math.log(3);
const TAU_AT_MIN_SHAPE = gevLSkewness(MIN_SHAPE);
const TAU_AT_MAX_SHAPE = gevLSkewness(MAX_SHAPE);
/** d τ3/dk at k = 0: −log₂3·ln(3/2), the limit of the quotient rule's 0/0 (see gevShapeFromLSkewness). */
const SLOPE_AT_ZERO = -(LN3 / Math.LN2) * (LN3 - Math.LN2);

/**
 * The shape k in [−0.8, 0.15] whose τ3 is `t3` (the bounds where τ3 lies beyond them): the root
 * of gevLSkewness(k) = t3, which falls strictly as k rises.
 *
 * Why not bisection: every calibrated detector refits its threshold every interval, and 60
 * bisection steps (two expm1 each) were the largest single cost of a whole replay. Hosking et
 * al.'s approximation k ≈ 7.8590c + 2.9554c², c = 2/(3 + τ3) − ln2/ln3 (within 0.01 of the
 * root over the whole range, 9e-4 on [−0.5, 0.5]), then Newton's method on the exact τ3(k),
 * kept inside the bracket the evaluations so far allow (a step leaving it bisects instead):
 * quadratic convergence takes the 0.01 to rounding in 3-4 steps. The root agrees with the
 * bisection's to ~1e-16 (test/detectors/stats/gev.test.ts).
 */
export function gevShapeFromLSkewness(t3: number): number {
  if (!(t3 < TAU_AT_MIN_SHAPE)) return MIN_SHAPE;
  if (t3 <= TAU_AT_MAX_SHAPE) return MAX_SHAPE;
  const c = 2 / (3 + t3) - Math.LN2 / LN3;
  let k = 7.859 * c + 2.9554 * c * c;
  let lo = MIN_SHAPE;
  let hi = MAX_SHAPE;
  if (!(k > lo && k < hi)) k = (lo + hi) / 2;
  for (let i = 0; i < 60; i++) {
    // τ3(k) = 2A/B − 3, A = 1 − 3^−k, B = 1 − 2^−k; dτ3/dk = 2(A'B − AB')/B², A' = ln3·3^−k.
    let excess: number;
    let slope: number;
    if (Math.abs(k) < 1e-9) {
      excess = gevLSkewness(k) - t3;
      slope = SLOPE_AT_ZERO;
    } else {
      const a = -Math.expm1(-k * LN3);
      const b = -Math.expm1(-k * Math.LN2);
      excess = (2 * a) / b - 3 - t3;
      // Near 0 the quotient rule cancels (both terms ~k); its limit is exact enough to step with.
      slope = Math.abs(k) < 1e-5 ? SLOPE_AT_ZERO : (2 * (LN3 * (1 - a) * b - a * Math.LN2 * (1 - b))) / (b * b);
    }
    if (excess === 0) return k;
    if (excess > 0) lo = k;
    else hi = k;
    let next = k - excess / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const step = Math.abs(next - k);
    k = next;
    if (step < 1e-13 * Math.max(1e-3, Math.abs(k)) || hi - lo < 1e-17) break;
  }
  return k;
}

/** x(F): the value a GEV variable stays below with probability F, 0 < F < 1. */
export function gevQuantile(gev: Gev, probability: number): number {
  const y = -Math.log(probability);
  if (gev.shape === 0) return gev.location - gev.scale * Math.log(y);
  return gev.location + (gev.scale * (1 - y ** gev.shape)) / gev.shape;
}
