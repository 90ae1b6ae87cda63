/**
 * A score on its threshold's scale, so intervals of different runs (each calibrated to its
 * own scale) can be pooled into one ROC: score ÷ threshold when the threshold is positive
 * (every calibrated detector's); with a threshold ≤ 0 (a rule such as new-edge's "one new
 * edge", threshold 0) 1 + score − threshold. Either way the alarm boundary is 1 and under one
 * threshold the order is the score's. NaN without a threshold (the first intervals
 * of a detector: no alarm possible), ranked lowest.
 */
export function relativeScore(score: number, threshold: number): number {
  if (!Number.isFinite(threshold) || Number.isNaN(score)) return Number.NaN;
  return threshold > 0 ? score / threshold : 1 + score - threshold;
}
