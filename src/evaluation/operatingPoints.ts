import { splitByClass } from './splitByClass.ts';

/** The operating point of a detector at one false-alarm rate, read off its ROC. */
export interface OperatingPoint {
  /** The false-alarm rate asked for (fraction of counted benign intervals allowed to alarm). */
  readonly fpr: number;
  /**
   * Alarm when score > threshold: the (k+1)-th highest benign score, k = ⌊fpr × benign⌋, so
   * at most k benign intervals score above it. Null without benign or without attack intervals.
   */
  readonly threshold: number | null;
  /** Fraction of attack intervals scoring above the threshold. */
  readonly tpr: number | null;
  /**
   * The false-alarm rate the threshold really gives (≤ fpr): below it when ties or too few
   * benign intervals forbid more (with 500 of them, 0.001 allows none).
   */
  readonly achievedFpr: number | null;
}

/** The false-alarm rates summary.json reports when none are asked for. */
export const DEFAULT_AT_FPR: readonly number[] = [0.01, 0.001];

/**
 * Per requested false-alarm rate, the threshold and true-positive rate on the ROC of `scores`
 * against `positive` labels: the highest TPR whose FPR stays within the rate, with the alarm
 * rule "score > threshold". NaN scores rank lowest (never above a threshold), as in rocAuc.
 */
export function operatingPoints(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>, rates: readonly number[]): OperatingPoint[] {
  const split = splitByClass(scores, positive);
  if (split === undefined) return rates.map((fpr) => ({ fpr, threshold: null, tpr: null, achievedFpr: null }));
  const { pos, neg } = split;
  const positives = pos.length;
  const negatives = neg.length;
  return rates.map((fpr) => {
    const allowed = Math.min(negatives - 1, Math.floor(fpr * negatives + 1e-9));
    // neg ascending: the (allowed+1)-th highest is at negatives − 1 − allowed.
    const threshold = neg[negatives - 1 - allowed]!;
    return { fpr, threshold, tpr: countAbove(pos, threshold) / positives, achievedFpr: countAbove(neg, threshold) / negatives };
  });
}

/** How many of the ascending `sorted` are strictly above x (binary search). */
function countAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
