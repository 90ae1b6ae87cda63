export { type SeriesSource } from './seriesSource.ts';
export { VolumeSeries, warnIfBlind, type VolumeSeriesOptions } from './volumeSeries.ts';
export { SilenceImputed } from './silenceImputed.ts';
export { SeriesChart } from './seriesChart.ts';
