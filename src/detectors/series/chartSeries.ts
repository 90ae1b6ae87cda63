import type { MetricKey } from '../../types.ts';
import { LoadAdjustedSeries } from './loadAdjustedSeries.ts';
import { loadResidualParameters } from './loadResidualOptions.ts';
import { LoadResiduals } from './loadResiduals.ts';
import type { SeriesSource } from './seriesSource.ts';
import { VolumeSeries, warnIfBlind } from './volumeSeries.ts';

/** The options of a chart that choose its series (see chartSeriesOption). */
export interface ChartSeriesOptions {
  readonly series: 'volume' | 'load-adjusted';
  readonly metrics: readonly MetricKey[];
  readonly combine: 'sum' | 'separate';
}

/**
 * The series a univariate chart watches, by its `series` option, and the check it runs when
 * training ends (a warning when none of the watched metrics appeared). `load-adjusted` fits the
 * load regression with its default settings on the chart's metrics, summed per edge (the
 * options' schema refuses it with `combine: "separate"`: checkChartSeries).
 */
export function chartSeries(detector: string, o: ChartSeriesOptions): { readonly source: SeriesSource; readonly onTrained: () => void } {
  if (o.series === 'volume') {
    const volume = new VolumeSeries({ metrics: o.metrics, combine: o.combine });
    return { source: volume, onTrained: warnIfBlind(detector, volume, o.metrics) };
  }
  const residuals = new LoadResiduals(loadResidualParameters({ metrics: [...o.metrics] }));
  return { source: new LoadAdjustedSeries(residuals), onTrained: warnIfBlind(detector, residuals, o.metrics) };
}
