export { replayRun, replayRunAsRead, type ReplayOptions } from './replayRun.ts';
export { pacedFromAsync, checkSpeed, type PacingOptions } from './pacedFromAsync.ts';
export {
  injectExfiltration,
  injectionEdges,
  hopMetric,
  type InjectExfiltrationOptions,
  type InjectionWindow,
  type InjectedWindow,
} from './injectExfiltration.ts';
export { detectLive, formatAlert, type DetectLiveOptions } from './detectLive.ts';
export { autoThreads, type ThreadsSetting } from './offload/index.ts';
export { runReplay, type RunReplayOptions, type ReplayResult, type InjectionSpec } from './runReplay.ts';
export { ReplayProgress } from './ReplayProgress.ts';
export { writeSyntheticRun, type SyntheticRunOptions, type SyntheticRun } from './writeSyntheticRun.ts';
export { StagedOutput, REPLAY_OUTPUTS } from './StagedOutput.ts';
export { eventsOutsideRun } from './eventsOutsideRun.ts';
export { uncalibratedWarnings, type CalibrationSpan } from './uncalibratedWarnings.ts';
export { EventsBetweenIntervals } from './EventsBetweenIntervals.ts';
export { writeConnectionLogRun, type ConnectionLogRunOptions } from './writeConnectionLogRun.ts';
export { replayFolder, RUNS_COMPARISON_FORMAT, type ReplayFolderOptions, type FolderReplay, type FailedRun } from './replayFolder.ts';
export { warnOncePerMessage } from './warnOncePerMessage.ts';
export { listRunDirs, isWritableDir, type RunDir } from './listRunDirs.ts';
export { writeInjectedRun, type InjectedRunOptions } from './writeInjectedRun.ts';
export { staleReads, type StaleRead } from './staleReads.ts';
export { staleMetricGaps, staleMetricReads, STALE_METRIC_MIN_EDGES, type StaleMetricRead } from './staleMetricReads.ts';
export { describeInjection, INJECTION_FILE, injectedSnapshots, readReplayInjection, replayedInjection, writeReplayInjection, type ReplayInjection } from './replayInjection.ts';
export { writeMunninShapedRun, MUNNIN_SHAPED_INTERVAL_SECONDS, MUNNIN_SHAPED_OFFSETS_SECONDS, MUNNIN_SHAPED_OUTSIDE, MUNNIN_SHAPED_PATH, MUNNIN_SHAPED_SPLIT_WINDOWS, MUNNIN_SHAPED_WINDOWS, MUNNIN_SCHEDULE_SHIFTS_SECONDS, shiftWindows, type MunninShapedRunOptions } from './writeMunninShapedRun.ts';
export { writeScaledAttackRun, type ScaledAttackOptions } from './writeScaledAttackRun.ts';
