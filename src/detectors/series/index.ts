export { type SeriesSource } from './seriesSource.ts';
export { VolumeSeries, warnIfBlind, type VolumeSeriesOptions } from './volumeSeries.ts';
export { SilenceImputed } from './silenceImputed.ts';
export { SeriesChart } from './seriesChart.ts';
export { LoadResiduals } from './loadResiduals.ts';
export { loadResidualFields, RESIDUAL_WARMUP, type LoadResidualParameters } from './loadResidualOptions.ts';
export { solveRidge3 } from './solveRidge3.ts';
export { type ResidualSource } from './residualSource.ts';
export { OutsideNodes, DEFAULT_OUTSIDE_NODES } from './outsideNodes.ts';
