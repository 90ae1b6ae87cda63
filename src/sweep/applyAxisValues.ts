import { parametersSchema, resolveParameters, type DetectorParameters, type Parameters } from '../config/index.ts';
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { setAtPath } from './parameterPath.ts';
import type { ResolvedAxis } from './resolveSweep.ts';
import { schemaProblems } from '../config/index.ts';

/** Value of each axis by name, e.g. { bytes: 20000, shape: 'normal' }. */
export type AxisValues = Readonly<Record<string, unknown>>;

/**
 * The parameters of one run: the base with each experiment-side axis value set at its path,
 * validated as a whole (cross-field rules included). `label` names the run in messages.
 */
export function applyExperimentValues(base: Parameters, axes: readonly ResolvedAxis[], values: AxisValues, label: string, extra?: (p: Record<string, unknown>) => void): Parameters {
  const input = structuredClone(base) as unknown as Record<string, unknown>;
  try {
    for (const a of axes) if (a.side === 'experiment' && a.name in values) setAtPath(input, a.segments, values[a.name]);
  } catch (e) {
    throw new UserError(`run ${label}: ${(e as Error).message}`);
  }
  extra?.(input);
  return resolveParameters(input, `run ${label}`);
}

const detectorsSchema = parametersSchema.shape.detectors;

/**
 * Detector settings of one replay variant: `detectors` with each detector-side axis value set
 * at its path (paths start with `detectors.`), checked by the parameters schema and by the
 * detectors' own option validation. `label` names the variant in messages.
 */
export function applyDetectorValues(detectors: DetectorParameters, axes: readonly ResolvedAxis[], values: AxisValues, label: string): DetectorParameters {
  const root: Record<string, unknown> = { detectors: structuredClone(detectors) };
  try {
    for (const a of axes) if (a.side === 'detector' && a.name in values) setAtPath(root, a.segments, values[a.name]);
  } catch (e) {
    throw new UserError(`${label}: ${(e as Error).message}`);
  }
  const { data, problems } = schemaProblems(detectorsSchema, root['detectors'], 'detectors');
  if (data === undefined) throw new UserError(`${label}: invalid detector parameters:\n  ${problems.join('\n  ')}`);
  try {
    createDetectors(data);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${label}: ${e.message}`);
    throw e;
  }
  return data;
}
