/**
 * The detectors' names, for the commands' flags and help. A copy of the registry's
 * DETECTOR_NAMES (src/detectors), which `--help` must not load: the registry brings every
 * detector, zod and rxjs with it (a tenth of a second). test/cli/detectorNames.test.ts fails
 * when the two differ.
 */
export const CLI_DETECTOR_NAMES: readonly string[] = ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'new-edge', 'eigenspace', 'pca-subspace', 'cusum', 'path', 'midas', 'graph-lasso'];
