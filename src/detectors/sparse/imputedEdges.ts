import type { Frame, MetricKey } from '../../types.ts';
import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { ActiveEdges } from './activeEdges.ts';

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
 */
export class ImputedEdges {
  readonly active: ActiveEdges;
  count = 0;
  positions = new Int32Array(64);
  values = new Float64Array(64);
  /** 1 when the edge carried traffic in the interval (was in the snapshot). */
  isActive = new Uint8Array(64);
  /** Per edge position: typical level, learnt yet, time last learnt. */
  private level = new Float64Array(64);
  private seen = new Uint8Array(64);
  private lastLearnt = new Float64Array(64);
  /** Learnt edges, ascending. */
  private tracked = new Int32Array(64);
  private trackedCount = 0;
  /** The active value of each listed entry (0 if silent): what learn() teaches. */
  private activeValue = new Float64Array(64);
  private lastT = Number.NaN;

  constructor(private readonly o: ImputedEdgesOptions) {
    this.active = new ActiveEdges({ metrics: o.metrics, transform: o.transform });
  }

  /** Learnt edges held beyond the interval's own. */
  get trackedEdges(): number {
    return this.trackedCount;
  }

  read(frame: Frame): number {
    const t = frame.t;
    this.lastT = t;
    const active = this.active.read(frame);
    const size = frame.edges.size;
    if (this.seen.length < size) {
      this.level = ensureLength(this.level, size);
      this.lastLearnt = ensureLength(this.lastLearnt, size);
      this.seen = ensureLengthBytes(this.seen, size);
    }
    const capacity = this.trackedCount + active;
    this.positions = ensureLengthInt(this.positions, capacity);
    this.values = ensureLength(this.values, capacity);
    this.isActive = ensureLengthBytes(this.isActive, capacity);
    this.activeValue = ensureLength(this.activeValue, capacity);
    const { tracked, seen, level, lastLearnt } = this;
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
      if (pt === p) i++;
      this.positions[u] = p;
      this.activeValue[u] = v;
      this.isActive[u] = isActive ? 1 : 0;
      // SilenceImputed's read: v itself, or a silent learnt edge's level (within the horizon).
      this.values[u++] = v !== 0 || !impute ? v : seen[p] === 1 && t - lastLearnt[p]! <= horizon ? level[p]! : 0;
    }
    this.count = u;
    return u;
  }

  /** SilenceImputed's learn on the last read (its active values move their levels); then forget edges silent past the horizon. */
  learn(): void {
    if (!this.o.imputeSilence) return;
    const t = this.lastT;
    const { positions, activeValue, seen, level, lastLearnt } = this;
    this.tracked = ensureLengthInt(this.tracked, this.count);
    let kept = 0;
    for (let u = 0; u < this.count; u++) {
      const p = positions[u]!;
      const v = activeValue[u]!;
      if (v > 0) {
        if (seen[p] === 0) {
          seen[p] = 1;
          level[p] = v;
        } else level[p]! += LEVEL_WEIGHT * (v - level[p]!);
        lastLearnt[p] = t;
      }
      if (seen[p] === 0) continue;
      if (t - lastLearnt[p]! > this.o.forgetAfterSeconds) {
        seen[p] = 0;
        continue;
      }
      this.tracked[kept++] = p;
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
