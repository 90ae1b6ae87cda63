import { gevFromLMoments, gevQuantile, lMomentsFromPwmSums, type Gev } from './gev.ts';
import { binomialUpperTail } from './binomialUpperTail.ts';
import { gpdMeanExcess, peaksMeanExcess, peaksQuantile, peaksTail, type PeaksTail } from './gpd.ts';
import { RELEARN_AFTER_INTERVALS } from './learningGate.ts';
import { SortedScoreWindow } from './sortedScoreWindow.ts';

/**
 * Fewer interval scores than this give no threshold (no alarm): a 1-in-100 level needs a few
 * dozen. Was 8: the 1 − α point of a three-parameter law fitted to 8 scores is mostly sampling
 * error (its L-skewness alone has a standard error of ~0.27 at n = 8, ~0.17 at 20: Hosking,
 * Wallis & Wood 1985), so on a short training the first thresholds alarm on ordinary
 * intervals. Measured with 20 (README "One knob"): every detector's pooled rate on the
 * synthetic suite the same or lower (bursty traffic most), and on the synthetic Munnin-shaped
 * runs (12 training slices) every benign rate the same or lower; the cost is detections in the
 * first scored intervals of a short training, before 20 scores are in.
 */
export const MIN_CALIBRATION_SCORES = 20;

/** Interval scores a calibration remembers: long enough for a stable tail, short enough to follow drift. */
export const CALIBRATION_WINDOW = 1000;

/**
 * Two exceedances with fewer than this many quiet (learnt, not exceeding) intervals between
 * them are one event (runs declustering with run length 2): the run format counts an attack's
 * own intervals and the grace interval after them as one event, so one attack can cross in its
 * first interval and in its grace interval with a quiet one between (its bytes landing where
 * the slices cut them); a gap of 1 would split that event in two.
 */
export const EVENT_GAP_INTERVALS = 2;

/** The event gap of a detector whose scores carry state between intervals: every exceedance is learnt. */
export const LEARN_EVERY_EXCEEDANCE = 0;

/**
 * The law fitted to the scores' tail. `maxima` (every detector but one): a score that is the
 * largest statistic of its interval, so the generalized extreme-value law of the whole window
 * (gev.ts). `peaks`: a score that is not a maximum (graph-lasso's log-odds, a weighted sum),
 * whose bulk that law cannot follow; once the window holds PEAKS_MIN_SCORES scores its top
 * tenth is fitted alone (peaks over threshold, gpd.ts), and before that the extreme-value law
 * stands in (a tenth of fewer scores is too few excesses).
 */
export type TailLaw = 'maxima' | 'peaks';

/** Scores a `peaks` window needs before its tail is fitted alone (30 excesses: gpd.ts). */
export const PEAKS_MIN_SCORES = 300;

/**
 * A threshold set from a false-alarm rate α and the detector's own interval scores: the
 * 1 − α point of the law TailLaw names (by default a generalized extreme-value law, gev.ts)
 * fitted to the last CALIBRATION_WINDOW scores of benign-looking intervals.
 *
 * Why this law: every calibrated score is the largest of many per-series statistics of one
 * interval (or a single statistic with a long upper tail), the situation the extreme-value
 * limit describes; its shape parameter lets heavy-tailed traffic get a heavier tail rather than
 * a normal table's. Because the score already is the maximum over everything the detector
 * watches, α is a family-wise rate per interval whatever the number of edges: no Bonferroni
 * factor is needed, and none of its conservatism under correlated edges.
 *
 * What it learns: training scores (computed one step ahead, from the past alone), then every
 * scored interval's score, except that it never learns from what it alarmed on: a score over
 * the threshold is learnt as threshold + the law's mean excess over it, what a benign
 * exceedance is expected to be (the E-step of fitting a sample censored at the threshold). So
 * an attack, however large, weighs exactly as much as one benign tail interval and cannot lift
 * the threshold to hide the next; and exceedances still count, at their expected size, so the
 * fitted tail is not cut at the threshold (which lowered it, run after run: dropping them, or
 * learning them at the threshold itself, made the bursty synthetic runs alarm at 2-3× the rate). This follows the streaming extreme-value calibration of Siffer et
 * al. ("Anomaly detection in streams with extreme value theory", KDD 2017: calibrate on an
 * initial batch, keep updating with normal points); departure: block maxima with L-moments
 * instead of peaks over a high threshold, because a run's training holds tens of intervals,
 * not the thousands POT needs (except under the `peaks` law, for a score that is not a maximum,
 * once the window holds PEAKS_MIN_SCORES: see TailLaw).
 *
 * One event is learnt once. An exceedance that follows another within EVENT_GAP_INTERVALS is
 * the same event (runs declustering: Coles, "An introduction to statistical modeling of extreme
 * values", 2001, §5.3.2; Ferro & Segers, JRSS B 65, 2003) and is not learnt at all, so an attack
 * that crosses in three intervals lifts the threshold as one benign tail interval does, not as
 * three (on 72-interval runs the climb after each learnt alarm hid the next attack; synthetic
 * Munnin-shaped runs, `npm run quality` part c). What it costs the promise: a benign exceedance
 * is dropped only when another came just before it, which for exceedances as rare as α and
 * about independent is a fraction ~2α of them: the fitted tail's rate is low by that fraction
 * (1.02α, not α). Departure from the declustered fit, which keeps each cluster's maximum: the
 * first exceedance stands for the event, because the threshold is judged when it comes and the
 * rest are not known yet. A detector whose scores carry state from interval to interval (so one
 * benign burst crosses for several: MIDAS's decayed counts, CUSUM's sums) passes
 * LEARN_EVERY_EXCEEDANCE and learns every exceedance (with declustering, cusum alarmed on 3.5 %
 * of the benign connection log's intervals). An event lasting RELEARN_AFTER_INTERVALS exceedances is a new normal
 * (as LearningGate has it) and is learnt again from then on: capped as above, except when the law
 * was a point mass (scale 0: a constant statistic) as the event began, whose scores are then learnt
 * as they are (a point mass has no tail to cap against: see learn()).
 *
 * Deferred (`deferEvents`, `path`'s and `graph-lasso`'s limits): the event's stand-in is learnt
 * when the event ends (eventGapIntervals learnt intervals in a row without an exceedance), not
 * with its first exceedance, so an attack that goes on (Munnin's exfiltrations come in slices
 * 200 and 205 s, and 300, 310 and 315 s: two events) is judged in its later intervals against
 * the threshold from before it, not one its own start lifted. Runs declustering takes a cluster
 * once it has ended (Coles 2001, §5.3.2); this keeps the first exceedance as the stand-in but
 * learns it then. (Until 7 Dec, fifth session, the stand-in was learnt eventGapIntervals learnt
 * intervals after the first exceedance, whether the event had ended or not: the third interval
 * of Munnin's second event met a limit its first had lifted; README "What each detector
 * watches", path, "Events learnt when they end".) An event lasting RELEARN_AFTER_INTERVALS
 * exceedances is learnt from then on as above, its stand-in still at its end. Not for the charts: a benign
 * burst lasting several intervals then alarms in each against the unlifted threshold (on the
 * default recordings' injected sweep `ewma`'s false alarms went 5 → 21 of 1,251, `control-chart`'s
 * 7 → 18; README "What each detector watches", path, "Events learnt when they end").
 *
 * Plausible stand-ins (`plausibleStandIns` p0, with deferEvents; `path`'s limit): the stand-in
 * rule takes every exceedance for a benign tail interval, which holds while exceedances come
 * at about α. A short run with several attacks breaks it: on the default recordings' injected
 * sweep (seven one-interval attacks in 45 scored intervals, `npm run quality` part b) each
 * attack learnt as a benign tail interval lifted `path`'s limit by ~3 on a window of ~35 scores
 * (8.1 → 10.9 → 14.0), and from the third attack on it stood above what a clipped path scores.
 * With p0 > 0 an ended event's stand-in is learnt only while that many stand-ins are plausible
 * for benign traffic: P(Bin(n + 1, α) ≥ s + 1) ≥ p0, n the window's scores and s the stand-ins
 * among them. Past that, the exceedances are more than the promised rate makes plausible and
 * the next one is more likely an attack than a tail interval, so it is not learnt (the count
 * test of Kupiec's proportion-of-failures backtest and the Basel "traffic light" zones for
 * Value-at-Risk exceedances: Kupiec, J. Derivatives 3(2), 1995; Basel Committee 1996). An event
 * lasting RELEARN_AFTER_INTERVALS exceedances is still learnt as a new normal. What it costs: where the limit
 * is too low (a fit to a short training), benign exceedances also come faster than α, and
 * those past the plausible count are not learnt either, so the limit stays low longer; measured
 * in README "What each detector watches", path, "Plausible stand-ins".
 */
export class TailThreshold {
  /** The last `window` scores learnt, sorted, with their PWM sums. */
  private readonly scores: SortedScoreWindow;
  private fitted: Gev | undefined;
  /** Intervals learnt since the last exceedance (none yet: infinitely many). */
  private sinceExceedance = Number.POSITIVE_INFINITY;
  /** Exceedances in the current event (see EVENT_GAP_INTERVALS). */
  private eventExceedances = 0;
  /** Whether the law was a point mass when the current event began (see learn()). */
  private eventOnPointMass = false;
  /** The current fit's threshold, once threshold() computed it (NaN: not yet). */
  private thresholdValue = Number.NaN;

  /** The window's peaks-over-threshold fit (`peaks` law; undefined: none applies), valid unless stale. */
  private peaks: PeaksTail | undefined;
  private peaksStale = true;
  /** With deferEvents: the stand-in of the event under way, learnt when the event ends (NaN: none). */
  private pending = Number.NaN;
  /** Scores learnt so far, and (with plausibleStandIns) the ordinals of the stand-ins among them still in the window, oldest first. */
  private learnt = 0;
  private readonly standIns: number[] = [];
  /** Stand-ins not learnt so far, as more than plausible (see plausibleStandIns). */
  private refused = 0;

  constructor(
    /** α, the fraction of benign intervals allowed to alarm, in (0, 0.5). */
    readonly falseAlarmRate: number,
    /** Scores remembered: the last this many learnt (see CALIBRATION_WINDOW). */
    window = CALIBRATION_WINDOW,
    /** Exceedances closer than this (learnt intervals) are one event, learnt once; 0: learn each. */
    private readonly eventGapIntervals = EVENT_GAP_INTERVALS,
    /** The law of the scores' tail (see TailLaw). */
    private readonly law: TailLaw = 'maxima',
    /**
     * Learn an event's stand-in once the event has ended (eventGapIntervals learnt intervals without an exceedance),
     * so that the event's next intervals are judged against the threshold from before it (see
     * the class comment, "Deferred"). Needs eventGapIntervals > 0.
     */
    private readonly deferEvents = false,
    /**
     * With deferEvents: learn an ended event's stand-in only while P(Bin(n + 1, α) ≥ s + 1) ≥
     * this, s the stand-ins among the window's n scores (see the class comment, "Plausible
     * stand-ins"). 0: always learn it.
     */
    private readonly plausibleStandIns = 0,
  ) {
    this.scores = new SortedScoreWindow(window);
  }

  /** Scores learnt and still in the window. */
  get samples(): number {
    return this.scores.size;
  }

  /** Ended events whose stand-in was not learnt, as more than plausible for benign traffic (see plausibleStandIns). */
  get refusedStandIns(): number {
    return this.refused;
  }

  /**
   * The 1 − α point of the fitted law, raised by Var(x̂)/(2α̂); NaN (never alarm) before
   * MIN_CALIBRATION_SCORES scores. Under the `peaks` law, once it applies, peaksThreshold's point
   * and margin (σL²/(2k)) instead; what follows is the extreme-value law's.
   *
   * Why raised: the chance of exceeding a threshold x is, in the tail, exp(−(x − ξ)/α), convex
   * in x, so a threshold estimated without bias but with sampling error x̂ ~ N(x, v) alarms more
   * often than the target on average: E[exp(−(x̂ − ξ)/α)] = exp(−(x − ξ)/α)·exp(v/(2α²)).
   * Raising x̂ by v/(2α) makes the EXPECTED realised rate the target, which is what the promise
   * is about. v is the L-moment Gumbel quantile's sampling variance
   *   v = (α²/n)(1.1128 + 0.4574·y + 0.8046·y²),  y = −ln(−ln(1 − rate))
   * (Phien, J. Hydrology 90, 1987); it matters at a few dozen scores (+0.67α at n = 15) and
   * fades as they accumulate (+0.01α at n = 1000). Checked by simulation: on Gumbel samples of
   * 15, 30 and 100 the expected rate of the raised threshold is 0.009 for a 0.01 target (0.015,
   * 0.011, 0.010 without).
   */
  threshold(): number {
    // Asked twice per fit (the detector's limit, then learn()'s cap): computed once (learn() forgets it).
    if (!Number.isNaN(this.thresholdValue)) return this.thresholdValue;
    const peaks = this.peaksFit();
    if (peaks !== undefined) {
      this.thresholdValue = peaksThreshold(peaks, this.falseAlarmRate);
      return this.thresholdValue;
    }
    const gev = this.fit();
    if (gev === undefined) return Number.NaN;
    const y = -Math.log(-Math.log(1 - this.falseAlarmRate));
    const margin = (gev.scale * (1.1128 + 0.4574 * y + 0.8046 * y * y)) / (2 * this.scores.size);
    this.thresholdValue = gevQuantile(gev, 1 - this.falseAlarmRate) + margin;
    return this.thresholdValue;
  }

  /** Learn an interval's score (non-finite scores are ignored): see the class comment for the cap and for events. */
  learn(score: number): void {
    if (!Number.isFinite(score)) return;
    if (this.scores.size >= MIN_CALIBRATION_SCORES) {
      const threshold = this.threshold();
      if (score > threshold) {
        const sameEvent = this.sinceExceedance < this.eventGapIntervals;
        const peaks = this.peaksFit();
        this.eventExceedances = sameEvent ? this.eventExceedances + 1 : 1;
        if (!sameEvent) this.eventOnPointMass = (peaks !== undefined ? peaks.scale : this.fit()!.scale) === 0;
        this.sinceExceedance = 0;
        if (sameEvent && this.eventExceedances < RELEARN_AFTER_INTERVALS) return;
        // A new normal over a point mass is learnt as it is: the law has no tail, so its mean
        // excess is 0 and the capped score would be the threshold itself, every time (a limit of
        // 1e-9 over a constant statistic, or one fitted to it, crawled up a mean excess at a time
        // and alarmed for the rest of the run). Over a law with a tail the cap stays (class comment).
        if (!(this.eventOnPointMass && this.eventExceedances >= RELEARN_AFTER_INTERVALS)) {
          score = threshold + (peaks !== undefined ? peaksMeanExcess(peaks, threshold) : meanExcess(this.fit()!, threshold));
          if (this.deferEvents && !sameEvent && this.eventGapIntervals > 0) {
            this.pending = score;
            return;
          }
        }
      } else {
        this.sinceExceedance++;
        // The event under way has ended (as many intervals without an exceedance as make two
        // events): its stand-in is learnt now, with this score.
        if (!Number.isNaN(this.pending) && this.sinceExceedance >= this.eventGapIntervals) {
          if (this.standInPlausible()) {
            this.add(this.pending);
            if (this.plausibleStandIns > 0) this.standIns.push(this.learnt);
          } else {
            this.refused++;
          }
          this.pending = Number.NaN;
        }
      }
    }
    this.add(score);
  }

  /** Whether one more stand-in is plausible for benign traffic (see plausibleStandIns); always, without it. */
  private standInPlausible(): boolean {
    if (!(this.plausibleStandIns > 0)) return true;
    // The window holds the scores learnt (learnt − size, learnt]: older stand-ins have left it.
    while (this.standIns.length > 0 && this.standIns[0]! <= this.learnt - this.scores.size) this.standIns.shift();
    return binomialUpperTail(this.standIns.length + 1, this.scores.size + 1, this.falseAlarmRate) >= this.plausibleStandIns;
  }

  private add(score: number): void {
    this.learnt++;
    this.scores.add(score);
    this.fitted = undefined;
    this.peaksStale = true;
    this.thresholdValue = Number.NaN;
  }

  /**
   * The `peaks` law's fit of the window's top tenth, when it applies (see TailLaw): not with too
   * few scores, nor when fewer than MIN_EXCESSES lie strictly above the level, nor for a rate α
   * as large as the fraction above the level (its 1 − α point would be in the bulk).
   */
  private peaksFit(): PeaksTail | undefined {
    if (this.law !== 'peaks' || this.scores.size < PEAKS_MIN_SCORES) return undefined;
    if (this.peaksStale) {
      const tail = peaksTail(this.scores.ascending, this.scores.size);
      this.peaks = tail !== undefined && tail.rate > this.falseAlarmRate ? tail : undefined;
      this.peaksStale = false;
    }
    return this.peaks;
  }

  private fit(): Gev | undefined {
    if (this.fitted !== undefined || this.scores.size < MIN_CALIBRATION_SCORES) return this.fitted;
    const n = this.scores.size;
    const { base, sum0, sum1, sum2 } = this.scores.pwmSums();
    // λ1, λ2 and τ3 = λ3/λ2 of the window shifted by `base`: λ1 moves by the shift.
    const { b0, l2, l3 } = lMomentsFromPwmSums(sum0, sum1, sum2, n);
    const l1 = b0 + base;
    // All scores equal (a constant statistic): a point mass; anything above it is a departure.
    this.fitted = l2 > 0 ? gevFromLMoments(l1, l2, l3 / l2) : { location: justAbove(l1), scale: 0, shape: 0 };
    return this.fitted;
  }
}

/**
 * The 1 − α point of a peaks-over-threshold fit, raised for its sampling error as threshold()
 * raises the extreme-value one: in an exponential tail of scale σ fitted to k excesses the
 * quantile σ̂·L (L = −ln q, q = α over the fraction above the level) has variance σ²L²/k, and the
 * exceedance probability exp(−x/σ) is convex in x, so x̂ + σL²/(2k) keeps the expected realised
 * rate at α (the same argument, with the exponential tail's variance for Phien's Gumbel one).
 * All excesses equal (no spread): anything above them is a departure.
 */
function peaksThreshold(tail: PeaksTail, rate: number): number {
  const x = peaksQuantile(tail, rate);
  if (tail.scale === 0) return justAbove(x);
  const L = -Math.log(rate / tail.rate);
  return x + (tail.scale * L * L) / (2 * tail.excesses);
}

/**
 * E[X − u | X > u] for a GEV variable and a high u: its excesses follow a generalized Pareto
 * law of shape k and scale α − k(u − ξ) (Pickands 1975; Hosking's signs), whose mean is
 * scale/(1 + k).
 */
function meanExcess(gev: Gev, u: number): number {
  return gpdMeanExcess(gev.scale, gev.shape, u - gev.location);
}

/** A value just above x (by 1e-9 of it, at least 1e-9): the threshold of a point mass, which anything above it crosses. */
function justAbove(x: number): number {
  return x + 1e-9 * Math.max(1, Math.abs(x));
}
