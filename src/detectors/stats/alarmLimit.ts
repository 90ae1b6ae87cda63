import { z } from 'zod';
import { FamilyLimit, type MultipleComparisons } from './familyLimit.ts';
import { normalQuantile } from '../linalg/index.ts';
import { CALIBRATION_WINDOW, EVENT_GAP_INTERVALS, TailThreshold, type TailLaw } from './tailThreshold.ts';

/**
 * What turns a detector's interval score into an alarm: a detector scores, a limit thresholds
 * (the split of Apache Beam's `ml.anomaly` ThresholdFn, Darts' scorers vs detectors, PyOD's
 * `contamination`), so the false-alarm rate is implemented once, here, for every detector.
 */
export interface AlarmLimit {
  /** The threshold for an interval in which `series` series were judged; NaN: no alarm possible yet. */
  limit(series: number): number;
  /** Learn an interval's score once it is judged (training intervals' scores too); a fixed limit ignores it. */
  learn(score: number): void;
  /** Alarms not learnt as benign tail intervals, being more than the rate makes plausible (TailThreshold, "Plausible stand-ins"); undefined: never refuses. */
  readonly refusedStandIns?: number;
}

export { DEFAULT_FALSE_ALARM_RATE } from '../defaults.ts';

/** `falseAlarmRate` as a detector option or parameter: a fraction in (0, 0.5). */
export const falseAlarmRateOption = () => z.number().finite().gt(0).lt(0.5);

/** Options of a detector whose interval score is a maximum of standardized per-series statistics. */
export interface LimitOptions {
  /** Fixed limit in standard deviations (the classic chart); overrides the calibration when set. */
  readonly k?: number | undefined;
  /** With `k`: how k is adjusted for the number of series judged (see FamilyLimit). */
  readonly multipleComparisons?: MultipleComparisons | undefined;
  /** This detector's own false-alarm rate, over the parameters' `detectors.falseAlarmRate`. */
  readonly falseAlarmRate?: number | undefined;
}

/** A fixed limit k (k_m with Bonferroni): the classic chart, learning nothing. */
class FixedLimit implements AlarmLimit {
  private readonly family: FamilyLimit;
  constructor(k: number, mode: MultipleComparisons) {
    this.family = new FamilyLimit(k, mode);
  }
  limit(series: number): number {
    return this.family.limit(series);
  }
  learn(): void {}
}

/**
 * A limit calibrated to a false-alarm rate (see TailThreshold); the threshold is refitted only
 * when a score was learnt.
 *
 * With `degreesOfFreedom` ν (scores that are the largest of m z values, each a deviation over a
 * scale estimated from ~ν + 1 past values, so Student-t with ν degrees of freedom for Gaussian
 * traffic), the threshold is never below the Šidák limit for m independent such z's: the t_ν
 * point of tail 1 − (1 − α)^(1/m), what Gaussian noise alone would cross at rate α. A few dozen
 * training intervals on which the series happened to move little cannot then set the limit
 * below what noise of the estimated spread reaches; heavier tails and correlated series are left
 * to the fit.
 */
export class CalibratedLimit implements AlarmLimit {
  private readonly tail: TailThreshold;
  private cached = Number.NaN;
  private stale = true;
  private floorSeries = -1;
  private floor = Number.NaN;
  constructor(
    private readonly falseAlarmRate: number,
    /** ν of the per-series z's, or undefined: no floor. */
    private readonly degreesOfFreedom?: number,
    /** See TailThreshold: exceedances closer than this are one event, learnt once (0 for scores that carry state between intervals). */
    eventGapIntervals = EVENT_GAP_INTERVALS,
    /** The law of the scores' tail (see TailLaw): `peaks` for a score that is not a maximum. */
    law: TailLaw = 'maxima',
    /** Learn an event's stand-in once the event has ended, not with its first exceedance (see TailThreshold, "Deferred"). */
    deferEvents = false,
    /** With deferEvents: learn a stand-in only while so many are plausible at this level (see TailThreshold, "Plausible stand-ins"); 0: always. */
    plausibleStandIns = 0,
  ) {
    this.tail = new TailThreshold(falseAlarmRate, CALIBRATION_WINDOW, eventGapIntervals, law, deferEvents, plausibleStandIns);
  }
  get samples(): number {
    return this.tail.samples;
  }
  get refusedStandIns(): number {
    return this.tail.refusedStandIns;
  }
  limit(series: number): number {
    if (this.stale) {
      this.cached = this.tail.threshold();
      this.stale = false;
    }
    if (this.degreesOfFreedom === undefined || Number.isNaN(this.cached) || series < 1) return this.cached;
    if (series !== this.floorSeries) {
      this.floorSeries = series;
      // 1 − (1 − α)^(1/m) through log1p/expm1: α/m-sized tails keep their digits.
      this.floor = studentQuantile(-normalQuantile(-Math.expm1(Math.log1p(-this.falseAlarmRate) / series)), this.degreesOfFreedom);
    }
    return Math.max(this.cached, this.floor);
  }
  learn(score: number): void {
    this.tail.learn(score);
    this.stale = true;
  }
}

/**
 * The limit a detector's options ask for: a fixed k when given, else calibrated to the
 * false-alarm rate, floored for z's with `degreesOfFreedom` (see CalibratedLimit; none without).
 */
export function alarmLimit(options: LimitOptions, defaultFalseAlarmRate: number, degreesOfFreedom?: number): AlarmLimit {
  if (options.k !== undefined) return new FixedLimit(options.k, options.multipleComparisons ?? 'none');
  return new CalibratedLimit(options.falseAlarmRate ?? defaultFalseAlarmRate, degreesOfFreedom);
}

/**
 * The Student-t quantile with ν degrees of freedom at the normal quantile z, by the
 * Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5, three terms): within 0.003 of the
 * tables for ν ≥ 10 and z ≤ 4.5.
 */
export function studentQuantile(z: number, nu: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu);
}
