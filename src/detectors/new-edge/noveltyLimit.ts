import { binomialUpperTail } from '../stats/binomialUpperTail.ts';
import { CALIBRATION_WINDOW, MIN_CALIBRATION_SCORES, TailThreshold } from '../stats/tailThreshold.ts';

/**
 * `new-edge`'s threshold: the rule "any novelty alarms" (threshold 0) where novelty is rare, as
 * in a service mesh, whose call graph is fixed by its code; a threshold calibrated to the
 * false-alarm rate (TailThreshold, as every other detector) where novelty is common, as in a
 * connection log, in which a few dozen host pairs never seen before appear every minute and
 * the rule would alarm on every interval.
 *
 * Which regime holds is a test, not a setting: of the last n learnt interval scores, k carried
 * novelty; the calibrated threshold is used once P(Bin(n, α) ≥ k) < NOVELTY_EVIDENCE, i.e. once
 * novelty is far more common than the false-alarm rate α allows the rule to alarm. A mesh whose
 * training still discovers a rare call or two (a checkout path first taken late) stays with the
 * rule: a lateral movement's single new edge must alarm there.
 *
 * Learning: training scores (one step ahead: how new each frame was before it was learnt); after
 * training, under the rule, an alarmed interval is not learnt (a detector never learns from
 * what it alarmed on), and under the calibration TailThreshold learns it at its expected benign
 * size. Departure, stated: until MIN_CALIBRATION_SCORES scores are learnt (a training of one or
 * two intervals, e.g. the 60-s default on a one-minute log) nothing can be calibrated, so those
 * first scores are learnt as they are, alarmed or not; otherwise a log replayed with a short
 * training would stay under the rule, alarming on every interval, forever.
 */
export class NoveltyLimit {
  private readonly tail: TailThreshold;
  /** 1 where the learnt score in the ring carried novelty. */
  private readonly novel = new Uint8Array(CALIBRATION_WINDOW);
  private next = 0;
  private count = 0;
  private novelCount = 0;
  private cachedFor = -1;
  private cachedCommon = false;

  constructor(private readonly falseAlarmRate: number) {
    this.tail = new TailThreshold(falseAlarmRate);
  }

  /** The threshold for the next interval: 0 (the rule) or the calibrated one, never below 0. */
  limit(): number {
    if (this.tail.samples < MIN_CALIBRATION_SCORES || !this.common()) return 0;
    const calibrated = this.tail.threshold();
    return calibrated > 0 ? calibrated : 0;
  }

  /** Learn a training interval's score (declared benign: learnt as it is). */
  learnTraining(score: number): void {
    this.add(score);
  }

  /** Learn a scored interval's score, judged against `threshold` (what limit() gave for it). */
  learnScored(score: number, threshold: number): void {
    const warmingUp = this.tail.samples < MIN_CALIBRATION_SCORES;
    if (score > threshold && threshold === 0 && !warmingUp) return;
    this.add(score);
  }

  private add(score: number): void {
    if (!Number.isFinite(score)) return;
    this.tail.learn(score);
    const novel = score > 0 ? 1 : 0;
    if (this.count === CALIBRATION_WINDOW) this.novelCount -= this.novel[this.next]!;
    else this.count++;
    this.novel[this.next] = novel;
    this.novelCount += novel;
    this.next = (this.next + 1) % CALIBRATION_WINDOW;
  }

  /** Novelty far more common than α: P(Bin(n, α) ≥ k) < NOVELTY_EVIDENCE (cached per n, k). */
  private common(): boolean {
    const key = this.count * (CALIBRATION_WINDOW + 1) + this.novelCount;
    if (key !== this.cachedFor) {
      this.cachedFor = key;
      this.cachedCommon = binomialUpperTail(this.novelCount, this.count, this.falseAlarmRate) < NOVELTY_EVIDENCE;
    }
    return this.cachedCommon;
  }
}

/** The evidence (a p-value) that switches `new-edge` from the rule to the calibrated threshold. */
export const NOVELTY_EVIDENCE = 0.001;

