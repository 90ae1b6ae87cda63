import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { Eigenspace } from './eigenspaceCore.ts';
import type { IgnoredOptionRules } from '../ignoredOptions.ts';
import { metricsOption, parseDetectorOptions } from '../options.ts';
import { CalibratedLimit, falseAlarmRateOption } from '../stats/index.ts';
import { warnIfBlind } from '../series/index.ts';
import { ActiveGraph } from './activeGraph.ts';

export const eigenspaceOptionsSchema = z
  .object({
    /** Metrics added up per edge into the dependency weight D[src][dst]. Default: the byte metrics. */
    metrics: metricsOption(),
    /** `log1p`: D[src][dst] = ln(1 + volume), so a few huge edges cannot own the eigenvector; `none`: the volume (the paper). Default log1p. */
    transform: z.enum(['log1p', 'none']).default('log1p'),
    /** `typical` (default): an edge silent in an interval, once it has been active, counts at its typical active volume (see SilenceImputed); `zero`: as 0 (the paper). */
    silentEdges: z.enum(['typical', 'zero']).default('typical'),
    /**
     * A learnt edge silent for longer than this (seconds) is forgotten: no longer read at its
     * typical level, new again if it comes back; its nodes leave the graph once idle for the
     * window. Keeps the graph to the edges of the last hour rather than of the whole run (a
     * connection log sees new pairs all day). Default 3,600.
     */
    forgetAfterSeconds: z.number().finite().positive().default(3600),
    /** W: how many past activity vectors the typical pattern summarises (intervals). Default 10. */
    window: z.number().int().min(1).max(1000).default(10),
    /** β: weight of the newest z in the discounted moments of the threshold law, in (0, 1). Default 0.05. */
    discount: z.number().finite().gt(0).lt(1).default(0.05),
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** p_c: instead of the calibrated threshold, the paper's: the point above which the online-fitted law of z puts p_c, in (0, 1). */
    criticalProbability: z.number().finite().gt(0).lt(1).optional(),
    /** `robust`: an alarmed interval's z and activity vector are learnt capped at the threshold (winsorised), and 5 alarms in a row restart the window from their vectors as they were (a new normal); `paper`: both as they are. Default robust. */
    alarmHandling: z.enum(['robust', 'paper']).default('robust'),
  })
  .strict();
export type EigenspaceOptionsInput = z.input<typeof eigenspaceOptionsSchema>;

/**
 * `criticalProbability` replaces the calibrated threshold by the paper's law, and `discount`
 * only weights that law: each has no effect beside, or without, the other setting (see ignoredOptionWarnings).
 */
export const eigenspaceIgnoredOptions: IgnoredOptionRules = {
  overrides: [['criticalProbability', 'falseAlarmRate', "the paper's online-fitted law of z sets the threshold, not a calibration to a false-alarm rate"]],
  needs: [['discount', 'criticalProbability', "the threshold calibrated to the false-alarm rate is used and wins; discount only weights the paper's law of z, which criticalProbability asks for"]],
};
export type EigenspaceOptions = z.output<typeof eigenspaceOptionsSchema>;

/**
 * `eigenspace`: Idé and Kashima's eigenspace-based detector (KDD 2004) on the service graph
 * (see Eigenspace). The training stretch fills the window and gives the threshold its first z
 * values; scoring starts after it. The threshold is calibrated to the false-alarm rate from z's
 * own history (see TailThreshold) unless `criticalProbability` asks for the paper's law.
 */
export function eigenspace(options: EigenspaceOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('eigenspace', eigenspaceOptionsSchema, options);
  const stream = streamOptions('eigenspace', setup);
  return detectorOperator(() => {
    const graph = new ActiveGraph({
      metrics: o.metrics,
      transform: o.transform,
      imputeSilence: o.silentEdges === 'typical',
      forgetAfterSeconds: o.forgetAfterSeconds,
      idleTicks: o.window + 1,
    });
    return new Eigenspace(
      graph,
      {
        window: o.window,
        discount: o.discount,
        criticalProbability: o.criticalProbability,
        alarmHandling: o.alarmHandling,
        limit: new CalibratedLimit(o.falseAlarmRate ?? stream.falseAlarmRate),
        name: stream.name,
      },
      warnIfBlind(stream.name, graph.edges.active.volume, o.metrics),
    );
  }, stream);
}
