import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { warnIfNoVolume } from '../cusum/index.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { parseDetectorOptions, positiveNumber } from '../options.ts';
import { LargerResidual, LoadResiduals, loadResidualFields, RequestMixResiduals, VolumeSeries } from '../series/index.ts';
import { CalibratedLimit, EVENT_GAP_INTERVALS, falseAlarmRateOption } from '../stats/index.ts';
import { GraphLassoCore, type GraphLassoModel } from './graphLassoCore.ts';

export const graphLassoOptionsSchema = z
  .object({
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** Longest candidate path from a data store to the outside, in hops. Default 4. */
    maxHops: z.number().int().min(1).max(8).default(4),
    /** Most candidate paths pooled into the "best path" features (the shortest). Default 1000. */
    maxPaths: z.number().int().min(1).default(1000),
    /** Candidate paths watched one by one and injected along in training (the shortest). Default 8. */
    watchedPaths: z.number().int().min(1).max(64).default(8),
    /** Edges watched one by one (z and volume): the watched paths' hops, then the busiest in training. Default 24. */
    maxEdges: z.number().int().min(1).max(512).default(24),
    /** Nodes on the watched paths whose out/in volume ratio is a feature. Default 12. */
    maxNodes: z.number().int().min(0).max(256).default(12),
    /** Nodes holding sensitive data besides `*-db` and rabbitmq. Default none. */
    sensitive: z.array(z.string().min(1)).default([]),
    /** Sizes of the synthetic exfiltrations injected in training, in units of the route's median hop residual σ. Default 1, 2, 4. */
    injectSizes: z.array(positiveNumber()).min(1).default([1, 2, 4]),
    /** Most injected training rows (interval × route × size, thinned evenly beyond it). Default 1500. */
    maxInjectedRows: z.number().int().min(1).default(1500),
    /** Cross-validation folds for λ (contiguous stretches of training). Default 5. */
    folds: z.number().int().min(2).max(20).default(5),
    /** λ values on the regularisation path. Default 20. */
    lambdas: z.number().int().min(1).max(200).default(20),
    /** Smallest λ on the path as a fraction of λ_max (glmnet's lambda.min.ratio). Default 0.01. */
    lambdaMinRatio: z.number().finite().gt(0).lt(1).default(0.01),
    /** Clean scored intervals needed to fit; a shorter training keeps collecting un-alarmed intervals. Default 10. */
    minTrainingIntervals: z.number().int().min(4).default(10),
    /** Most clean intervals kept for the fit (the latest). Default 300. */
    maxTrainingIntervals: z.number().int().min(4).default(300),
    /**
     * How the features made of standardised residuals (z, Σz/√hops, min z) are standardised.
     * `mod-z` (default, Mimir's): like every feature, by the clean training intervals' median and
     * MAD, clipped at ±10. `as-is`: only centred on their training median, their unit (their own
     * robust σ) kept and not clipped (winsorizeAt already bounds them). A MAD from a few dozen
     * training intervals can be small, and the clip then caps the score below a limit that
     * earlier alarms raised: on Munnin's benign run with 5 exfiltrations injected, `mod-z` caught
     * none even at 100 kB, `as-is` 4/5 at 20 kB and 5/5 at 100 kB. But `as-is` over-alarms on
     * bursty benign traffic (0.0206 on the calibration suite's bursty shape, over its 0.02), so
     * it is not the default (README "graph-lasso").
     */
    residualFeatures: z.enum(['mod-z', 'as-is']).default('mod-z'),
    ...loadResidualFields(),
    /**
     * Self-starting load residuals (see loadResidualFields). Default true here, as `path`'s: its
     * training rows are the training stretch's, whose fits rest on a few observations (README
     * "What each detector watches", graph-lasso).
     */
    selfStarting: z.boolean().default(true),
    /**
     * Each z is winsorised at ± this many σ in the features. Default 8, as `path`: measured on the
     * seeded injected runs (measureGraphLasso.ts), 4 cut the attack intervals caught at 12 kB from
     * 0.89 to 0.59 (the pooled features saturate, and the limit climbs past them after a few
     * alarms), for a lower false-alarm rate on bursty benign traffic (1.9 % against 2.4 % on the
     * calibration suite's second seed; 1.2 % and 1.1 % on its own).
     */
    winsorizeAt: positiveNumber().default(8),
    /**
     * A front-door edge's z is the larger of its volume residual and its request side given its
     * response side (RequestMixResiduals, as `path`'s requestMix). Default true. Why: a client
     * pulling records through the API raises the front door's demand, to which the load fits
     * credit the bytes it pulls; its requests given the responses are the evidence left. Without
     * it the learned model caught none of Munnin's real 30 kB attacks (README "graph-lasso",
     * where what it costs on runs whose injected attacks add no requests is measured too).
     */
    requestMix: z.boolean().default(true),
  })
  .strict();
export type GraphLassoOptionsInput = z.input<typeof graphLassoOptionsSchema>;
export type GraphLassoOptions = z.output<typeof graphLassoOptionsSchema>;

/**
 * `graph-lasso`: Mimir's learned detector (see GraphLassoCore). `onModel`, when given, receives
 * the fitted model once it is fitted (the report's and tests' view of it).
 */
export function graphLasso(options: GraphLassoOptionsInput = {}, setup: DetectorSetup = {}, onModel?: (model: GraphLassoModel) => void): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('graph-lasso', graphLassoOptionsSchema, options);
  const stream = streamOptions('graph-lasso', setup);
  return detectorOperator(() => {
    const residuals = new LoadResiduals(o);
    const volume = new VolumeSeries({ metrics: o.metrics, combine: 'sum' });
    // Its score is a log-odds, a weighted sum rather than a maximum: its tail is fitted alone once there are enough scores (TailLaw `peaks`).
    // No z floor (undefined: a log-odds is no z), the usual event gap, and the `peaks` law (its score is a sum, not a maximum).
    // Events learnt when they end (TailThreshold, "Deferred"), as `path`'s.
    const limit = new CalibratedLimit(o.falseAlarmRate ?? stream.falseAlarmRate, undefined, EVENT_GAP_INTERVALS, 'peaks', true);
    const source = o.requestMix ? new LargerResidual(residuals, new RequestMixResiduals(o)) : undefined;
    return new GraphLassoCore(residuals, volume, o, limit, warnIfNoVolume(stream.name, residuals, o.metrics), onModel, source);
  }, stream);
}
