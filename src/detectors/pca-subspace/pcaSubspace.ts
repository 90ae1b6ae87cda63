import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import type { IgnoredOptionRules } from '../ignoredOptions.ts';
import { metricsOption, parseDetectorOptions } from '../options.ts';
import { CalibratedLimit, falseAlarmRateOption } from '../stats/index.ts';
import { PcaSubspace } from './pcaSubspaceCore.ts';
import { warnIfBlind } from '../series/index.ts';
import { ImputedEdges } from '../sparse/index.ts';

export const pcaSubspaceOptionsSchema = z
  .object({
    /** Metrics added up per edge into its volume. Default: the byte metrics. */
    metrics: metricsOption(),
    /** `log1p` (default): model ln(1 + volume), closer to the normal law the limit assumes; `none`: raw volumes (the paper). */
    transform: z.enum(['log1p', 'none']).default('log1p'),
    /** `typical` (default): an edge silent in an interval, once it has been active, counts at its typical active volume (see SilenceImputed); `zero`: as 0 (the paper). */
    silentEdges: z.enum(['typical', 'zero']).default('typical'),
    /** r, the number of principal components spanning normal traffic, or `three-sigma` (Lakhina's rule; see README). Default 1. */
    components: z.union([z.literal('three-sigma'), z.number().int().min(0)]).default(1),
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** α: instead of the calibrated threshold, the paper's Q-statistic limit δ²_α, in (0, 0.5) (Lakhina used 0.001). */
    alpha: z.number().finite().gt(0).lt(0.5).optional(),
    /** A learnt edge silent for longer than this (seconds) is forgotten: no longer read at its typical level (a training edge then reads its training mean). Default 3,600. */
    forgetAfterSeconds: z.number().finite().positive().default(3600),
    /**
     * Most edges given a coordinate of their own. A run whose edge index holds more by the end of
     * training (a converted connection log) keeps those active in ≥ 5 % of the training intervals,
     * the most often active first, and adds the rest up into one coordinate. Default 8,192.
     */
    maxEdges: z.number().int().min(1).default(8192),
    /** Weight s of the isotropic target in the covariance ((1 − s)·S + s·(tr S/m)·I), in [0, 1], or `ledoit-wolf` to estimate it. Default 0 (the sample covariance, as in the paper). */
    shrinkage: z.union([z.literal('ledoit-wolf'), z.number().finite().min(0).max(1)]).default(0),
  })
  .strict();
export type PcaSubspaceOptionsInput = z.input<typeof pcaSubspaceOptionsSchema>;

/** `alpha` replaces the calibrated threshold: a `falseAlarmRate` beside it has no effect (see ignoredOptionWarnings). */
export const pcaSubspaceIgnoredOptions: IgnoredOptionRules = {
  overrides: [['alpha', 'falseAlarmRate', "the paper's Q-statistic limit δ²_α is used, not one calibrated to a false-alarm rate"]],
};
export type PcaSubspaceOptions = z.output<typeof pcaSubspaceOptionsSchema>;

/**
 * `pca-subspace`: Lakhina, Crovella and Diot's subspace method (SIGCOMM 2004) on per-edge
 * volumes (see PcaSubspace), fitted on the training stretch.
 */
export function pcaSubspace(options: PcaSubspaceOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('pca-subspace', pcaSubspaceOptionsSchema, options);
  const stream = streamOptions('pca-subspace', setup);
  return detectorOperator(() => {
    const edges = new ImputedEdges({ metrics: o.metrics, transform: o.transform, imputeSilence: o.silentEdges === 'typical', forgetAfterSeconds: o.forgetAfterSeconds });
    return new PcaSubspace(
      edges,
      {
        components: o.components,
        alpha: o.alpha,
        limit: new CalibratedLimit(o.falseAlarmRate ?? stream.falseAlarmRate),
        imputeSilence: o.silentEdges === 'typical',
        shrinkage: o.shrinkage,
        maxEdges: o.maxEdges,
        forgetAfterSeconds: o.forgetAfterSeconds,
        name: stream.name,
      },
      warnIfBlind(stream.name, edges.active.volume, o.metrics),
    );
  }, stream);
}
