import type { RunsComparison } from './compareRuns.ts';
import { wilsonInterval } from './binomial.ts';

/**
 * The bar issue 14 sets from Munnin's own results on its 2018 data (its best of 96 settings per
 * amount, chosen with hindsight): more than 40 %, 33 % and 40 % of the 10, 15 and 20 kB
 * exfiltrations caught at interval FPRs of at most 7 %, 7 % and 3 %, and at least 90 % from
 * 25 kB at an FPR of at most 5 %, with one detector and its default settings for every amount.
 * `strict`: the TPR must exceed `minTpr` ("more than"), else reach it ("at least").
 */
export const MUNNIN_BAR: readonly { readonly bytes: number; readonly minTpr: number; readonly strict: boolean; readonly maxFpr: number }[] = [
  { bytes: 10_000, minTpr: 0.4, strict: true, maxFpr: 0.07 },
  { bytes: 15_000, minTpr: 0.33, strict: true, maxFpr: 0.07 },
  { bytes: 20_000, minTpr: 0.4, strict: true, maxFpr: 0.03 },
  { bytes: 25_000, minTpr: 0.9, strict: false, maxFpr: 0.05 },
  { bytes: 30_000, minTpr: 0.9, strict: false, maxFpr: 0.05 },
  { bytes: 35_000, minTpr: 0.9, strict: false, maxFpr: 0.05 },
];

/** One size of the bar for one detector. */
export interface MunninBarSize {
  readonly bytes: number;
  readonly tpr: number | null;
  readonly fpr: number | null;
  /** Wilson 95 % intervals of the TPR (caught of the attack events) and the FPR (false alarms of the benign intervals); null without trials. */
  readonly tprInterval95: readonly [number, number] | null;
  readonly fprInterval95: readonly [number, number] | null;
  /** TPR and FPR, as measured, clear the bar. */
  readonly met: boolean;
  /**
   * The bar is cleared beyond sampling error: the TPR interval's lower end clears the TPR bar
   * and the FPR interval's upper end the FPR bar. Five attacks caught of five is a TPR interval
   * of 0.57-1: met at 25 kB, not sure.
   */
  readonly sure: boolean;
}

/** Per detector, per size of MUNNIN_BAR the comparison holds: whether the row clears the bar. */
export interface MunninBarRow {
  readonly detector: string;
  readonly sizes: readonly MunninBarSize[];
  /** Every size of the bar the comparison holds is cleared (false when it holds none). */
  readonly all: boolean;
  /** Every size is cleared beyond sampling error (MunninBarSize.sure). */
  readonly allSure: boolean;
}

/**
 * Check each detector of a folder comparison against MUNNIN_BAR, size by size (its table by
 * bytes), as measured and beyond sampling error. The intervals count each attack event and each
 * benign interval as an independent trial: the events of one run share its background traffic,
 * so the intervals are if anything too narrow, and `sure` is needed for a claim beyond sampling
 * error but does not prove one.
 */
export function munninBar(c: RunsComparison): MunninBarRow[] {
  return c.detectors.map((detector) => {
    const sizes = MUNNIN_BAR.flatMap((bar): MunninBarSize[] => {
      const row = c.byBytes.find((r) => r.bytes === bar.bytes);
      const f = row?.detectors[detector];
      if (row === undefined || f === undefined) return [];
      const clearsTpr = (x: number) => (bar.strict ? x > bar.minTpr : x >= bar.minTpr);
      // Null without trials, as tpr and fpr are.
      const tprInterval95 = wilsonInterval(f.caught, f.events);
      const fprInterval95 = wilsonInterval(f.falseAlarms, f.benignIntervals);
      const met = f.tpr !== null && clearsTpr(f.tpr) && f.fpr !== null && f.fpr <= bar.maxFpr;
      const sure = met && tprInterval95 !== null && clearsTpr(tprInterval95[0]) && fprInterval95 !== null && fprInterval95[1] <= bar.maxFpr;
      return [{ bytes: bar.bytes, tpr: f.tpr, fpr: f.fpr, tprInterval95, fprInterval95, met, sure }];
    });
    return { detector, sizes, all: sizes.length > 0 && sizes.every((s) => s.met), allSure: sizes.length > 0 && sizes.every((s) => s.sure) };
  });
}
