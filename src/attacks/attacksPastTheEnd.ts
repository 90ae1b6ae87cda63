import type { LateralSpec, ScanSpec } from '../config/index.ts';
import type { Target } from '../types.ts';
import { scanTargets } from './attackPaths.ts';
import { roundMillis } from '../roundMillis.ts';

/**
 * Scans and lateral movements whose schedule runs past the end of the recording, each as a
 * warning naming the attack, when its last try is due and how many tries fall after the end.
 * A scan tries its targets `secondsBetweenTargets` apart, a lateral movement makes its calls
 * `secondsBetweenCalls` apart, the first at once (see paceProbes.ts); the schema checks only
 * that they start before `durationSeconds`. Tries due at or after the end are not made (the
 * attack is stopped there and recorded as cut short, see scheduleAttacks): they would fall in
 * no recorded interval.
 */
export function attacksPastTheEnd(
  params: { readonly durationSeconds: number; readonly scan: readonly ScanSpec[]; readonly lateral: readonly LateralSpec[] },
  target: Pick<Target, 'services'>,
): string[] {
  const end = params.durationSeconds;
  const warnings: string[] = [];
  const check = (what: string, at: number, count: number, every: number, unit: string, fields: string) => {
    const last = at + (count - 1) * every;
    if (last < end) return;
    const late = count - Math.ceil((end - at) / every - 1e-9);
    warnings.push(
      `${what} starts at ${at} s with ${count} ${unit}s ${every} s apart: the last is due at ${roundMillis(last)} s, at or after the end of the run (durationSeconds: ${end}); the ${late} due from ${end} s on will not be made (the attack is recorded as cut short). Start it earlier or shorten ${fields}`,
    );
  };
  params.scan.forEach((s, i) => check(`scan[${i}]`, s.atSeconds, scanTargets(s, target).length, s.secondsBetweenTargets, 'target', 'services or secondsBetweenTargets'));
  params.lateral.forEach((l, i) => check(`lateral[${i}]`, l.atSeconds, l.calls, l.secondsBetweenCalls, 'call', 'calls or secondsBetweenCalls'));
  return warnings;
}
