import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import { log } from '../../logger.ts';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { EwmaChart, ewmaChartFields } from '../ewma/index.ts';
import { alarmLimit, EWMA_SCALE_DEGREES_OF_FREEDOM } from '../stats/index.ts';
import { edgeSchema, positiveNumber, parseDetectorOptions } from '../options.ts';
import { RatioSeries } from './ratioSeries.ts';
import { VolumeSeries, warnIfBlind } from '../series/index.ts';
import { terminalText } from '../../terminalText.ts';

export const pairRatioOptionsSchema = z
  .object({
    /** Denominator of every edge's ratio when `pairs` is not given. Default front-end → user (Munnin's load indicator). */
    reference: edgeSchema.default({ src: 'front-end', dst: 'user' }),
    /** Explicit ratios to watch; replaces "every edge against `reference`". */
    pairs: z.array(z.object({ numerator: edgeSchema, denominator: edgeSchema }).strict()).min(1).optional(),
    /** Added to the denominator, in its unit (bytes). Default 1. */
    epsilon: positiveNumber().default(1),
    // Ratios are unit-less and fall when the reference itself carries the attack, so both
    // directions alarm by default, and the σ floor is on the ratio scale.
    ...ewmaChartFields({ sides: 'both', minStd: 0.001 }),
  })
  .strict();
export type PairRatioOptionsInput = z.input<typeof pairRatioOptionsSchema>;
export type PairRatioOptions = z.output<typeof pairRatioOptionsSchema>;

/** `pair-ratio`: the EWMA chart on load-normalised volumes (see RatioSeries, EwmaChart). */
export function pairRatio(options: PairRatioOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('pair-ratio', pairRatioOptionsSchema, options);
  const stream = streamOptions('pair-ratio', setup);
  return detectorOperator(() => {
    const volume = new VolumeSeries({ metrics: o.metrics, combine: o.combine });
    const ratios = new RatioSeries(volume, { pairs: o.pairs, reference: o.reference, epsilon: o.epsilon });
    const warnBlind = warnIfBlind(stream.name, volume, o.metrics);
    return new EwmaChart(ratios, o, alarmLimit(o, stream.falseAlarmRate, EWMA_SCALE_DEGREES_OF_FREEDOM(o.scaleLambda)), () => {
      warnBlind();
      if (volume.sawWatchedMetric && !ratios.sawDenominator) {
        const what = o.pairs ? 'none of the denominator edges carried traffic' : `the reference edge ${terminalText(o.reference.src)} → ${terminalText(o.reference.dst)} carried no traffic`;
        log.warn(`${stream.name}: ${what} during training, so there is no ratio to watch; set detectors.options.${stream.name}.${o.pairs ? 'pairs' : 'reference'}`);
      }
    });
  }, stream);
}
