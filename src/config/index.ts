export { attacksInTraining, attacksNearIntervalEnds } from './attackTiming.ts';
export { scanDuplicates } from './scanDuplicates.ts';
export { resolveParameters, resolveDetectorParameters, detectorParameterProblems, parameterProblems, type ResolveOptions, type AttackSchedule } from './resolveParameters.ts';
export { schemaProblems, formatPath, show } from './schemaProblems.ts';
export { loadParameters, type ParametersModule } from './loadParameters.ts';
export {
  parametersSchema,
  SECRET_HEADER,
  type Parameters,
  type ParametersInput,
  type ExfiltrationSpec,
  type ScanSpec,
  type LateralSpec,
  type TrafficParameters,
  type TelemetryParameters,
  type PrometheusParameters,
  type MeshParameters,
  type DetectorParameters,
  type KubernetesParameters,
  type LoadShape,
} from './schema.ts';
