import type { DetectorSummary } from './ReplaySummary.ts';

/** Marks a detector whose figures need thresholdCaveat's footnote, in every table that shows them. */
export const CAVEAT_MARK = '*';

/** The fields of a summary.json detector thresholdCaveat reads (a comparison may carry only these). */
export type CaveatFields = Partial<Pick<DetectorSummary, 'tp' | 'fp' | 'tn' | 'fn' | 'uncalibratedIntervals' | 'uncalibratedAttackIntervals'>>;

/**
 * Why a detector's figures mislead, or undefined when they do not: `never`, it had no threshold
 * on any scored interval (its limit never calibrated, or it does not score), so it never judged
 * and its FPR 0 is not a quiet detector's; `attacks`, it had none on some attack intervals,
 * where it could not alarm, counted as missed all the same. The first intervals after training
 * of every calibrated detector are without one too: benign ones alone are only counted
 * (summary.json `uncalibratedIntervals`), not marked. run-format.md's definitions stand.
 */
export function thresholdCaveat(d: CaveatFields): 'never' | 'attacks' | undefined {
  const none = d.uncalibratedIntervals ?? 0;
  if (none > 0 && none === (d.tp ?? 0) + (d.fp ?? 0) + (d.tn ?? 0) + (d.fn ?? 0)) return 'never';
  if ((d.uncalibratedAttackIntervals ?? 0) > 0) return 'attacks';
  return undefined;
}

/** What the mark on a detector means (its footnote without the names), or undefined when it is not marked. */
export function caveatText(d: CaveatFields & { readonly fpr?: number | null | undefined }): string | undefined {
  const caveat = thresholdCaveat(d);
  const attackIntervals = (d.tp ?? 0) + (d.fn ?? 0);
  if (caveat === 'never') return `no threshold on any of the ${d.uncalibratedIntervals} scored interval(s): never judged, so FPR ${typeof d.fpr === 'number' ? d.fpr.toFixed(3) : '-'} says nothing${attackIntervals > 0 ? ' and no attack could be caught' : ''}`;
  if (caveat === 'attacks') return `no threshold on ${d.uncalibratedAttackIntervals} of the ${attackIntervals} attack interval(s): no alarm was possible there (counted as missed)`;
  return undefined;
}

/** The footnotes of the marked detectors (names as shown), those with the same text on one line. */
export function caveatNotes(detectors: readonly (readonly [string, CaveatFields & { readonly fpr?: number | null | undefined }])[]): string[] {
  const byText = new Map<string, string[]>();
  for (const [name, d] of detectors) {
    const text = caveatText(d);
    if (text !== undefined) byText.set(text, [...(byText.get(text) ?? []), name]);
  }
  return [...byText].map(([text, names]) => `${CAVEAT_MARK} ${names.join(', ')}: ${text}`);
}
