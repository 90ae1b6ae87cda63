import { logGamma } from '../linalg/gamma.ts';

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the chance of k or more false alarms in n intervals at rate p
 * (replay's promise check, new-edge's novelty rule, TailThreshold's plausible stand-ins).
 * Summed upward from the k-th term in logs (each term from the last by the ratio
 * (n − i)/(i + 1) · p/(1 − p)), so it neither underflows where (1 − p)^n does (n = 60,000 at
 * p = 0.01 is e^−603) nor loses the tail to 1 − (a sum close to 1).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logRatio = Math.log(p) - Math.log1p(-p);
  let logTerm = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  // The terms rise to the mode and fall after it: sum until they no longer count.
  let sum = 0;
  let largest = Number.NEGATIVE_INFINITY;
  for (let i = k; i <= n; i++) {
    if (logTerm > largest) largest = logTerm;
    const term = Math.exp(logTerm);
    sum += term;
    if (logTerm < largest - 40) break;
    logTerm += Math.log(n - i) - Math.log(i + 1) + logRatio;
  }
  return Math.min(1, sum);
}
