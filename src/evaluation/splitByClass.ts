/**
 * The scores of attack (positive) and benign intervals, each ascending, with NaN ranked lowest
 * (never above a threshold): what the ROC area and the operating points are both read from.
 * undefined when either class is empty.
 */
export function splitByClass(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): { readonly pos: Float64Array; readonly neg: Float64Array } | undefined {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives += 1;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    const s = scores[i]!;
    const key = Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
    if (positive[i]) pos[p++] = key;
    else neg[q++] = key;
  }
  pos.sort();
  neg.sort();
  return { pos, neg };
}
