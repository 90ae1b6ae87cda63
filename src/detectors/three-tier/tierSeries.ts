import type { Frame } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { SeriesSource, VolumeSeries } from '../series/index.ts';

export const TIERS = ['presentation', 'application', 'data'] as const;
export type Tier = (typeof TIERS)[number];
/** A node's place in the 3-tier view; `ignore` drops its edges (e.g. load-generator noise). */
export type TierAssignment = Tier | 'ignore';

/**
 * Sock Shop's nodes as a 3-tier application would have them: the web front and whatever
 * calls in from outside the mesh are presentation; data stores and the message broker are
 * data; every other service is application. `overrides` (node → tier) wins.
 */
export function sockShopTierOf(overrides: Readonly<Record<string, TierAssignment>>): (node: string) => TierAssignment {
  return (node) => {
    const chosen = overrides[node];
    if (chosen !== undefined) return chosen;
    if (node === 'front-end' || node === 'external' || node === 'unknown') return 'presentation';
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
    const count = this.pairs.length * perEdge;
    const out = (this.values = ensureLength(this.values, count));
    out.fill(0, 0, count);
    const v = this.volume.values;
    const edgePair = this.edgePair;
    for (let e = 0; e < edges; e++) {
      const p = edgePair[e]!;
      if (p < 0) continue;
      for (let m = 0; m < perEdge; m++) out[p * perEdge + m]! += v[e * perEdge + m]!;
    }
    return count;
  }

  private classify(frame: Frame, edges: number): void {
    if (edges <= this.classified) return;
    this.edgePair = ensureLengthInt(this.edgePair, edges, -2);
    for (let e = this.classified; e < edges; e++) {
      const edge = frame.edges.list[e]!;
      const from = TIERS.indexOf(this.tierOf(edge.src) as Tier);
      const to = TIERS.indexOf(this.tierOf(edge.dst) as Tier);
      this.edgePair[e] = from < 0 || to < 0 ? -1 : this.pairOf[from * 3 + to]!;
    }
    this.classified = edges;
  }

  label(series: number): SeriesLabel {
    const perEdge = this.volume.perEdge;
    const [from, to] = this.pairs[Math.floor(series / perEdge)]!;
    const metric = this.volume.metricOf(series % perEdge);
    const src = TIERS[from]!;
    const dst = TIERS[to]!;
    return metric === undefined ? { src, dst } : { src, dst, metric };
  }
}
