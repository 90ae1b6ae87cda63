import type { RunsComparison } from './compareRuns.ts';

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

/** Per detector, per size of MUNNIN_BAR the comparison holds: whether the row clears the bar. */
export interface MunninBarRow {
  readonly detector: string;
  readonly sizes: readonly { readonly bytes: number; readonly tpr: number | null; readonly fpr: number | null; readonly met: boolean }[];
  /** Every size of the bar the comparison holds is cleared (false when it holds none). */
  readonly all: boolean;
}

/** Check each detector of a folder comparison against MUNNIN_BAR, size by size (its table by bytes). */
export function munninBar(c: RunsComparison): MunninBarRow[] {
  return c.detectors.map((detector) => {
    const sizes = MUNNIN_BAR.flatMap((bar) => {
      const row = c.byBytes.find((r) => r.bytes === bar.bytes);
      const f = row?.detectors[detector];
      if (row === undefined || f === undefined) return [];
      const tprOk = f.tpr !== null && (bar.strict ? f.tpr > bar.minTpr : f.tpr >= bar.minTpr);
      return [{ bytes: bar.bytes, tpr: f.tpr, fpr: f.fpr, met: tprOk && f.fpr !== null && f.fpr <= bar.maxFpr }];
    });
    return { detector, sizes, all: sizes.length > 0 && sizes.every((s) => s.met) };
  });
}
