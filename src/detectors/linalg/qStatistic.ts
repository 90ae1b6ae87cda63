import { gammaUpperQuantile } from './gamma.ts';
import { normalQuantile } from './normalQuantile.ts';

// The control limit for the squared prediction error (SPE, "Q") of a PCA model: Jackson and
// Mudholkar, "Control procedures for residuals associated with principal component
// analysis", Technometrics 21(3), 1979, as used by Lakhina, Crovella and Diot (SIGCOMM 2004).

/** Power sums φ_i = Σ λ_j^i (i = 1, 2, 3) of the residual eigenvalues. */
export interface ResidualMoments {
  readonly phi1: number;
  readonly phi2: number;
  readonly phi3: number;
}

/**
 * δ²_α: the SPE exceeded with probability `alpha` when the data are multivariate normal.
 *   h0 = 1 − 2φ1φ3/(3φ2²),  δ²_α = φ1 [ c_α h0 √(2φ2)/φ1 + 1 + φ2 h0 (h0 − 1)/φ1² ]^(1/h0),
 * c_α the (1 − α) normal quantile. For h0 > 0 the bracket's first term equals Lakhina's
 * c_α √(2φ2h0²)/φ1; writing it with h0 keeps the formula right when h0 < 0 (a few large and
 * many small residual eigenvalues), where the power transform reverses the order. When h0 is
 * too close to 0 or the bracket is not positive, Box's (1954) approximation of the same law
 * as g·χ²_h (g = φ2/φ1, h = φ1²/φ2) is used instead.
 */
export function qStatisticThreshold(moments: ResidualMoments, alpha: number): number {
  const { phi1, phi2, phi3 } = moments;
  if (!(phi1 > 0) || !(phi2 > 0)) return 0;
  const c = normalQuantile(1 - alpha);
  const h0 = 1 - (2 * phi1 * phi3) / (3 * phi2 * phi2);
  if (Math.abs(h0) > 1e-6) {
    const base = (c * h0 * Math.sqrt(2 * phi2)) / phi1 + 1 + (phi2 * h0 * (h0 - 1)) / (phi1 * phi1);
    if (base > 0) {
      const limit = phi1 * base ** (1 / h0);
      if (Number.isFinite(limit)) return limit;
    }
  }
  return boxThreshold(moments, alpha);
}

/** Box's scaled chi-square approximation g·χ²_h of Σ λ_j χ²_1, at upper tail `alpha`. */
function boxThreshold(moments: ResidualMoments, alpha: number): number {
  const g = moments.phi2 / moments.phi1;
  const h = (moments.phi1 * moments.phi1) / moments.phi2;
  return gammaUpperQuantile(h / 2, 2 * g, alpha);
}
