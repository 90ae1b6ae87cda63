import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import type { SeriesSource } from './seriesSource.ts';
import { ensureLength } from '../growable.ts';
import { EdgeSlots } from './edgeSlots.ts';
import { SPARSE_BELOW, VisitList } from './visitList.ts';

/**
 * Silence, in seconds (between the ends of a series' last and current active intervals), after
 * which a chart forgets a series: one day, as new-edge's forgetAfterSeconds.
 */
export const SERIES_FORGET_AFTER_SECONDS = 86_400;

/**
 * What every per-series chart (ewma, control-chart, and those built on them) does around its own
 * statistic, written once: each interval, training included, every series is scored from the
 * past alone (`zOf`), the interval's score is the largest z, the threshold comes from the
 * AlarmLimit (which learns every interval's score), the series over it are blamed, highest
 * first, and only then does each series learn its value (`learnValue`), told whether it may:
 * not when its z crossed the threshold (LearningGate: a detector never learns from what it
 * alarmed on, unless the change lasts). An interval in which no series could be scored (all
 * warming up or silent) scores 0.
 */
export abstract class SeriesChart implements DetectorCore {
  /** Scratch: this interval's z per slot (NaN = not scored). */
  private z = new Float64Array(64);
  /**
   * A series' state lives in a slot (the subclasses' arrays are indexed by slot), given when it
   * is first active (x > 0; before that its state would be all 0, and a value of 0 or NaN
   * changes nothing in it) and taken back when it has been silent for more than
   * SERIES_FORGET_AFTER_SECONDS: it then starts over (warm-up again) when it next carries
   * traffic. Memory follows the series active within that time, not every series ever seen.
   */
  private readonly slots = new EdgeSlots(SERIES_FORGET_AFTER_SECONDS, (s) => this.fresh(s));
  private slotCapacity = 0;
  /** Series in the last frame read. */
  private count = 0;
  private trained = false;
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  /**
   * Sparse intervals (the source lists its `touched` series): the series visited, i.e. those
   * touched and those carried from the interval before. Every other series is 0 (or unknown)
   * and was 0 or unknown last time too, so its statistic is NaN (a silence is scored only right
   * after activity) and its alarm streak 0: what a dense loop would do to it is only what
   * `skipSilent` catches up on when it is next visited.
   */
  private readonly visit = new VisitList();
  private sparse = false;
  /** Series whose value was not 0 (active or unknown) at their last visit: visited next time. */
  private carry = new Int32Array(64);
  private carried = 0;
  /** Intervals so far in which the series not visited were 0 (not unknown). */
  private silentIntervals = 0;
  /** Per slot, silentIntervals after its series' last visit. */
  private lastSeen = new Float64Array(64);
  /** Whether the series not visited this interval are 0 (else unknown). */
  private zeroElsewhere = true;

  constructor(
    protected readonly source: SeriesSource,
    private readonly limit: AlarmLimit,
    /** Called once when training ends (e.g. to warn that nothing was watched). */
    private readonly onTrained?: () => void,
  ) {}

  /** Make room for `n` slots (their number only grows). */
  protected abstract reserve(n: number): void;
  /** Slot s starts over: the state of a series never seen (all 0). */
  protected abstract resetSlot(s: number): void;
  /** The statistic of slot s's series for value x (NaN: not scored this interval), from its past alone. */
  protected abstract zOf(s: number, x: number): number;
  /** Slot s's series' value after judging; `admitted`: whether it may enter the baseline. */
  protected abstract learnValue(s: number, x: number, admitted: boolean): void;
  /**
   * Slot s's series was 0 in the last `intervals` intervals without being visited: do what
   * learnValue(s, 0, true) that many times would have done (a series not visited is never
   * scored, so it was always admitted).
   */
  protected skipSilent(_s: number, _intervals: number): void {}

  train(frame: Frame): void {
    const { score } = this.scoreFrame(frame);
    this.limit.learn(score);
    this.learnFrame(Number.NaN);
  }

  judge(frame: Frame): Judgement {
    const { score, judged } = this.scoreFrame(frame);
    if (!this.trained) {
      // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
      this.trained = true;
      this.onTrained?.();
    }
    const threshold = this.limit.limit(judged);
    const alarm = score > threshold;
    const { top, z } = this;
    top.reset();
    if (alarm) {
      const { sparse, visit, slots } = this;
      const count = sparse ? visit.length : this.count;
      for (let j = 0; j < count; j++) {
        const i = sparse ? visit.items[j]! : j;
        const s = slots.of(i);
        if (s >= 0 && z[s]! > threshold) top.offer(i, z[s]!);
      }
    }
    const blamed = alarm ? top.toBlamed((s) => this.source.label(s)) : [];
    this.limit.learn(score);
    this.learnFrame(threshold);
    return { score: Number.isNaN(score) ? 0 : score, threshold, blamed };
  }

  private scoreFrame(frame: Frame): { score: number; judged: number } {
    const n = this.source.read(frame);
    this.count = n;
    this.slots.reserve(n);
    this.slots.sweep(frame.t);
    const source = this.source;
    // A series standing for a new edge now (its position was recycled) starts over, whatever its slot's last activity.
    const recycled = source.recycled;
    if (recycled !== undefined) for (let j = 0; j < recycled.length; j++) this.slots.drop(recycled[j]!);
    // A source touching most series (a small mesh where nearly every edge is busy) is read
    // densely: the same result, and a plain loop over all costs less than the list's bookkeeping.
    const touched = source.touched !== undefined && (source.touched.length < SPARSE_BELOW * n || source.unknownElsewhere === true) ? source.touched : undefined;
    const visit = this.visit;
    this.sparse = touched !== undefined;
    this.zeroElsewhere = touched === undefined || source.unknownElsewhere !== true;
    if (touched !== undefined) {
      visit.begin();
      visit.addAll(touched);
      // Carried series are unknown now when the others are: nothing to do for them (NaN is neither scored nor learnt).
      if (this.zeroElsewhere) visit.addAll(this.carry, this.carried);
      visit.sort();
    }
    const count = touched !== undefined ? visit.length : n;
    const x = source.values;
    const silentBefore = this.silentIntervals;
    const t = frame.t;
    let score = Number.NEGATIVE_INFINITY;
    let judged = 0;
    for (let j = 0; j < count; j++) {
      const i = touched !== undefined ? visit.items[j]! : j;
      const xi = x[i]!;
      let s: number;
      // Active: its slot, or a fresh one (none yet, or silent too long); else only a slot it holds.
      if (xi > 0) s = this.slots.take(i, t);
      else if ((s = this.slots.of(i)) < 0) continue;
      const skipped = silentBefore - this.lastSeen[s]!;
      if (skipped > 0) this.skipSilent(s, skipped);
      const zi = this.zOf(s, xi);
      this.z[s] = zi;
      if (Number.isNaN(zi)) continue;
      judged++;
      if (zi > score) score = zi;
    }
    return { score: judged === 0 ? Number.NaN : score, judged };
  }

  /** NaN threshold (training): every value may be learnt. A series not scored leaves its alarm streak as it was. */
  private learnFrame(threshold: number): void {
    const x = this.source.values;
    const { z, sparse, visit, lastSeen } = this;
    const count = sparse ? visit.length : this.count;
    const seen = (this.silentIntervals += this.zeroElsewhere ? 1 : 0);
    // Carried on: the series not 0 now (active or unknown); when the others are unknown, also
    // what was carried (not visited now).
    let carried = 0;
    const keep = this.zeroElsewhere ? 0 : this.carried;
    if (this.carry.length < count + keep) {
      const grown = new Int32Array(Math.max(count + keep, 2 * this.carry.length));
      grown.set(this.carry.subarray(0, keep));
      this.carry = grown;
    }
    const carry = this.carry;
    carried = keep;
    // Only some sources learn per series (LoadAdjustedSeries): looked up once, not per series.
    const learnSeries = this.source.learnSeries?.bind(this.source);
    for (let j = 0; j < count; j++) {
      const i = sparse ? visit.items[j]! : j;
      const xi = x[i]!;
      if (xi !== 0) carry[carried++] = i;
      // A series without a slot has the state of one never seen, which 0 or NaN leaves as it is.
      const s = this.slots.of(i);
      if (s < 0) continue;
      const zi = z[s]!;
      const admitted = Number.isNaN(zi) || this.gate.admit(s, zi > threshold);
      this.learnValue(s, xi, admitted);
      learnSeries?.(i, admitted);
      lastSeen[s] = seen;
    }
    this.carried = carried;
  }

  /**
   * Slot s handed out anew (EdgeSlots): all 0, as if visited last now (silentIntervals only moves
   * in learnFrame, so it is the count the interval's series are compared with).
   */
  private fresh(s: number): void {
    if (s >= this.slotCapacity) {
      const capacity = Math.max(s + 1, 2 * this.slotCapacity, 64);
      this.z = ensureLength(this.z, capacity);
      this.lastSeen = ensureLength(this.lastSeen, capacity);
      this.reserve(capacity);
      this.slotCapacity = capacity;
    }
    this.resetSlot(s);
    this.gate.reset(s);
    this.lastSeen[s] = this.silentIntervals;
  }
}
