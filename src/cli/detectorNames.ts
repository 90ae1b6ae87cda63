import type { FlagProblems } from './flagProblems.ts';
import { listFlag } from './parseFlags.ts';

/**
 * The detectors' names, for the commands' flags and help. A copy of the registry's
 * DETECTOR_NAMES (src/detectors), which `--help` must not load: the registry brings every
 * detector, zod and rxjs with it (a tenth of a second). test/cli/detectorNames.test.ts fails
 * when the two differ.
 */
export const CLI_DETECTOR_NAMES: readonly string[] = ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'new-edge', 'eigenspace', 'pca-subspace', 'cusum', 'path', 'midas', 'graph-lasso'];

/**
 * A comma-separated list of detector names from `--<flag>`, each unknown name noted in
 * `problems` with the flag and the choices (undefined when the flag is absent or malformed).
 */
export function detectorsFlag(flag: string, value: string | undefined, problems: FlagProblems): string[] | undefined {
  const names = problems.check(() => listFlag(flag, value));
  for (const name of names ?? []) {
    if (!CLI_DETECTOR_NAMES.includes(name)) problems.note(`--${flag}: unknown detector ${JSON.stringify(name)} (choose from ${CLI_DETECTOR_NAMES.join(', ')})`);
  }
  return names;
}
