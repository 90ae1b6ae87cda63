import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { ControlChart } from './controlChartCore.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { combineOption, metricsOption, multipleComparisonsOption, nonNegativeNumber, parseDetectorOptions, positiveNumber, sidesOption } from '../options.ts';
import { VolumeSeries, warnIfBlind } from '../series/index.ts';

export const controlChartOptionsSchema = z
  .object({
    /** Intervals in the moving window the limits come from (the current interval excluded). Default 30. */
    windowIntervals: z.number().int().min(2).default(30),
    /** Alarm when |x − mean| > k·σ. Default 3 (Munnin used 2). */
    k: positiveNumber().default(3),
    /** `bonferroni`: raise k with the number of series judged, so watching more edges does not mean more false alarms. Default `none`. */
    multipleComparisons: multipleComparisonsOption(),
    /** `both` (default, a classic Shewhart chart) or `upper` (only more traffic alarms). */
    sides: sidesOption('both'),
    /** Floor on σ in the metric's unit (bytes), so a flat window does not divide by zero. Default 1. */
    minStd: positiveNumber().default(1),
    /** Floor on σ as a fraction of |mean|. Default 0 (off). */
    relativeMinStd: nonNegativeNumber().default(0),
    /** Watched metrics. Default: the byte metrics. */
    metrics: metricsOption(),
    /** `sum` (default): one total-bytes series per edge; `separate`: one per edge and metric. */
    combine: combineOption(),
  })
  .strict();
export type ControlChartOptionsInput = z.input<typeof controlChartOptionsSchema>;
export type ControlChartOptions = z.output<typeof controlChartOptionsSchema>;

/** `control-chart`: a moving-window Shewhart chart per edge (see ControlChart). */
export function controlChart(options: ControlChartOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('control-chart', controlChartOptionsSchema, options);
  const stream = streamOptions('control-chart', setup);
  return detectorOperator(() => {
    const volume = new VolumeSeries({ metrics: o.metrics, combine: o.combine });
    return new ControlChart(volume, o, warnIfBlind(stream.name, volume, o.metrics));
  }, stream);
}
