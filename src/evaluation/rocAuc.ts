import { splitByClass } from './splitByClass.ts';

/**
 * Area under the ROC curve of `scores` against `positive` labels: the probability that a
 * random attack interval scores higher than a random benign one, ties counting one half
 * (Mann–Whitney U with mid-ranks, equal to the trapezoid area under the ROC curve with tied
 * scores as one step). NaN scores rank lowest (a detector that cannot score raises no alarm).
 * Null when there is no positive or no negative interval: the area is undefined.
 *
 * U is counted directly, pair by pair in bulk: both classes' scores sorted (the typed arrays'
 * own numeric sort, no comparator called back per comparison, which made this the slowest step of
 * a short replay's summary), then one merge. U is a sum of halves, exact in a double, so the
 * area is the same number the mid-rank sum gives.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number | null {
  const n = scores.length;
  if (positive.length !== n) throw new Error(`rocAuc: ${n} scores but ${positive.length} labels`);
  const split = splitByClass(scores, positive);
  if (split === undefined) return null;
  const { pos, neg } = split;
  const positives = pos.length;
  const negatives = neg.length;
  // For each positive (ascending): negatives below it count 1, negatives equal to it 1/2.
  let u = 0;
  let below = 0;
  let notAbove = 0;
  for (let i = 0; i < positives; i++) {
    const s = pos[i]!;
    while (below < negatives && neg[below]! < s) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < negatives && neg[notAbove]! <= s) notAbove++;
    u += below + (notAbove - below) / 2;
  }
  return u / (positives * negatives);
}
