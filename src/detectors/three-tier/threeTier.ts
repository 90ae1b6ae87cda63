import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { EwmaChart, ewmaChartFields } from '../ewma/index.ts';
import { alarmLimit, EWMA_SCALE_DEGREES_OF_FREEDOM } from '../stats/index.ts';
import { parseDetectorOptions } from '../options.ts';
import { sockShopTierOf, TierSeries } from './tierSeries.ts';
import { VolumeSeries, warnIfBlind } from '../series/index.ts';

export const threeTierOptionsSchema = z
  .object({
    /** Node → tier (`presentation`, `application`, `data` or `ignore`), over the Sock Shop defaults. */
    tiers: z.record(z.string().min(1), z.enum(['presentation', 'application', 'data', 'ignore'])).default({}),
    /** Also watch traffic inside a tier (e.g. service to service). Default false, as Munnin. */
    intraTier: z.boolean().default(false),
    ...ewmaChartFields({ sides: 'upper', minStd: 1 }),
  })
  .strict();
export type ThreeTierOptionsInput = z.input<typeof threeTierOptionsSchema>;
export type ThreeTierOptions = z.output<typeof threeTierOptionsSchema>;

/** `three-tier`: the `ewma` chart on the traffic matrix collapsed to tiers (see TierSeries). */
export function threeTier(options: ThreeTierOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('three-tier', threeTierOptionsSchema, options);
  const stream = streamOptions('three-tier', setup);
  return detectorOperator(() => {
    const volume = new VolumeSeries({ metrics: o.metrics, combine: o.combine });
    const tiers = new TierSeries(volume, sockShopTierOf(o.tiers), o.intraTier);
    return new EwmaChart(tiers, o, alarmLimit(o, stream.falseAlarmRate, EWMA_SCALE_DEGREES_OF_FREEDOM(o.scaleLambda)), warnIfBlind(stream.name, volume, o.metrics));
  }, stream);
}
