import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { ControlChart } from './controlChartCore.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { chartSeriesFields, checkChartSeries, combineOption, metricsOption, multipleComparisonsOption, nonNegativeNumber, parseDetectorOptions, positiveNumber, sidesOption } from '../options.ts';
import { chartSeries } from '../series/index.ts';
import { alarmLimit, falseAlarmRateOption, WARMUP_OBSERVATIONS } from '../stats/index.ts';

export const controlChartOptionsSchema = z
  .object({
    /** Active values in each edge's moving window the limits come from (the current interval excluded). Default 30. */
    windowIntervals: z.number().int().min(WARMUP_OBSERVATIONS).default(30),
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** A fixed limit |x − mean| > k·σ instead of the calibrated one (the classic chart; Munnin used 2). */
    k: positiveNumber().optional(),
    /** With `k`: `bonferroni` raises k with the number of series judged. Default `none`. */
    multipleComparisons: multipleComparisonsOption(),
    /** `both` (default, a classic Shewhart chart) or `upper` (only more traffic alarms). */
    sides: sidesOption('both'),
    /** Floor on σ in the metric's unit (bytes), so a flat window does not divide by zero. Default 1. */
    minStd: positiveNumber().default(1),
    /** Floor on σ as a fraction of the window's mean. Default 0.01. */
    relativeMinStd: nonNegativeNumber().default(0.01),
    /** Watched metrics. Default: the byte metrics. */
    metrics: metricsOption(),
    /** `sum` (default): one total-bytes series per edge; `separate`: one per edge and metric. */
    combine: combineOption(),
    ...chartSeriesFields(),
  })
  .strict()
  .superRefine(checkChartSeries);
export type ControlChartOptionsInput = z.input<typeof controlChartOptionsSchema>;
export type ControlChartOptions = z.output<typeof controlChartOptionsSchema>;

/** `control-chart`: a moving-window Shewhart chart per edge (see ControlChart), its limit calibrated to the false-alarm rate. */
export function controlChart(options: ControlChartOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('control-chart', controlChartOptionsSchema, options);
  const stream = streamOptions('control-chart', setup);
  return detectorOperator(() => {
    const { source, onTrained } = chartSeries(stream.name, o);
    return new ControlChart(source, o, alarmLimit(o, stream.falseAlarmRate, o.windowIntervals - 1), onTrained);
  }, stream);
}
