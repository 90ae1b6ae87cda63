// The web dashboard: live view of a running experiment, browser of recorded runs, read-only JSON API.
export { startDashboard, type Dashboard, type DashboardOptions } from './startDashboard.ts';
export { startExperimentDashboard, liveRunInfo, type ExperimentDashboard, type ExperimentDashboardOptions } from './experimentDashboard.ts';
export { LiveHub, type LiveEnd, type LiveHubOptions, type LiveMessage, type LiveRunInfo, type LiveState, type LiveVerdict } from './LiveHub.ts';
export { runStatus, type RunListing, type RunStatus } from './runListing.ts';
export { SnapshotIndex } from './SnapshotIndex.ts';
export { checkHost, checkPort, isLoopback } from './dashboardOptions.ts';
export { runDirectory, runNameProblem } from './runName.ts';
export { SweepCatalog, type SweepListing, type SweepRun, type SweepSummary } from './SweepCatalog.ts';
export { replayVariants } from './replayVariants.ts';
