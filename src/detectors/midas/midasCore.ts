import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength, ensureLengthBytes } from '../growable.ts';
import type { ActiveEdges } from '../sparse/index.ts';
import { EDGE_FORGET_AFTER_SECONDS } from '../edgeIndex.ts';
import { RELEARN_AFTER_INTERVALS, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { chiSquared, chiSquaredShare } from './chiSquared.ts';
import { MidasCounts } from './midasCounts.ts';

export interface MidasParameters {
  /** MIDAS-R's decay: the current counts are multiplied by this at each new tick, in [0, 1). */
  readonly decay: number;
  /** Rows of every count-min sketch. */
  readonly depth: number;
  /** Counters per row. */
  readonly width: number;
  /** `load`: an item's current share of its total is compared with all traffic's (chiSquaredShare); `ticks`: with 1/t, the paper's (chiSquared). */
  readonly baseline: 'load' | 'ticks';
  /** `upper`: only an item above its expected count scores (a burst); `both`: the paper's two-sided statistic. */
  readonly tail: 'upper' | 'both';
}

/**
 * MIDAS-R (Bhatia, Hooi, Yoon, Shin & Faloutsos, AAAI 2020, Algorithm 2) over the interval
 * stream: one tick per non-gap interval (training included; a gap is unknown traffic, not a
 * tick of none), each edge's count in the interval (the watched metrics added up: requests and
 * TCP connections by default) arriving at once rather than one record at a time.
 *
 * Six count-min sketches (MidasCounts): current and total counts of edges (u, v), of sources u and of
 * destinations v. At each tick the current counts are first multiplied by `decay` (the
 * "relational" part: a burst that lasts keeps counting), then every active edge adds its count
 * to its edge's, its source's and its destination's counters, current and total. Each active
 * edge's score is the largest of the three chi-squared scores X²(a, s, t) (see chiSquared) of
 * its edge, source and destination; the interval's score is the largest over its active edges.
 * Departure from the paper's per-record stream: the score is taken once the whole interval has
 * arrived (the paper scores a record with the counts of the records before it in its tick), so
 * every edge of an interval is judged on the same counts and the order of edges does not matter.
 *
 * Thresholded by the AlarmLimit (calibrated to the false-alarm rate on the detector's own
 * interval scores, training intervals included, each learnt after it is judged). Blamed: the
 * active edges with the highest scores over the threshold (an edge carries its source's or
 * destination's score when that is the larger: a scanning source's edges share its score).
 *
 * Departure from the paper, which learns every record: munnin's rule that a detector never
 * learns from what it alarmed on. Without it one burst of 1e4 requests in one interval on one
 * new edge made every edge alarm for 22 intervals (9e15 requests: to the end of the run), blamed
 * edges that did not burst, all with one score, and lifted the threshold from 2.6 to 2.2e13:
 * the burst was all traffic's current count A, so p = A/S set every other edge's expected
 * count s·p far above what it carried, and the totals S and s kept it for good
 * (test/regression/midasBurstOnOneEdge.test.ts). So, in an interval whose score crosses the
 * threshold, a *burst* is an edge over the threshold whose own current count is above its
 * expected s·p (s/t with the paper's baseline): not a shortfall another edge's burst caused,
 * nor an edge carrying its node's score. A burst is
 * - scored on its own count (it alarms, and is blamed, as before), while every edge is scored
 *   again with p taken from all traffic with the bursts counted as what they are learnt as
 *   (below; one pass, not iterated);
 * - learnt as its expected count when that is smaller than its own: its past total times this
 *   interval's traffic per past total, both without the bursts (its past ticks' mean with the
 *   paper's baseline), but not below an ordinary edge's count in the interval (the mean of the
 *   others': a new or intermittent edge expects nothing from its own past, and learnt as 0 it
 *   stayed new and alarmed on each return: 0.0227 of the calibration suite's intermittent
 *   intervals, against 0.0079 learning every record and with this floor alike). The six sketches and A, S are put back to their values saved before the
 *   interval was added and every edge is added again, exactly (subtracting 9e15 again would
 *   not give back the small counts under it).
 * An edge that is a burst RELEARN_AFTER_INTERVALS times in a row (its silences between do not
 * break the row) is learnt as it is from then on (a new normal), as a chart's series is
 * (LearningGate). A third departure, for an edge that was a burst on RELEARN_AFTER_INTERVALS
 * consecutive ticks: its history is re-based (MidasCounts.rebase) so that it reads as if it had
 * always carried its current level: its total, and its source's, destination's and all
 * traffic's, are raised until its total is to its current count as the rest of the traffic's.
 * Why: the score compares the current count with the total times the tick's share (≈ 1/t), and
 * an edge that began late (an existing edge back after 400 silent intervals, carrying its
 * ordinary ~31 requests) has a total tiny against t, so learning its counts left it ~50× over
 * the threshold for dozens of ticks: 37 alarms in a row, each learnt by the limit, which rose
 * 10-70× and then missed 2 of 3 lateral calls (test/regression/midasEdgeAfterLongSilence.test.ts).
 * Not for an intermittent edge's returns (a row with silences): they are learnt at their count
 * as before, but its silences are real history, and read as a steady level a repeated
 * exfiltration to a new host went unseen after its fifth time
 * (test/regression/repeatedExfiltrationToNewHost.test.ts).
 * Training intervals learn everything, as every detector's do; an interval with no burst is
 * counted exactly as in the paper, so on benign traffic the scores barely move (the calibration
 * suite's pooled rate 0.0135 before, 0.0134 after).
 * Memory: 6·depth·width counters, whatever the number of distinct edges and nodes, plus the
 * streaks of edges in a row of bursts (dropped after a day of silence).
 */
export class MidasR implements DetectorCore {
  private readonly c: MidasCounts;
  /** This interval's score per active edge (in MidasCounts' order). */
  private scores = new Float64Array(64);
  private judged = false;
  /** Bursts in a row (see learnBursts) by edge, and the end of the last; how many were kept at the last clean-up. */
  private readonly streaks = new Map<unknown, { streak: number; t: number; unbroken: number; tick: number }>();
  private streaksKept = 0;
  /** Scratch: whether active edge k is a burst, and the amount it is learnt as (see markBursts). */
  private burst = new Uint8Array(64);
  private learnt = new Float64Array(64);
  /** Scratch: whether active edge k became the new normal this tick (see learnBursts). */
  private newNormal = new Uint8Array(64);
  private readonly top = new TopBlamed();

  constructor(
    private readonly edges: ActiveEdges,
    private readonly p: MidasParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
  ) {
    this.c = new MidasCounts(edges, p);
  }

  train(frame: Frame): void {
    this.c.count(frame);
    this.limit.learn(this.scoreAll(this.share()));
  }

  judge(frame: Frame): Judgement {
    const n = this.c.count(frame);
    if (!this.judged) {
      // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
      this.judged = true;
      this.onTrained?.();
    }
    const threshold = this.limit.limit(Math.max(1, n));
    let score = this.scoreAll(this.share());
    const bursts = score > threshold && this.markBursts(threshold);
    if (bursts && this.p.baseline === 'load') score = this.scoreAll(this.share(this.learnt));
    this.limit.learn(score);
    const alarm = score > threshold;
    const { top, scores } = this;
    const { active } = this.c;
    top.reset();
    if (alarm) for (let k = 0; k < n; k++) top.offer(active[k]!, scores[k]!);
    const blamed = alarm ? top.toBlamed((e) => this.edges.edgeOf(e), threshold) : [];
    this.learnBursts(frame, threshold, bursts);
    return { score, threshold, blamed };
  }

  /**
   * The tick's expected share of an item's total: 1/t (the paper: NaN here), or all traffic's
   * share now (A/S), with each active edge's count replaced by `amounts[k]` when given.
   */
  private share(amounts?: Float64Array): number {
    if (this.p.baseline !== 'load') return Number.NaN;
    const c = this.c;
    if (amounts === undefined) return c.currentAll / c.totalAll;
    let current = c.currentBefore;
    let total = c.totalBefore;
    for (let k = 0; k < c.activeCount; k++) {
      current += amounts[k]!;
      total += amounts[k]!;
    }
    return current / total;
  }

  /** Score every active edge against `share` (NaN: the paper's 1/t); returns the largest. */
  private scoreAll(share: number): number {
    const c = this.c;
    const n = c.activeCount;
    const { depth } = this.p;
    const t = c.tick;
    this.scores = ensureLength(this.scores, n);
    const { scores } = this;
    const { positions } = c;
    let max = 0;
    const load = this.p.baseline === 'load';
    // The expected share of an item's total this tick; with `upper`, an item at or under it scores 0.
    const expected = load ? share : 1 / t;
    const upper = this.p.tail === 'upper';
    const item = (current: number, total: number): number =>
      upper && current <= total * expected ? 0 : load ? chiSquaredShare(current, total, share) : chiSquared(current, total, t);
    for (let k = 0; k < n; k++) {
      const at = k * 3 * depth;
      const edge = item(c.currentEdge.estimate(positions, at), c.totalEdge.estimate(positions, at));
      const source = item(c.currentSource.estimate(positions, at + depth), c.totalSource.estimate(positions, at + depth));
      const destination = item(c.currentDestination.estimate(positions, at + 2 * depth), c.totalDestination.estimate(positions, at + 2 * depth));
      const score = Math.max(edge, source, destination);
      scores[k] = score;
      if (score > max) max = score;
    }
    return max;
  }

  /**
   * Mark in `burst` the active edges over the threshold whose own current count is above its
   * expected s·p (s/t with the paper's baseline): a burst, not a shortfall that another edge's
   * burst caused, nor a share of a node's score. Set `learnt[k]`, what each edge would be learnt
   * as: its count, or for a burst the count expected of it this tick (see the class comment),
   * when smaller. Returns whether any edge is a burst.
   */
  private markBursts(threshold: number): boolean {
    const c = this.c;
    const n = c.activeCount;
    const { depth } = this.p;
    this.burst = ensureLengthBytes(this.burst, n);
    this.learnt = ensureLength(this.learnt, n);
    const { burst, learnt } = this;
    const { counts, positions } = c;
    const share = this.p.baseline === 'load' ? this.share() : 1 / c.tick;
    let any = false;
    let keptCount = 0;
    let kept = 0;
    let burstTotals = 0;
    for (let k = 0; k < n; k++) {
      const at = k * 3 * depth;
      burst[k] = this.scores[k]! > threshold && c.currentEdge.estimate(positions, at) > c.totalEdge.estimate(positions, at) * share ? 1 : 0;
      learnt[k] = counts[k]!;
      if (burst[k]) {
        any = true;
        burstTotals += c.pastTotal(k);
      } else {
        keptCount += counts[k]!;
        kept++;
      }
    }
    if (!any) return false;
    // A burst's expected count: its past total times this tick's traffic per past total, both
    // without the bursts ('load'); its past ticks' mean ('ticks'). But never below an ordinary
    // edge's count now (the mean of the others'): a new or intermittent edge expects nothing
    // from its own past, and learning it as 0 kept it new, alarming on each return.
    const rate = this.p.baseline === 'load' ? keptCount / (c.totalBefore - burstTotals) : 1 / (c.tick - 1);
    const ordinary = kept > 0 ? keptCount / kept : 0;
    for (let k = 0; k < n; k++) {
      if (!burst[k]) continue;
      const own = c.pastTotal(k) * rate;
      const expected = own > ordinary ? own : ordinary;
      if (expected < counts[k]!) learnt[k] = expected;
    }
    return true;
  }

  /**
   * Learn the bursts (markBursts) still over the threshold at their expected count, not their
   * own (see the class comment), unless they have been over it RELEARN_AFTER_INTERVALS times in
   * a row. A streak lasts through an edge's silences, as LearningGate's through a series' (an
   * intermittent edge's returns are its row), and ends when the edge is active and not a burst.
   * An edge that was a burst on RELEARN_AFTER_INTERVALS consecutive ticks is also re-based
   * (MidasCounts.rebase): see the class comment.
   */
  private learnBursts(frame: Frame, threshold: number, bursts: boolean): void {
    const c = this.c;
    const n = c.activeCount;
    const list = frame.edges.list;
    const { streaks, scores, burst, learnt } = this;
    const { counts } = c;
    let any = false;
    let newNormal = false;
    if (bursts) this.newNormal = ensureLengthBytes(this.newNormal, n);
    const marked = this.newNormal;
    for (let k = 0; (bursts || streaks.size > 0) && k < n; k++) {
      const edge = list[c.active[k]!];
      if (bursts) marked[k] = 0;
      if (!bursts || !burst[k] || !(scores[k]! > threshold)) {
        if (bursts) learnt[k] = counts[k]!;
        streaks.delete(edge);
        continue;
      }
      const last = streaks.get(edge);
      const streak = (last?.streak ?? 0) + 1;
      // The bursts of the row on consecutive ticks, up to this one: an edge back for good.
      const unbroken = last !== undefined && last.tick === c.tick - 1 ? last.unbroken + 1 : 1;
      streaks.set(edge, { streak, t: frame.t, unbroken, tick: c.tick });
      if (streak >= RELEARN_AFTER_INTERVALS) learnt[k] = counts[k]!;
      if (unbroken >= RELEARN_AFTER_INTERVALS) {
        marked[k] = 1;
        newNormal = true;
      }
      if (learnt[k] !== counts[k]) any = true;
    }
    if (streaks.size > 2 * this.streaksKept + 64) {
      // The streaks of edges silent for a day go (the edge index forgets such an edge too).
      for (const [edge, { t }] of streaks) if (frame.t - t > EDGE_FORGET_AFTER_SECONDS) streaks.delete(edge);
      this.streaksKept = streaks.size;
    }
    if (any) c.learnInstead(learnt);
    if (newNormal) c.rebase(marked);
  }
}
