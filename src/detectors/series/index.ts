export { type SeriesSource } from './seriesSource.ts';
export { VolumeSeries, warnIfBlind, type VolumeSeriesOptions } from './volumeSeries.ts';
export { SilenceImputed } from './silenceImputed.ts';
export { LoadResiduals, loadResidualFields, RESIDUAL_WARMUP, type LoadResidualParameters } from './loadResiduals.ts';
export { type ResidualSource } from './residualSource.ts';
export { OutsideNodes, DEFAULT_OUTSIDE_NODES } from './outsideNodes.ts';
