// Sweeps: many experiments from one parameters.ts (axes × repeats), recorded resumably into
// <outputDir>/<sweep>/<run>/ with a sweep.json index, then replayed and compared (README "Sweeps").
export { axis, defineSweep, type SweepAxis, type SweepDefinition, type SweepInjection } from './defineSweep.ts';
export { formatSegments, parsePath, setAtPath, type ParameterPath, type PathOf, type PathSegment, type PathValue } from './parameterPath.ts';
export { resolveSweep, type AxisSide, type ResolvedAxis, type ResolvedInjection, type ResolveSweepOptions, type Sweep } from './resolveSweep.ts';
export { applyDetectorValues, applyExperimentValues, type AxisValues } from './applyAxisValues.ts';
export { combinations, injectionsOf, planSweep, planVariants, variantDetectors, type PlannedRun, type ReplayVariant, type SweepPlan } from './planSweep.ts';
export { axisLabels, joinLabels, valueLabel } from './valueLabel.ts';
export {
  buildSweepIndex,
  isSweepDir,
  readSweepIndex,
  writeSweepIndex,
  SWEEP_INDEX_FILE,
  type SweepIndex,
  type SweepIndexAxis,
  type SweepIndexRun,
  type SweepRunStatus,
} from './sweepIndex.ts';
export { resumeProblems } from './resumeProblems.ts';
export { estimateRemainingMillis, formatDuration, SweepProgress } from './SweepProgress.ts';
export { isRunComplete, runSweep, type ExperimentRunner, type RunSweepOptions, type SweepResult } from './runSweep.ts';
export { experimentSweep, type ExperimentSweepOptions } from './experimentSweep.ts';
export { meanStd, type Stat } from './meanStd.ts';
export { compareSummaries, COMPARED_METRICS, detectorOfPath, type ComparedAxis, type ComparedMetric, type ComparisonRow, type ReplayedSummary } from './compareSummaries.ts';
export { errorBarsPlugin, formatRateTick } from './errorBars.ts';
export { cellValue, comparisonCsv, formatComparisonTable, formatStat } from './formatComparison.ts';
export { f1Charts, rateAxis, type F1Chart, type RateAxis } from './f1Charts.ts';
export { recordedDetectors, replaySweep, type ReplaySweepOptions, type SweepComparison } from './replaySweep.ts';
export { COMPARISON_FORMAT, comparisonReplays, type ComparisonReplay } from './comparisonReplays.ts';
export { replaySweepCommand, type SweepReplayArgs } from './replaySweepCommand.ts';
