import { show } from '../config/index.ts';

/**
 * Option combinations a detector resolves by using one setting and not the other: both are
 * valid, so validation accepts them, but one has no effect, and a user who wrote it would
 * otherwise never learn that (`falseAlarmRate` beside a fixed `k`: the promise asked for is
 * not the one kept). Each rule names the setting that has no effect and the one that wins.
 */
export interface IgnoredOptionRules {
  /** `[winner, loser, what the winner does]`: with both written, `loser` has no effect. */
  readonly overrides?: readonly (readonly [winner: string, loser: string, why: string])[];
  /** `[field, needed, why]`: written without `needed`, `field` has no effect; `why` says what is used instead (it wins). */
  readonly needs?: readonly (readonly [field: string, needed: string, why: string])[];
}

const CALIBRATED = 'the limit calibrated to the false-alarm rate';

/** The charts' fixed limit (`k`, `multipleComparisons`) against the calibrated one (ewma, pair-ratio, three-tier, control-chart). */
export const FIXED_K_RULES: IgnoredOptionRules = {
  overrides: [['k', 'falseAlarmRate', 'a fixed limit of k standard deviations is used, not one calibrated to a false-alarm rate']],
  needs: [['multipleComparisons', 'k', `${CALIBRATED} is used and wins, family-wise already; multipleComparisons only adjusts a fixed k to the number of series judged`]],
};

/**
 * Messages for the options of one detector (as written, before defaults: a default is no
 * choice of the user's), each naming the fields in full under `prefix`
 * (e.g. `detectors.options.ewma`).
 */
export function ignoredOptionWarnings(rules: IgnoredOptionRules, options: Readonly<Record<string, unknown>> | undefined, prefix: string): string[] {
  if (options === undefined) return [];
  const written = (field: string) => Object.hasOwn(options, field) && options[field] !== undefined;
  const out: string[] = [];
  for (const [winner, loser, why] of rules.overrides ?? []) {
    if (written(winner) && written(loser)) {
      out.push(`${prefix}.${loser} (${show(options[loser])}) has no effect: ${prefix}.${winner} is set too and wins: ${why}; remove one of them`);
    }
  }
  for (const [field, needed, why] of rules.needs ?? []) {
    if (written(field) && !written(needed)) out.push(`${prefix}.${field} (${show(options[field])}) has no effect without ${prefix}.${needed}: ${why}; remove it, or set ${needed}`);
  }
  return out;
}
