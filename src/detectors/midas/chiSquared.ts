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
