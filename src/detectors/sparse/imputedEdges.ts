import type { Frame, MetricKey } from '../../types.ts';
import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import { RELEARN_AFTER_INTERVALS, type SeriesLabel } from '../stats/index.ts';
import { ActiveEdges } from './activeEdges.ts';
import { RecurringEdges } from './recurringEdges.ts';

/** Weight of the newest active value in an edge's typical level (as SilenceImputed). */
const LEVEL_WEIGHT = 0.2;

export interface ImputedEdgesOptions {
  readonly metrics: readonly MetricKey[];
  readonly transform: 'none' | 'log1p';
  /** Read a silent edge, once learnt, at its typical level (SilenceImputed's rule) rather than 0. */
  readonly imputeSilence: boolean;
  /** An edge not learnt for this long (seconds) is forgotten: no longer imputed, new again if it comes back. */
  readonly forgetAfterSeconds: number;
}

/**
 * SilenceImputed's series (a silent edge, once learnt, reads at its typical active level: a pause
 * is no observation, not a tiny one), kept sparse: after `read`, entries k < count list, in
 * ascending edge position, the interval's active edges and the learnt silent ones, with their
 * value (`values`, 0 for a silent edge not learnt) and whether they were active. Every position
 * not listed reads 0. Learnt edges not learnt again for `forgetAfterSeconds` are forgotten, so
 * the list holds the edges of that horizon, not every edge ever seen, and a read costs
 * O(listed edges). With a horizon no silence reaches, the values are SilenceImputed's exactly.
 * An edge active only in alarmed intervals, which learn() never sees, is learnt once it recurs
 * (learnRecurring).
 */
export class ImputedEdges {
  readonly active: ActiveEdges;
  count = 0;
  positions = new Int32Array(64);
  values = new Float64Array(64);
  /** 1 when the edge carried traffic in the interval (was in the snapshot). */
  isActive = new Uint8Array(64);
  /** Learnt (imputable) edges, ascending, with their typical level and the time each was last learnt: memory per learnt edge, none per position. */
  private tracked = new Int32Array(64);
  private trackedLevel = new Float64Array(64);
  private trackedLast = new Float64Array(64);
  private trackedCount = 0;
  /** Per listed entry of the last read: its active value (0 if silent), and its index in `tracked` (−1 if not learnt). */
  private activeValue = new Float64Array(64);
  private fromTracked = new Int32Array(64);
  /** learn()'s next `tracked`, swapped in. */
  private nextTracked = new Int32Array(64);
  private nextLevel = new Float64Array(64);
  private nextLast = new Float64Array(64);
  private lastT = Number.NaN;
  /** Unlearnt edges' appearances in alarmed intervals (see learnRecurring). */
  private readonly recurring: RecurringEdges;

  constructor(private readonly o: ImputedEdgesOptions) {
    this.active = new ActiveEdges({ metrics: o.metrics, transform: o.transform });
    this.recurring = new RecurringEdges(o.forgetAfterSeconds);
  }

  /** Learnt edges held beyond the interval's own. */
  get trackedEdges(): number {
    return this.trackedCount;
  }

  read(frame: Frame): number {
    const t = frame.t;
    this.lastT = t;
    if (frame.recycled !== undefined && frame.recycled.length > 0) this.untrack(frame.recycled);
    const active = this.active.read(frame);
    const capacity = this.trackedCount + active;
    this.positions = ensureLengthInt(this.positions, capacity);
    this.values = ensureLength(this.values, capacity);
    this.isActive = ensureLengthBytes(this.isActive, capacity);
    this.activeValue = ensureLength(this.activeValue, capacity);
    this.fromTracked = ensureLengthInt(this.fromTracked, capacity);
    const { tracked, trackedLevel, trackedLast } = this;
    const { positions: activePositions, values: activeValues } = this.active;
    const horizon = this.o.forgetAfterSeconds;
    const impute = this.o.imputeSilence;
    let i = 0;
    let j = 0;
    let u = 0;
    while (i < this.trackedCount || j < active) {
      const pt = i < this.trackedCount ? tracked[i]! : Number.MAX_SAFE_INTEGER;
      const pa = j < active ? activePositions[j]! : Number.MAX_SAFE_INTEGER;
      const p = pt < pa ? pt : pa;
      let v = 0;
      const isActive = pa === p;
      if (isActive) v = activeValues[j++]!;
      const learnt = pt === p ? i++ : -1;
      this.positions[u] = p;
      this.activeValue[u] = v;
      this.fromTracked[u] = learnt;
      this.isActive[u] = isActive ? 1 : 0;
      // SilenceImputed's read: v itself, or a silent learnt edge's level (within the horizon).
      this.values[u++] = v !== 0 || !impute ? v : learnt >= 0 && t - trackedLast[learnt]! <= horizon ? trackedLevel[learnt]! : 0;
    }
    this.count = u;
    return u;
  }

  /** SilenceImputed's learn on the last read (its active values move their levels); then forget edges silent past the horizon. */
  learn(): void {
    this.update(false);
  }

  /**
   * On an alarmed interval (whose values are not learnt): an edge not learnt yet that has now
   * been active in RELEARN_AFTER_INTERVALS alarmed intervals, each within forgetAfterSeconds of
   * the one before (RecurringEdges), is learnt at its value now, so its silences read at that
   * level, as a steady edge's do, and the detectors' "5 in a row" new-normal rules see it.
   * Learnt levels do not move; edges silent past the horizon are forgotten, as in learn().
   *
   * The price: under silentEdges 'typical', traffic to a new destination that alarms 5 times
   * within forgetAfterSeconds becomes a known edge (it has alarmed 5 times first). Under 'zero'
   * nothing is learnt, here as in learn().
   */
  learnRecurring(): void {
    this.update(true);
  }

  /** learn() (quiet interval) or learnRecurring() (alarmed). */
  private update(alarmed: boolean): void {
    if (!this.o.imputeSilence) return;
    const t = this.lastT;
    const { positions, activeValue, fromTracked } = this;
    this.nextTracked = ensureLengthInt(this.nextTracked, this.count);
    this.nextLevel = ensureLength(this.nextLevel, this.count);
    this.nextLast = ensureLength(this.nextLast, this.count);
    const { nextTracked, nextLevel, nextLast, trackedLevel, trackedLast } = this;
    let kept = 0;
    for (let u = 0; u < this.count; u++) {
      const v = activeValue[u]!;
      const i = fromTracked[u]!;
      const p = positions[u]!;
      let level: number;
      let last: number;
      if (v > 0 && i >= 0 && !alarmed) {
        level = trackedLevel[i]! + LEVEL_WEIGHT * (v - trackedLevel[i]!);
        last = t;
      } else if (i >= 0) {
        level = trackedLevel[i]!;
        last = trackedLast[i]!;
      } else if (v > 0 && (!alarmed || this.recurring.seen(p, t) >= RELEARN_AFTER_INTERVALS)) {
        if (alarmed) this.recurring.forget(p);
        level = v;
        last = t;
      } else continue;
      if (t - last > this.o.forgetAfterSeconds) continue;
      nextTracked[kept] = p;
      nextLevel[kept] = level;
      nextLast[kept++] = last;
    }
    [this.tracked, this.nextTracked] = [nextTracked, this.tracked];
    [this.trackedLevel, this.nextLevel] = [nextLevel, trackedLevel];
    [this.trackedLast, this.nextLast] = [nextLast, trackedLast];
    this.trackedCount = kept;
  }

  /** Drop what is learnt at positions that hold a new edge now (Frame.recycled, ascending): it belonged to the forgotten one. */
  private untrack(recycled: Int32Array): void {
    for (const p of recycled) this.recurring.forget(p);
    const { tracked, trackedLevel, trackedLast } = this;
    let kept = 0;
    let r = 0;
    for (let i = 0; i < this.trackedCount; i++) {
      const p = tracked[i]!;
      while (r < recycled.length && recycled[r]! < p) r++;
      if (r < recycled.length && recycled[r] === p) continue;
      tracked[kept] = p;
      trackedLevel[kept] = trackedLevel[i]!;
      trackedLast[kept++] = trackedLast[i]!;
    }
    this.trackedCount = kept;
  }

  /** What an edge position stands for, as VolumeSeries labels a summed series. */
  label(position: number): SeriesLabel {
    const { src, dst } = this.active.edgeOf(position);
    const metrics = this.active.metrics;
    return metrics.length === 1 ? { src, dst, metric: metrics[0]! } : { src, dst };
  }
}
