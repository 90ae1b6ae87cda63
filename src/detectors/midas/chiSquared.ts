/**
 * MIDAS's anomaly score of an item at tick t (Bhatia, Hooi, Yoon, Shin & Faloutsos, "MIDAS:
 * Microcluster-Based Detector of Anomalies in Edge Streams", AAAI 2020, eq. for X²): with a the
 * item's current count and s its total count over ticks 1 … t, the chi-squared goodness-of-fit
 * statistic of "the current tick's mean equals the past ticks' mean",
 *
 *   X² = (a − s/t)² / (s/t) + (a − s/t)² / (s/t · (t − 1)) = (a − s/t)² · t² / (s · (t − 1)),
 *
 * and 0 when it is undefined (s = 0, or t = 1: no past to compare with), as in the authors' code.
 */
export function chiSquared(current: number, total: number, tick: number): number {
  if (total === 0 || tick <= 1) return 0;
  const excess = (current - total / tick) * tick;
  return (excess * excess) / (total * (tick - 1));
}

/**
 * The same goodness-of-fit statistic with the current tick's expected share of the item's
 * total taken from all traffic instead of from the tick count: with p = A/S (A the current,
 * S the total count of every item together, decayed alike),
 *
 *   X² = (a − s·p)² / (s·p) + (a − s·p)² / (s·(1 − p)) = (a − s·p)² / (s·p·(1 − p)).
 *
 * With p = 1/t (every tick alike) it is exactly chiSquared above. Given its total s, an item
 * whose rate is a fixed fraction of all traffic has a current count of about Binomial(s, p):
 * this is the square of that binomial's standard score, the conditional test of two Poisson
 * rates (Przyborowski & Wilenski, Biometrika 31, 1940), so a load swing that moves every item
 * alike moves none of their scores; only an item departing from its share of the traffic does.
 * 0 when undefined (s = 0, or p ∉ (0, 1): no past traffic to compare with).
 */
export function chiSquaredShare(current: number, total: number, share: number): number {
  if (total === 0 || !(share > 0 && share < 1)) return 0;
  const excess = current - total * share;
  return (excess * excess) / (total * share * (1 - share));
}
