import type { RunEvent, Snapshot, Verdict } from '../types.ts';
import { isAttack, overlaps } from './attackIntervals.ts';
import { rocAuc } from './rocAuc.ts';
import type { AttackOutcome, DetectorSummary, ReplaySummary } from './ReplaySummary.ts';

interface EventState {
  scored: boolean;
  delaySeconds: number | null;
  /** The previous interval of this detector overlapped the attack: the next one still counts. */
  inOrJustAfter: boolean;
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
  scores = new Float64Array(256);
  labels = new Uint8Array(256);
  readonly events: EventState[] = [];

  record(score: number, attack: boolean): void {
    if (this.scored === this.scores.length) {
      const scores = new Float64Array(this.scored * 2);
      scores.set(this.scores);
      this.scores = scores;
      const labels = new Uint8Array(this.scored * 2);
      labels.set(this.labels);
      this.labels = labels;
    }
    this.scores[this.scored] = score;
    this.labels[this.scored] = attack ? 1 : 0;
    this.scored += 1;
  }
}

/**
 * Scores a stream of verdicts against the ground truth, as it goes: memory holds counts and
 * one score per scored interval per detector (for the ROC area), never the verdicts.
 *
 * Attack events may be added until the first verdict arrives (synthetic injection reports its
 * events when the stream starts); informational events are ignored.
 */
export class Evaluator {
  private readonly attacks: RunEvent[] = [];
  private readonly tallies = new Map<string, DetectorTally>();
  private intervals = 0;
  private gaps = 0;

  constructor(
    private readonly run: string,
    events: readonly RunEvent[] = [],
  ) {
    for (const e of events) this.addEvent(e);
  }

  addEvent(event: RunEvent): void {
    if (!isAttack(event)) return;
    if (this.tallies.size > 0) throw new Error('Evaluator: events must be added before the first verdict');
    this.attacks.push(event);
    this.attacks.sort((a, b) => a.start - b.start);
  }

  /** Count an interval of the stream (each snapshot once, whatever the detectors do with it). */
  addSnapshot(s: Snapshot): void {
    this.intervals += 1;
    if (s.gap) this.gaps += 1;
  }

  /** Score a verdict; returns whether its interval (t − dt, t] overlaps any attack. */
  addVerdict(v: Verdict): boolean {
    let tally = this.tallies.get(v.detector);
    if (tally === undefined) {
      tally = new DetectorTally();
      for (let i = 0; i < this.attacks.length; i++) tally.events.push({ scored: false, delaySeconds: null, inOrJustAfter: false });
      this.tallies.set(v.detector, tally);
    }
    const scored = !v.training && !v.gap;
    let attack = false;
    for (let i = 0; i < this.attacks.length; i++) {
      const a = this.attacks[i]!;
      const state = tally.events[i]!;
      const inside = overlaps(v.t, v.dt, a);
      if (inside) attack = true;
      if (!inside && !state.inOrJustAfter) continue;
      // Its own intervals, or the one right after the last of them.
      state.inOrJustAfter = inside;
      if (!scored) continue;
      state.scored = true;
      if (v.alarm && state.delaySeconds === null) state.delaySeconds = v.t - a.start;
    }
    tally.seen += 1;
    if (v.gap) tally.gaps += 1;
    if (v.training) tally.training += 1;
    if (!scored) return attack;
    if (attack) {
      if (v.alarm) tally.tp += 1;
      else tally.fn += 1;
    } else if (v.alarm) tally.fp += 1;
    else tally.tn += 1;
    tally.record(v.score, attack);
    return attack;
  }

  summary(): ReplaySummary {
    const detectors: Record<string, DetectorSummary> = {};
    let scoredIntervals = 0;
    let attackIntervals = 0;
    let trainingIntervals = 0;
    let verdictIntervals = 0;
    let verdictGaps = 0;
    for (const [name, t] of this.tallies) {
      verdictIntervals = Math.max(verdictIntervals, t.seen);
      verdictGaps = Math.max(verdictGaps, t.gaps);
      scoredIntervals = Math.max(scoredIntervals, t.scored);
      attackIntervals = Math.max(attackIntervals, t.tp + t.fn);
      trainingIntervals = Math.max(trainingIntervals, t.training);
      const outcomes = t.events.map((e, attack): AttackOutcome => ({ attack, scored: e.scored, detected: e.delaySeconds !== null, delaySeconds: e.delaySeconds }));
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
        auc: rocAuc(t.scores.subarray(0, t.scored), t.labels.subarray(0, t.scored)),
        events: {
          detected: delays.length,
          total: outcomes.filter((o) => o.scored).length,
          meanDelaySeconds: delays.length === 0 ? null : delays.reduce((a, b) => a + b, 0) / delays.length,
          outcomes,
        },
      };
    }
    return {
      run: this.run,
      // Without snapshots counted, the verdicts tell (one per detector per interval).
      intervals: this.intervals || verdictIntervals,
      scoredIntervals,
      attackIntervals,
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
