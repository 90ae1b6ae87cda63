import type { DetectorParameters } from '../config/index.ts';
import { detectorOptionWarnings } from '../detectors/index.ts';
import type { ReplayVariant } from './planSweep.ts';

/**
 * The detector settings with no effect (detectorOptionWarnings) of a sweep replay's variants,
 * each said once after `origin` (the file the settings come from): as it is when every variant
 * has it, else with the variants that do (`k=2, k=3`), so an axis setting `k` beside a base
 * `falseAlarmRate` is one line, not one per variant.
 */
export function variantOptionWarnings(origin: string, variants: readonly ReplayVariant[], settings: readonly DetectorParameters[]): string[] {
  const where = new Map<string, string[]>();
  settings.forEach((d, k) => {
    for (const w of detectorOptionWarnings(d)) where.set(w, [...(where.get(w) ?? []), variants[k]?.name || '(plain)']);
  });
  return [...where].map(([w, names]) => `${origin}: ${w}${names.length === settings.length ? '' : ` (replay variant${names.length === 1 ? '' : 's'} ${names.join(', ')})`}`);
}
