export { InterruptedBeforeRun } from './InterruptedBeforeRun.ts';
export { runExperiment, type ExperimentResult, type ExperimentHooks } from './runExperiment.ts';
export { chooseSource } from './chooseSource.ts';
export { chooseTraffic } from './chooseTraffic.ts';
export { startTarget } from './startTarget.ts';
