export { AUTO_MIN_INTERVALS, AUTO_MIN_NODES, autoThreads, type ThreadsChoice, type ThreadsSetting } from './autoThreads.ts';
export { OffloadChannel } from './offloadChannel.ts';
export { OFFLOADED_DETECTORS, type OffloadWorkerData } from './offloadProtocol.ts';
export { offloadedDetectors } from './offloadedDetectors.ts';
export { replayThreads, type ReplayThreadsInput } from './replayThreads.ts';
