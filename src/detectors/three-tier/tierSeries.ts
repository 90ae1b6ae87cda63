import type { Frame } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { SeriesSource, VolumeSeries } from '../series/index.ts';
import { VisitList } from '../series/visitList.ts';

/** Weight of the newest interval in each member edge's level (used only to say which edge drove a tier pair). */
const BLAME_LAMBDA = 0.2;

export const TIERS = ['presentation', 'application', 'data'] as const;
export type Tier = (typeof TIERS)[number];
/** A node's place in the 3-tier view; `ignore` drops its edges (e.g. load-generator noise). */
export type TierAssignment = Tier | 'ignore';

/** A node named by an IPv4 or IPv6 address: a peer without a workload name, outside the mesh. */
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]+)$/i;

/**
 * Sock Shop's nodes as a 3-tier application would have them: the web front and whatever
 * calls in from outside the mesh (`external`, `unknown`, or a bare IP address, as telemetry
 * names a peer that has no workload) are presentation; data stores and the message broker are
 * data; every other service is application. `overrides` (node → tier) wins.
 */
export function sockShopTierOf(overrides: Readonly<Record<string, TierAssignment>>): (node: string) => TierAssignment {
  return (node) => {
    // Own entries only: a node named `constructor` is not overridden by Object.prototype's.
    if (Object.hasOwn(overrides, node)) return overrides[node]!;
    if (node === 'front-end' || node === 'external' || node === 'unknown' || IP_ADDRESS.test(node)) return 'presentation';
    if (node.endsWith('-db') || node === 'rabbitmq') return 'data';
    return 'application';
  };
}

/**
 * Edge volumes summed into tier pairs: what a monitor of a 3-tier application could see.
 * Traffic inside one tier is dropped by default, as Munnin did: in a 3-tier application it
 * would be calls inside one process, invisible on the network.
 */
export class TierSeries implements SeriesSource {
  values = new Float64Array(16);
  /** Tier pairs watched, as [from, to] tier numbers; series = pair · perEdge + metric. */
  private readonly pairs: (readonly [number, number])[] = [];
  /** (from · 3 + to) → pair number, or -1 when not watched. */
  private readonly pairOf = new Int32Array(9).fill(-1);
  /** Edge position → pair number (-1: dropped); -2 = not classified yet. */
  private edgePair = new Int32Array(0);
  private classified = 0;
  /** Per edge series: its running level (EWMA, weight BLAME_LAMBDA) and this frame's excess over it. */
  private memberLevel = new Float64Array(0);
  private memberExcess = new Float64Array(0);
  /** Per edge series: active values its level has learnt (the first one starts it). */
  private memberCount = new Float64Array(0);
  /** The edge series read this frame (undefined: all of them); the others' excess is −level (0 before their first value). */
  private read_: Int32Array | undefined = undefined;
  private readonly visited = new VisitList();
  private edges = 0;

  constructor(
    private readonly volume: VolumeSeries,
    private readonly tierOf: (node: string) => TierAssignment,
    intraTier: boolean,
  ) {
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        if (from === to && !intraTier) continue;
        this.pairOf[from * 3 + to] = this.pairs.length;
        this.pairs.push([from, to]);
      }
    }
  }

  read(frame: Frame): number {
    this.volume.read(frame);
    const edges = this.volume.edgeCount;
    this.classify(frame, edges);
    const perEdge = this.volume.perEdge;
    if (frame.recycled !== undefined && frame.recycled.length > 0) this.reclassify(frame, frame.recycled, perEdge);
    const count = this.pairs.length * perEdge;
    const out = (this.values = ensureLength(this.values, count));
    out.fill(0, 0, count);
    const v = this.volume.values;
    const edgePair = this.edgePair;
    const size = edges * perEdge;
    this.memberLevel = ensureLength(this.memberLevel, size);
    this.memberExcess = ensureLength(this.memberExcess, size);
    this.memberCount = ensureLength(this.memberCount, size);
    const { memberLevel, memberExcess, memberCount } = this;
    // Only the edges the frame lists when it lists them (Frame.active): the others add 0 to
    // their pair (the sums run in the same ascending order, so they are the same numbers) and
    // learn nothing (a silence is not learnt); their excess is read off their level in label().
    const touched = this.volume.touched;
    this.read_ = touched;
    this.edges = edges;
    if (touched !== undefined) {
      this.visited.begin();
      this.visited.addAll(touched);
    }
    const count_ = touched === undefined ? size : touched.length;
    for (let j = 0; j < count_; j++) {
      const at = touched === undefined ? j : touched[j]!;
      const p = edgePair[(at / perEdge) | 0]!;
      if (p < 0) continue;
      const series = p * perEdge + (at % perEdge);
      const x = v[at]!;
      out[series]! += x;
      // Excess over the edge's own past level of active values (none yet: no excess), then
      // the level learns x. A silence is not learnt (as the charts do not).
      const excess = memberCount[at]! > 0 ? x - memberLevel[at]! : 0;
      memberExcess[at] = excess;
      if (x > 0) {
        memberLevel[at] = memberCount[at]! > 0 ? memberLevel[at]! + BLAME_LAMBDA * excess : x;
        memberCount[at]!++;
      }
    }
    return count;
  }

  /**
   * The member edge series of tier-pair series `series` with the largest excess this frame, the
   * first one on ties (−1: none). Computed only when a pair is blamed: O(edges ever seen), but
   * only on an alarm.
   */
  private driverOf(series: number): number {
    const perEdge = this.volume.perEdge;
    const p = Math.floor(series / perEdge);
    const m = series % perEdge;
    let best = -1;
    let bestExcess = Number.NEGATIVE_INFINITY;
    for (let e = 0; e < this.edges; e++) {
      if (this.edgePair[e] !== p) continue;
      const at = e * perEdge + m;
      const excess = this.read_ === undefined || this.visited.has(at) ? this.memberExcess[at]! : this.memberCount[at]! > 0 ? -this.memberLevel[at]! : 0;
      if (best < 0 || excess > bestExcess) {
        best = at;
        bestExcess = excess;
      }
    }
    return best;
  }

  /** Positions that hold a new edge now (Frame.recycled): their tier pair from the new names, their member levels from nothing. */
  private reclassify(frame: Frame, recycled: Int32Array, perEdge: number): void {
    for (const e of recycled) {
      if (e >= this.classified) continue;
      this.classifyEdge(frame, e);
      for (let m = 0; m < perEdge; m++) {
        const at = e * perEdge + m;
        if (at >= this.memberCount.length) continue;
        this.memberLevel[at] = 0;
        this.memberExcess[at] = 0;
        this.memberCount[at] = 0;
      }
    }
  }

  private classify(frame: Frame, edges: number): void {
    if (edges <= this.classified) return;
    this.edgePair = ensureLengthInt(this.edgePair, edges, -2);
    for (let e = this.classified; e < edges; e++) this.classifyEdge(frame, e);
    this.classified = edges;
  }

  /** Edge e's tier pair, from its names (−1: an end in no tier). */
  private classifyEdge(frame: Frame, e: number): void {
    const edge = frame.edges.list[e]!;
    const from = TIERS.indexOf(this.tierOf(edge.src) as Tier);
    const to = TIERS.indexOf(this.tierOf(edge.dst) as Tier);
    this.edgePair[e] = from < 0 || to < 0 ? -1 : this.pairOf[from * 3 + to]!;
  }

  /**
   * A tier pair is blamed through the member edge whose volume rose most over its own running
   * level in this frame: the edge that drove the pair's excess (a tier name is no edge anyone
   * can act on). Falls back to the tier names when no member carried traffic.
   */
  label(series: number): SeriesLabel {
    const member = this.driverOf(series);
    if (member >= 0) return this.volume.label(member);
    const perEdge = this.volume.perEdge;
    const [from, to] = this.pairs[Math.floor(series / perEdge)]!;
    const metric = this.volume.metricOf(series % perEdge);
    const src = TIERS[from]!;
    const dst = TIERS[to]!;
    return metric === undefined ? { src, dst } : { src, dst, metric };
  }
}
