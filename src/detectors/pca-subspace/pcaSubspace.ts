import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { metricsOption, parseDetectorOptions } from '../options.ts';
import { PcaSubspace } from './pcaSubspaceCore.ts';
import { VolumeSeries, warnIfBlind } from '../series/index.ts';

export const pcaSubspaceOptionsSchema = z
  .object({
    /** Metrics added up per edge into its volume. Default: the byte metrics. */
    metrics: metricsOption(),
    /** `log1p` (default): model ln(1 + volume), closer to the normal law the limit assumes; `none`: raw volumes (the paper). */
    transform: z.enum(['log1p', 'none']).default('log1p'),
    /** r, the number of principal components spanning normal traffic, or `three-sigma` (Lakhina's rule; see README). Default 1. */
    components: z.union([z.literal('three-sigma'), z.number().int().min(0)]).default(1),
    /** α: false-alarm probability of the Q-statistic limit, in (0, 0.5). Default 0.001 (Lakhina's 99.9 %). */
    alpha: z.number().finite().gt(0).lt(0.5).default(0.001),
    /** Weight s of the isotropic target in the covariance ((1 − s)·S + s·(tr S/m)·I), in [0, 1], or `ledoit-wolf` to estimate it. Default 0 (the sample covariance, as in the paper). */
    shrinkage: z.union([z.literal('ledoit-wolf'), z.number().finite().min(0).max(1)]).default(0),
  })
  .strict();
export type PcaSubspaceOptionsInput = z.input<typeof pcaSubspaceOptionsSchema>;
export type PcaSubspaceOptions = z.output<typeof pcaSubspaceOptionsSchema>;

/**
 * `pca-subspace`: Lakhina, Crovella and Diot's subspace method (SIGCOMM 2004) on per-edge
 * volumes (see PcaSubspace), fitted on the training stretch.
 */
export function pcaSubspace(options: PcaSubspaceOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('pca-subspace', pcaSubspaceOptionsSchema, options);
  const stream = streamOptions('pca-subspace', setup);
  return detectorOperator(() => {
    const volume = new VolumeSeries({ metrics: o.metrics, combine: 'sum', transform: o.transform });
    return new PcaSubspace(
      volume,
      {
        components: o.components,
        alpha: o.alpha,
        shrinkage: o.shrinkage,
        name: stream.name,
      },
      warnIfBlind(stream.name, volume, o.metrics),
    );
  }, stream);
}
