export { OffloadChannel } from './offloadChannel.ts';
export { OFFLOADED_DETECTORS, type OffloadWorkerData } from './offloadProtocol.ts';
export { offloadedDetectors } from './offloadedDetectors.ts';
