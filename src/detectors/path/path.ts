import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import { log } from '../../logger.ts';
import type { Frame, Verdict } from '../../types.ts';
import { warnIfNoVolume } from '../cusum/index.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { parseDetectorOptions, positiveNumber } from '../options.ts';
import { OutsideNodes } from '../series/index.ts';
import { LargerResidual, LoadResiduals, RequestMixResiduals, loadResidualFields } from '../series/index.ts';
import { CalibratedLimit, EVENT_GAP_INTERVALS, falseAlarmRateOption } from '../stats/index.ts';
import { PathCore } from './pathCore.ts';

export const pathOptionsSchema = z
  .object({
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** Longest candidate path from a data store to the outside, in hops. Default 4. */
    maxHops: z.number().int().min(1).max(8).default(4),
    /** Most candidate paths watched (the shortest are kept). Default 5000. */
    maxPaths: z.number().int().min(1).default(5000),
    /** Nodes holding sensitive data besides `*-db` and rabbitmq. Default none. */
    sensitive: z.array(z.string().min(1)).default([]),
    ...loadResidualFields(),
    /**
     * Self-starting load residuals (see loadResidualFields). Default true here: a short run's
     * limit is fitted to the scores of its first intervals, whose hops' fits rest on a few
     * observations (README "What each detector watches", path).
     */
    selfStarting: z.boolean().default(true),
    /**
     * Each hop's z is winsorised at ± this many σ. Default 8, not cusum's 4: a path's score
     * cannot exceed winsorizeAt·√hops, and after a few alarms the calibrated limit of a short run
     * climbs past 4·√3 ≈ 6.9, which would make the detector blind to any attack.
     */
    winsorizeAt: positiveNumber().default(8),
    /**
     * Also judge each front-door edge by its request side given its response side
     * (RequestMixResiduals: a client scraping records through the API asks for more per byte
     * than the users do), a hop counting the larger of its two residuals. Default true.
     */
    requestMix: z.boolean().default(true),
    /**
     * Also score each path over the last two contiguous intervals, Σ(z(t − 1) + z(t))/√(2·hops),
     * the interval's score being the larger of the two: an exfiltration whose bytes the interval
     * boundary cuts in two (Munnin's 2018 runs: "in the slice the event names or in the next
     * one") shows half on each side. Default true.
     */
    twoIntervals: z.boolean().default(true),
  })
  .strict();
export type PathOptionsInput = z.input<typeof pathOptionsSchema>;
export type PathOptions = z.output<typeof pathOptionsSchema>;

/**
 * The level at which `path`'s limit stops learning alarms as benign tail intervals: once more
 * events have exceeded it than P(Bin(n + 1, α) ≥ s + 1) ≥ 0.02 allows (TailThreshold, "Plausible
 * stand-ins"). Measured on the default recordings' injected sweep and the synthetic suite
 * (README, path, "Plausible stand-ins"): 0.05 caught more (181 of 252) but took the suite's
 * bursty shape over its bound with seed 501 (0.0210); 0.01 caught 140; 0.02, 160.
 */
export const PLAUSIBLE_STAND_INS = 0.02;

/**
 * `path`: a matched filter on load-adjusted residuals along every candidate exfiltration path
 * (see PathCore), its threshold calibrated to the false-alarm rate.
 */
export function path(options: PathOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('path', pathOptionsSchema, options);
  const stream = streamOptions('path', setup);
  return detectorOperator(() => {
    const residuals = new LoadResiduals(o);
    const source = o.requestMix ? new LargerResidual(residuals, new RequestMixResiduals(o)) : residuals;
    // Events learnt when they end (TailThreshold, "Deferred"): an attack's later slices meet the
    // limit from before it; and only as many as are plausible for benign traffic ("Plausible stand-ins").
    const rate = o.falseAlarmRate ?? stream.falseAlarmRate;
    const limit = new CalibratedLimit(rate, undefined, EVENT_GAP_INTERVALS, 'maxima', true, PLAUSIBLE_STAND_INS);
    const aboveCeiling = (at: number, ceiling: number, seconds: number) =>
      log.warn(
        `${stream.name}: from +${seconds.toFixed(0)} s its limit (${at.toFixed(1)}) has reached the most one interval can score on any candidate path ` +
          `(winsorizeAt ${o.winsorizeAt} × √hops of the longest = ${ceiling.toFixed(1)}): an exfiltration filling one interval cannot alarm it, whatever its size, ` +
          `until the limit falls (the alarms it learnt lifted it; README "What each detector watches", path, "When the limit outgrows the clip")`,
      );
    const refused = (seconds: number) =>
      log.warn(
        `${stream.name}: from +${seconds.toFixed(0)} s its limit no longer learns each alarm as a benign tail interval: the run already holds more alarms than ` +
          `a false-alarm rate of ${rate} plausibly gives (P < ${PLAUSIBLE_STAND_INS} of so many), so either it holds attacks or its benign tail is heavier than the limit ` +
          `assumed; later alarms are judged against the limit from before them (README "What each detector watches", path, "Plausible stand-ins")`,
      );
    return new PathCore(source, { ...o, outside: new OutsideNodes(o.outside, o.addressesAreOutside) }, limit, warnIfNoVolume(stream.name, residuals, o.metrics), aboveCeiling, refused);
  }, stream);
}
