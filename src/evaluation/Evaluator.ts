import type { RunEvent, Snapshot, Verdict } from '../types.ts';
import { classifyInterval, firstBlame, firstBlameOnPath, isAttack, noPathToCheck, overlaps } from './attackIntervals.ts';
import { attackSize } from './attackSize.ts';
import { wilsonInterval } from './binomial.ts';
import { DEFAULT_AT_FPR, operatingPoints } from './operatingPoints.ts';
import { relativeScore } from './relativeScore.ts';
import { rocAuc } from './rocAuc.ts';
import type { AttackOutcome, DetectorSummary, ReplaySummary } from './ReplaySummary.ts';

interface EventState {
  scored: boolean;
  delaySeconds: number | null;
  /** The detecting alarm's first blamed edge and whether it is on this attack's path. */
  blame: ReturnType<typeof firstBlame> | null;
  /** One of its own scored intervals had no threshold (the detector could not alarm there). */
  uncalibrated: boolean;
}

class DetectorTally {
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;
  seen = 0;
  gaps = 0;
  training = 0;
  scored = 0;
  /** Scored intervals left out as grace intervals (right after an attack). */
  grace = 0;
  /** Of the intervals counted in tp, fp, tn, fn: those judged without a threshold (NaN: no alarm possible), and the attack ones among them. */
  uncalibrated = 0;
  uncalibratedAttack = 0;
  /** Alarms in scored attack intervals, and those whose first blamed edge lies on that attack. */
  blameAlarms = 0;
  blameOnPath = 0;
  /** Of blameAlarms, those in intervals of attacks without a path: nothing to check their blame against. */
  blameWithoutPath = 0;
  /** False-alarm episodes (see DetectorSummary.falseAlarmEpisodes), and the length of the run of adjacent false alarms the last scored interval ended. */
  episodes = 0;
  falseAlarmRun = 0;
  /** This detector's previous interval (the grace interval is the one after an attack's last); reused, not reallocated per verdict. */
  previous: { t: number; dt: number } | undefined;
  scores = new Float64Array(256);
  labels = new Uint8Array(256);
  /** Per scored interval: the score on the threshold's scale (relativeScore), to pool runs. */
  relative = new Float64Array(256);
  /**
   * Per scored interval: its t and dt, to find the attacks it overlaps at the end (an injected
   * attack's bytes are settled only then: reviseEvent).
   */
  t = new Float64Array(256);
  dt = new Float64Array(256);
  readonly events: EventState[] = [];

  record(v: Verdict, attack: boolean): void {
    if (this.scored === this.scores.length) {
      this.scores = grow(this.scores);
      this.labels = grow(this.labels);
      this.relative = grow(this.relative);
      this.t = grow(this.t);
      this.dt = grow(this.dt);
    }
    this.scores[this.scored] = v.score;
    this.labels[this.scored] = attack ? 1 : 0;
    this.relative[this.scored] = relativeScore(v.score, v.threshold);
    this.t[this.scored] = v.t;
    this.dt[this.scored] = v.dt;
    this.scored += 1;
  }
}

function grow<T extends Float64Array | Uint8Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** One detector's scored intervals (grace intervals left out), in stream order. */
export interface ScoredIntervals {
  /** Each interval's own score, as the run's summary.json ranks it (auc, operatingPoints). */
  readonly scores: Float64Array;
  /** relativeScore of each interval. */
  readonly relative: Float64Array;
  /** 1 for an attack interval. */
  readonly labels: Uint8Array;
  /**
   * Size of the largest exfiltration the interval overlaps (attackSize: `requestedBytes`, else
   * `bytes`; 0 when benign or unknown); -1 when it overlaps attacks but no exfiltration (a scan,
   * a lateral movement: they have no size, and are in no row of the comparison by bytes).
   */
  readonly attackBytes: Float64Array;
}

/**
 * Scores a stream of verdicts against the ground truth, as it goes: memory holds counts and,
 * per scored interval per detector, its score (for the ROC area), score ÷ threshold and the
 * size of the attack it is in (for comparing runs, compareRuns), never the verdicts.
 *
 * Attack events may be added until the first verdict arrives (synthetic injection reports its
 * events when the stream starts); informational events are ignored.
 */
export class Evaluator {
  private readonly attacks: RunEvent[] = [];
  private readonly tallies = new Map<string, DetectorTally>();
  private intervals = 0;
  private gaps = 0;

  /**
   * @param atFpr false-alarm rates at which each detector's operating point (threshold, TPR)
   *   is read off its ROC into the summary.
   */
  constructor(
    private readonly run: string,
    events: readonly RunEvent[] = [],
    private readonly atFpr: readonly number[] = DEFAULT_AT_FPR,
  ) {
    for (const e of events) this.addEvent(e);
  }

  addEvent(event: RunEvent): void {
    if (!isAttack(event)) return;
    if (this.tallies.size > 0) throw new Error('Evaluator: events must be added before the first verdict');
    this.attacks.push(event);
    this.attacks.sort((a, b) => a.start - b.start);
  }

  /**
   * Replace an attack added before the stream (the same object, or the one it was last
   * replaced with) with what is now known of it, in its place: synthetic injection learns an
   * attack's intervals as the stream reaches them (injectExfiltration's onRevised: the first
   * injected interval sets its start, each further one its end) and its bytes by the end. Each
   * interval is classified against the attacks as they stand when its verdicts come, after
   * the injection saw it, so a revision only ever settles intervals not yet classified.
   * Undefined drops the attack: a window that took no interval of the run is no attack.
   */
  reviseEvent(current: RunEvent, revised: RunEvent | undefined): void {
    const i = this.attacks.indexOf(current);
    if (i === -1) return;
    if (revised !== undefined) {
      this.attacks[i] = revised;
      return;
    }
    this.attacks.splice(i, 1);
    for (const tally of this.tallies.values()) tally.events.splice(i, 1);
  }

  /** Count an interval of the stream (each snapshot once, whatever the detectors do with it). */
  addSnapshot(s: Snapshot): void {
    this.intervals += 1;
    if (s.gap) this.gaps += 1;
  }

  /**
   * Score a verdict (each detector's verdicts in interval order); returns whether its interval
   * (t − dt, t] is an attack interval.
   */
  addVerdict(v: Verdict): boolean {
    let tally = this.tallies.get(v.detector);
    if (tally === undefined) {
      tally = new DetectorTally();
      for (let i = 0; i < this.attacks.length; i++) tally.events.push({ scored: false, delaySeconds: null, blame: null, uncalibrated: false });
      this.tallies.set(v.detector, tally);
    }
    const scored = !v.training && !v.gap;
    const c = classifyInterval(v, tally.previous, this.attacks);
    if (tally.previous === undefined) tally.previous = { t: v.t, dt: v.dt };
    else {
      tally.previous.t = v.t;
      tally.previous.dt = v.dt;
    }
    tally.seen += 1;
    if (v.gap) tally.gaps += 1;
    if (v.training) tally.training += 1;
    if (!scored) return c.attack;
    // An attack is detected by an alarm in one of its intervals or in the one right after them.
    for (const list of [c.inside, c.after]) {
      for (const i of list) {
        const state = tally.events[i]!;
        state.scored = true;
        if (v.alarm && state.delaySeconds === null) {
          state.delaySeconds = v.t - this.attacks[i]!.start;
          state.blame = firstBlame(v.blamed, this.attacks[i]!.path);
        }
      }
    }
    if (c.grace) {
      tally.grace += 1;
      return false;
    }
    // No threshold yet (a limit still calibrating) or none at all: score > NaN never alarms.
    if (Number.isNaN(v.threshold)) {
      tally.uncalibrated += 1;
      if (c.attack) {
        tally.uncalibratedAttack += 1;
        for (const i of c.inside) tally.events[i]!.uncalibrated = true;
      }
    }
    if (c.attack) {
      if (v.alarm) {
        tally.tp += 1;
        tally.blameAlarms += 1;
        if (firstBlameOnPath(v.blamed, this.attacks, c.inside)) tally.blameOnPath += 1;
        else if (noPathToCheck(this.attacks, c.inside)) tally.blameWithoutPath += 1;
      } else tally.fn += 1;
    } else if (v.alarm) {
      tally.fp += 1;
      // A run of L adjacent false alarms counts ⌈L/2⌉: its 1st, 3rd, 5th … interval.
      if (tally.falseAlarmRun++ % 2 === 0) tally.episodes += 1;
    } else tally.tn += 1;
    if (c.attack || !v.alarm) tally.falseAlarmRun = 0;
    tally.record(v, c.attack);
    return c.attack;
  }

  /**
   * Per detector, the attacks (positions in the summary's `attacks`) with an interval it judged
   * without a threshold: it could not alarm there (uncalibratedWarnings names them).
   */
  uncalibratedAttacks(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [name, t] of this.tallies) out.set(name, t.events.flatMap((e, i) => (e.uncalibrated ? [i] : [])));
    return out;
  }

  /** Each detector's scored intervals, raw and on the threshold's scale, for comparing runs (compareRuns). */
  scoredIntervals(): Map<string, ScoredIntervals> {
    const out = new Map<string, ScoredIntervals>();
    for (const [name, t] of this.tallies) {
      // The size of each interval's largest exfiltration, from the attacks as settled (run-format.md's overlap rule).
      const attackBytes = new Float64Array(t.scored);
      for (let i = 0; i < t.scored; i++) {
        let bytes = 0;
        let exfiltration = false;
        let other = false;
        for (const a of this.attacks) {
          if (!overlaps(t.t[i]!, t.dt[i]!, a)) continue;
          if (a.kind !== 'exfiltration') other = true;
          else {
            exfiltration = true;
            bytes = Math.max(bytes, attackSize(a) ?? 0);
          }
        }
        attackBytes[i] = other && !exfiltration ? -1 : bytes;
      }
      out.set(name, { scores: t.scores.slice(0, t.scored), relative: t.relative.slice(0, t.scored), labels: t.labels.slice(0, t.scored), attackBytes });
    }
    return out;
  }

  summary(): ReplaySummary {
    const detectors: Record<string, DetectorSummary> = {};
    let scoredIntervals = 0;
    let attackIntervals = 0;
    let trainingIntervals = 0;
    let graceIntervals = 0;
    let verdictIntervals = 0;
    let verdictGaps = 0;
    for (const [name, t] of this.tallies) {
      verdictIntervals = Math.max(verdictIntervals, t.seen);
      verdictGaps = Math.max(verdictGaps, t.gaps);
      scoredIntervals = Math.max(scoredIntervals, t.scored + t.grace);
      attackIntervals = Math.max(attackIntervals, t.tp + t.fn);
      trainingIntervals = Math.max(trainingIntervals, t.training);
      graceIntervals = Math.max(graceIntervals, t.grace);
      const scores = t.scores.subarray(0, t.scored);
      const labels = t.labels.subarray(0, t.scored);
      const outcomes = t.events.map(
        (e, attack): AttackOutcome => ({ attack, scored: e.scored, detected: e.delaySeconds !== null, delaySeconds: e.delaySeconds, firstBlamed: e.blame?.edge ?? null, blameOnPath: e.blame?.onPath ?? null }),
      );
      const delays = outcomes.flatMap((o) => (o.delaySeconds === null ? [] : [o.delaySeconds]));
      detectors[name] = {
        tp: t.tp,
        fp: t.fp,
        tn: t.tn,
        fn: t.fn,
        tpr: ratio(t.tp, t.tp + t.fn),
        fpr: ratio(t.fp, t.fp + t.tn),
        fnr: ratio(t.fn, t.fn + t.tp),
        precision: ratio(t.tp, t.tp + t.fp),
        f1: ratio(2 * t.tp, 2 * t.tp + t.fp + t.fn),
        auc: rocAuc(scores, labels),
        uncalibratedIntervals: t.uncalibrated,
        uncalibratedAttackIntervals: t.uncalibratedAttack,
        events: {
          detected: delays.length,
          total: outcomes.filter((o) => o.scored).length,
          meanDelaySeconds: delays.length === 0 ? null : delays.reduce((a, b) => a + b, 0) / delays.length,
          outcomes,
        },
        // The run format's two counts, as it defines them; beside them, only when some alarm had no path to check, how many.
        blame: { alarms: t.blameAlarms, onPath: t.blameOnPath },
        ...(t.blameWithoutPath > 0 ? { blameWithoutPath: t.blameWithoutPath } : {}),
        // JSON has no infinity: a threshold below every score (all benign NaN) is written as null.
        operatingPoints: operatingPoints(scores, labels, this.atFpr).map((p) => (p.threshold === null || Number.isFinite(p.threshold) ? p : { ...p, threshold: null })),
        falseAlarmEpisodes: t.episodes,
        fprInterval95: wilsonInterval(t.fp, t.fp + t.tn),
        tprInterval95: wilsonInterval(t.tp, t.tp + t.fn),
      };
    }
    return {
      run: this.run,
      // Without snapshots counted, the verdicts tell (one per detector per interval).
      intervals: this.intervals || verdictIntervals,
      scoredIntervals,
      attackIntervals,
      graceIntervals,
      gapIntervals: this.intervals ? this.gaps : verdictGaps,
      trainingIntervals,
      attacks: this.attacks,
      detectors,
    };
  }
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
