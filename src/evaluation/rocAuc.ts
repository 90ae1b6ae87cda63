/**
 * Area under the ROC curve of `scores` against `positive` labels: the probability that a
 * random attack interval scores higher than a random benign one, ties counting one half
 * (Mann–Whitney U with mid-ranks, equal to the trapezoid area under the ROC curve with tied
 * scores as one step). NaN scores rank lowest (a detector that cannot score raises no alarm).
 * Null when there is no positive or no negative interval: the area is undefined.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number | null {
  const n = scores.length;
  if (positive.length !== n) throw new Error(`rocAuc: ${n} scores but ${positive.length} labels`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const key = (i: number) => {
    const s = scores[i]!;
    return Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
  };
  order.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    const k = key(order[i]!);
    while (j < n && key(order[j]!) === k) j++;
    // Ranks i+1 … j share their mean.
    const midRank = (i + 1 + j) / 2;
    for (let m = i; m < j; m++) {
      if (positive[order[m]!]) {
        positives += 1;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
