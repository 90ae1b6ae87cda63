/** A ROC curve: (false-positive rate, true-positive rate) at every distinct threshold. */
export interface RocCurve {
  /** From (0, 0) to (1, 1), one point per distinct score. */
  readonly points: readonly { readonly fpr: number; readonly tpr: number }[];
  /** Area under the curve (ties count half, as in the Mann-Whitney statistic). */
  readonly auc: number;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * The ROC curve of scores against labels (attack interval or not). Undefined when there is
 * no positive or no negative (the curve does not exist). NaN scores are left out.
 */
export function rocCurve(scored: readonly { readonly score: number; readonly attack: boolean }[]): RocCurve | undefined {
  const rows = scored.filter((r) => !Number.isNaN(r.score)).sort((a, b) => b.score - a.score);
  const positives = rows.filter((r) => r.attack).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const points = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let i = 0; i < rows.length; ) {
    // Every row with the same score crosses the threshold at once.
    const score = rows[i]?.score;
    let dTp = 0;
    let dFp = 0;
    while (i < rows.length && rows[i]?.score === score) {
      if (rows[i]?.attack) dTp++;
      else dFp++;
      i++;
    }
    auc += (dFp / negatives) * ((tp + dTp / 2) / positives);
    tp += dTp;
    fp += dFp;
    points.push({ fpr: fp / negatives, tpr: tp / positives });
  }
  return { points, auc, positives, negatives };
}
