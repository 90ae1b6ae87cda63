import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { chartSeriesFields, checkChartSeries, combineOption, metricsOption, multipleComparisonsOption, nonNegativeNumber, parseDetectorOptions, positiveNumber, sidesOption } from '../options.ts';
import { chartSeries } from '../series/index.ts';
import { alarmLimit, EWMA_SCALE_DEGREES_OF_FREEDOM, falseAlarmRateOption } from '../stats/index.ts';
import { EwmaChart } from './ewmaChart.ts';

/** EWMA chart fields shared by `ewma`, `pair-ratio` and `three-tier`. */
export const ewmaChartFields = (defaults: { sides: 'upper' | 'both'; minStd: number }) => ({
  /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
  falseAlarmRate: falseAlarmRateOption().optional(),
  /** Weight of the newest interval in the running level, in (0, 1]. Default 0.2. */
  lambda: z.number().finite().gt(0).lte(1).default(0.2),
  /** Weight of the newest interval in the running scale, in (0, 1]. Default 0.1. */
  scaleLambda: z.number().finite().gt(0).lte(1).default(0.1),
  /** A fixed limit in standard deviations instead of the calibrated one (the classic chart; Munnin used 3). */
  k: positiveNumber().optional(),
  /** With `k`: `bonferroni` raises k with the number of series judged. Default `none`. */
  multipleComparisons: multipleComparisonsOption(),
  /** `upper` (only more traffic alarms) or `both`. */
  sides: sidesOption(defaults.sides),
  /** Floor on σ, in the series' unit, so a flat history does not divide by zero. */
  minStd: positiveNumber().default(defaults.minStd),
  /** Floor on σ as a fraction of the series' own level. Default 0.01. */
  relativeMinStd: nonNegativeNumber().default(0.01),
  /** Watched metrics. Default: the byte metrics (request, response, TCP sent and received bytes). */
  metrics: metricsOption(),
  /** `sum` (default): one total-bytes series per edge; `separate`: one series per edge and metric. */
  combine: combineOption(),
});

export const ewmaOptionsSchema = z
  .object({
    ...ewmaChartFields({ sides: 'upper', minStd: 1 }),
    ...chartSeriesFields(),
  })
  .strict()
  .superRefine(checkChartSeries);
export type EwmaOptionsInput = z.input<typeof ewmaOptionsSchema>;
export type EwmaOptions = z.output<typeof ewmaOptionsSchema>;

/**
 * `ewma`: a one-sided robust EWMA chart per edge on total bytes (see EwmaChart), its limit
 * calibrated to the false-alarm rate. An exfiltration only adds traffic, so by default only an
 * excess alarms.
 */
export function ewma(options: EwmaOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('ewma', ewmaOptionsSchema, options);
  const stream = streamOptions('ewma', setup);
  return detectorOperator(() => {
    const { source, onTrained } = chartSeries(stream.name, o);
    return new EwmaChart(source, o, alarmLimit(o, stream.falseAlarmRate, EWMA_SCALE_DEGREES_OF_FREEDOM(o.scaleLambda)), onTrained);
  }, stream);
}
