import { gammaUpperQuantile } from '../linalg/index.ts';

/**
 * Idé and Kashima's online threshold for the dissimilarity z = 1 − rᵀu. For activity vectors
 * scattered around r by a von Mises–Fisher law, z is distributed like a scaled chi-square
 *   q(z) = (1 / (2Σ Γ(n/2))) (z / 2Σ)^(n/2 − 1) exp(−z / 2Σ),
 * i.e. gamma with shape n/2 and scale 2Σ, where n is the effective number of directions in
 * which u fluctuates (the paper's "n − 1") and Σ the spread per direction. Both come from
 * the discounted moments M1 = ⟨z⟩, M2 = ⟨z²⟩ by matching mean and variance:
 *   n = 2 M1² / (M2 − M1²),   Σ = (M2 − M1²) / (2 M1),
 * and the threshold z_th solves ∫_{z_th}^∞ q(z) dz = p_c.
 */
export class DissimilarityLaw {
  private count = 0;
  private m1 = 0;
  private m2 = 0;
  /** The last threshold computed: for which count and p_c, and its value (Newton's next start). */
  private lastCount = -1;
  private lastProbability = Number.NaN;
  private lastThreshold = Number.NaN;

  /** @param discount β: weight of the newest z, so a z's weight decays as (1 − β)^age. */
  constructor(private readonly discount: number) {}

  /** Samples folded in so far. */
  get samples(): number {
    return this.count;
  }

  /**
   * Fold in a z. Until 1/β samples have been seen the weight is 1/count (a plain mean), so the
   * first z does not count as much as a long history would.
   */
  update(z: number): void {
    this.count++;
    const b = Math.max(this.discount, 1 / this.count);
    this.m1 += b * (z - this.m1);
    this.m2 += b * (z * z - this.m2);
  }

  /** Fitted (n, Σ); n is NaN when z has not varied. */
  parameters(): { readonly n: number; readonly sigma: number; readonly m1: number; readonly m2: number } {
    const variance = this.m2 - this.m1 * this.m1;
    if (!(variance > 0) || !(this.m1 > 0)) return { n: Number.NaN, sigma: Number.NaN, m1: this.m1, m2: this.m2 };
    return { n: (2 * this.m1 * this.m1) / variance, sigma: variance / (2 * this.m1), m1: this.m1, m2: this.m2 };
  }

  /**
   * z_th for critical probability p_c; NaN (never alarm) before two z values were seen. When z
   * has not varied at all the law is a point mass at M1 and the threshold sits just above it
   * (1e-9: far below any real change of direction, far above rounding noise).
   */
  threshold(criticalProbability: number): number {
    if (this.count < 2) return Number.NaN;
    const { n, sigma } = this.parameters();
    if (Number.isNaN(n)) return Math.max(this.m1, 0) + 1e-9;
    // Asked again without an update in between (a silent interval is judged but not learnt):
    // the same answer, so the next start, and every later threshold, do not depend on it.
    const same = criticalProbability === this.lastProbability;
    if (same && this.lastCount === this.count) return this.lastThreshold;
    // The law moves a little per update: the last threshold is where Newton starts.
    const value = gammaUpperQuantile(n / 2, 2 * sigma, criticalProbability, same ? this.lastThreshold : undefined);
    this.lastCount = this.count;
    this.lastProbability = criticalProbability;
    this.lastThreshold = value;
    return value;
  }
}
