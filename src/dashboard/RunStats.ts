import { ownValue } from '../ownValue.ts';
import { edgeKey, volumeMeasure } from '../report/index.ts';
import { farJumpProblem, isFarJump, timeOrderProblem } from '../store/index.ts';
import type { MetricKey, Snapshot } from '../types.ts';
import { StaleMetricRule } from '../replay/staleMetricReads.ts';
import { decodeIntervalLine } from './decodeIntervalLine.ts';
import type { SnapshotIndex } from './SnapshotIndex.ts';

/** Lines decoded per read while catching up, so a long run is never read into memory at once. */
const BATCH_LINES = 2000;

/** An edge of a run: when it first carried traffic and how much in all. */
export interface RunEdge {
  readonly src: string;
  readonly dst: string;
  /** Position of the first interval it carried traffic in. */
  readonly firstIndex: number;
  /** That interval's t (Unix seconds). */
  readonly firstT: number;
  /** Volume over the run (the report's measure: the run's byte metrics summed). */
  total: number;
}

/**
 * Running totals over a run's snapshots.ndjson, brought up to date with the lines appended
 * since the last update (a run being written is summarised as it grows).
 */
export class RunStats {
  /** Lines decoded so far (valid or not). */
  processed = 0;
  gaps = 0;
  /** Lines that are not intervals at all, or whose t does not come after the previous interval's. */
  invalid = 0;
  /**
   * Positions of interval lines skipped because their t does not increase, with the problem:
   * replay skips them (time never runs backwards), so the dashboard counts and serves them
   * as replay sees them.
   */
  readonly outOfOrder = new Map<number, string>();
  firstT: number | undefined;
  firstDt: number | undefined;
  lastT: number | undefined;
  readonly edges = new Map<string, RunEdge>();
  private readonly volumeKeys: readonly MetricKey[];
  private pending: Promise<void> | undefined;
  /** A line far after the previous one, counted once the next valid line says whether it is real (isFarJump). */
  private held: { readonly i: number; readonly snapshot: Snapshot } | undefined;
  /** Which slices replay reads as stale reads of one metric (counted as gaps). */
  private staleRule: StaleMetricRule;

  constructor(
    private readonly index: SnapshotIndex,
    private readonly metrics: readonly MetricKey[],
  ) {
    this.volumeKeys = volumeMeasure(metrics).keys;
    this.staleRule = new StaleMetricRule(metrics);
  }

  /** Decode what the index holds beyond what was already counted. */
  update(): Promise<void> {
    this.pending ??= this.catchUp().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async catchUp(): Promise<void> {
    // The index may have been rebuilt from scratch (file replaced): start over.
    if (this.index.count < this.processed) this.clear();
    while (this.processed < this.index.count) {
      const lines = await this.index.read(this.processed, BATCH_LINES);
      if (lines.length === 0) break;
      for (const text of lines) this.add(text);
    }
  }

  private add(text: string): void {
    const i = this.processed++;
    const { snapshot } = decodeIntervalLine(text, this.metrics, i);
    if (!snapshot) {
      this.invalid += 1;
      return;
    }
    const held = this.held;
    if (held !== undefined) {
      // As replay's reader: the line after a far jump decides whether that jump was one bad `t`.
      this.held = undefined;
      if (this.lastT !== undefined && snapshot.t > this.lastT && snapshot.t < held.snapshot.t) {
        this.invalid += 1;
        this.outOfOrder.set(held.i, farJumpProblem(held.snapshot.t, this.lastT, snapshot.t));
      } else this.accept(held.i, held.snapshot);
    }
    const disorder = timeOrderProblem(snapshot.t, this.lastT);
    if (disorder !== undefined) {
      this.invalid += 1;
      this.outOfOrder.set(i, disorder);
      return;
    }
    if (isFarJump(snapshot.t, snapshot.dt, this.lastT)) {
      this.held = { i, snapshot };
      return;
    }
    this.accept(i, snapshot);
  }

  private accept(i: number, snapshot: Snapshot): void {
    if (this.firstT === undefined) {
      this.firstT = snapshot.t;
      this.firstDt = snapshot.dt;
    }
    this.lastT = snapshot.t;
    // A stale read of one metric counts as the gap replay reads it as (staleMetricReads).
    if (snapshot.gap || this.staleRule.check(snapshot).length > 0) this.gaps += 1;
    for (const e of snapshot.edges) {
      const key = edgeKey(e.src, e.dst);
      let edge = this.edges.get(key);
      if (!edge) {
        edge = { src: e.src, dst: e.dst, firstIndex: i, firstT: snapshot.t, total: 0 };
        this.edges.set(key, edge);
      }
      for (const k of this.volumeKeys) edge.total += ownValue(e.values, k) ?? 0;
    }
  }

  private clear(): void {
    this.processed = this.gaps = this.invalid = 0;
    this.staleRule = new StaleMetricRule(this.metrics);
    this.held = undefined;
    this.firstT = this.firstDt = this.lastT = undefined;
    this.edges.clear();
    this.outOfOrder.clear();
  }

  /** Start of the run (first interval's t − dt), Unix seconds. */
  get t0(): number | undefined {
    return this.firstT !== undefined && this.firstDt !== undefined ? this.firstT - this.firstDt : undefined;
  }
}
