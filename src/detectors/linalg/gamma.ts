import { normalQuantile } from './normalQuantile.ts';

// The gamma distribution: log Γ, the regularized upper incomplete gamma function
// Q(a, x) = 1 − P(a, x) (P's series and Q's Lentz continued fraction, as in Numerical Recipes
// §6.2), and the upper-tail quantile. A chi-square law with k degrees of freedom is gamma(k/2, 2).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

const MAX_TERMS = 100_000;
const EPS = 1e-15;
const TINY = 1e-300;

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  return gammaQ(a, x, logGamma(a));
}

/** Q(a, x) with ln Γ(a) given (the quantile search evaluates many x for one a). */
function gammaQ(a: number, x: number, lg: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x, lg) : upperFraction(a, x, lg);
}

function prefactor(a: number, x: number, lg: number): number {
  return Math.exp(-x + a * Math.log(x) - lg);
}

function lowerSeries(a: number, x: number, lg: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_TERMS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * prefactor(a, x, lg);
  }
  throw new Error(`regularizedGamma: series did not converge (a = ${a}, x = ${x})`);
}

function upperFraction(a: number, x: number, lg: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h * prefactor(a, x, lg);
  }
  throw new Error(`regularizedGamma: continued fraction did not converge (a = ${a}, x = ${x})`);
}

/** Density of gamma(shape a, scale 1) at x, with ln Γ(a) given. */
function density(a: number, x: number, lg: number): number {
  return Math.exp((a - 1) * Math.log(x) - x - lg);
}

/**
 * x with P(X > x) = `tail` for X ~ gamma(shape, scale) (mean shape·scale). Solved by Newton
 * steps on Q(shape, x/scale) kept inside a bisection bracket; for very large shapes, where
 * the law is practically normal, the Wilson–Hilferty cube-root approximation is used.
 *
 * `guess` (e.g. the last answer for a law that has moved a little) starts Newton there, with
 * the bracket found on the way, instead of bracketing by doubling first: the same root to the
 * same tolerance in two or three evaluations of Q instead of eight or more.
 */
export function gammaUpperQuantile(shape: number, scale: number, tail: number, guess?: number): number {
  if (!(shape > 0) || !(scale > 0) || !(tail >= 0 && tail <= 1)) return Number.NaN;
  if (tail === 0) return Number.POSITIVE_INFINITY;
  if (tail === 1) return 0;
  if (shape > 1e5) {
    const z = normalQuantile(1 - tail);
    const v = 1 / (9 * shape);
    return shape * scale * (1 - v + z * Math.sqrt(v)) ** 3;
  }
  const lg = logGamma(shape);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let x = guess === undefined ? Number.NaN : guess / scale;
  if (!(x > 0 && Number.isFinite(x))) {
    hi = Math.max(1, shape);
    while (gammaQ(shape, hi, lg) > tail) {
      lo = hi;
      hi *= 2;
    }
    x = 0.5 * (lo + hi);
  }
  for (let i = 0; i < 200; i++) {
    const f = gammaQ(shape, x, lg) - tail;
    if (f > 0) lo = x;
    else hi = x;
    const dens = density(shape, x, lg);
    let next = dens > 0 ? x + f / dens : Number.NaN;
    // Outside the bracket: halve it, or (no upper end found yet) step out by doubling.
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * Math.max(x, lo, 1e-300);
    if (Math.abs(next - x) <= 1e-14 * Math.max(x, Number.MIN_VALUE) || (hi < Number.POSITIVE_INFINITY && hi - lo <= 1e-14 * hi)) {
      x = next;
      break;
    }
    x = next;
  }
  return x * scale;
}
