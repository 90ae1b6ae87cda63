// The binomial tail lives with the detectors' shared statistics (new-edge and TailThreshold use it too).
export { binomialUpperTail } from '../detectors/stats/binomialUpperTail.ts';

// How far a false-alarm count on a few dozen intervals pins down a rate, and how surprising it
// is under the rate a detector was calibrated to. Both count scored benign intervals as Bernoulli
// trials, which is what a per-interval false-alarm rate promises.

/** z of a two-sided 95 % interval (the normal law's 0.975 point). */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval for a proportion of k in n (Wilson, "Probable inference, the law of
 * succession, and statistical inference", JASA 22, 1927): the rates p whose score test
 * |k/n − p| ≤ z √(p(1 − p)/n) does not reject. Chosen over the normal ("Wald") interval, which
 * is [0, 0] at k = 0 (the usual case for a false-alarm count on a short run, where it claims a
 * certainty of none), and over the exact Clopper–Pearson one, which is wider than it needs to be
 * (Agresti & Coull, "Approximate is better than 'exact'", Am. Stat. 52, 1998; Brown, Cai &
 * DasGupta, Stat. Sci. 16, 2001, recommend Wilson for small n). Null without trials.
 */
export function wilsonInterval(k: number, n: number, z = Z95): readonly [number, number] | null {
  if (!(n > 0) || !(k >= 0) || k > n) return null;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the lower (upper) end is 0 (1) exactly; rounding would leave ±1e-17.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}

