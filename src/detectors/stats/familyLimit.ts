import { normalQuantile, regularizedGammaQ } from '../linalg/index.ts';

/** How a per-series chart's limit k is adjusted for watching many series at once. */
export type MultipleComparisons = 'none' | 'bonferroni';

/**
 * The limit a chart that watches m series at once compares each z with.
 *
 * A chart scores an interval by its most deviant series, so with m series and limit k the
 * chance of a false alarm grows with m: for independent normal z it is 1 − (1 − Φ̄(k))^m,
 * ~7 % for 57 series at k = 3 one-sided, where one series has 0.13 %. `bonferroni` raises the
 * limit to
 *   k_m = Φ⁻¹(1 − Φ̄(k)/m) = −Φ⁻¹(Φ̄(k)/m),
 * so the chance that any of the m series crosses it is at most what one series at k has
 * (Bonferroni's inequality; Dunn, JASA 1961). The same formula serves a two-sided chart:
 * its per-series rate 2Φ̄(k), divided by m, splits into the two tails as Φ̄(k)/m each.
 * `none` is the plain chart (the limit is k whatever m).
 *
 * Only the last m's limit is kept: m changes only when edges appear or (pair-ratio) a ratio
 * has no value, so an interval mostly asks for the m of the one before; any other m is
 * computed afresh, to the same value it had before.
 */
export class FamilyLimit {
  /** Φ̄(k), the one-tail probability of one series. */
  private readonly tail: number;
  private lastSeries = -1;
  private lastLimit: number;

  constructor(
    private readonly k: number,
    private readonly mode: MultipleComparisons,
  ) {
    // Φ̄(k) = erfc(k/√2)/2 and erfc(x) = Q(1/2, x²) for x ≥ 0; k is positive (validated).
    this.tail = 0.5 * regularizedGammaQ(0.5, (k * k) / 2);
    this.lastLimit = k;
  }

  /** The limit for an interval in which `series` series were judged. */
  limit(series: number): number {
    if (this.mode === 'none' || series <= 1) return this.k;
    if (series !== this.lastSeries) {
      this.lastSeries = series;
      // Via the lower tail: 1 − Φ̄(k)/m would lose the digits of a tiny tail to rounding.
      this.lastLimit = -normalQuantile(this.tail / series);
    }
    return this.lastLimit;
  }
}
