import { linkKey } from '../../edgeKey.ts';
import { exitShare } from '../series/exitShare.ts';
import type { ResidualSource } from '../series/residualSource.ts';

/** A route out by a new link: the directed edges from a data store to the link's inside node, then the link's edge. */
interface ExitRoute {
  readonly hops: Int32Array;
  readonly exit: number;
  /** √(hops + 1): the matched filter's divisor, the new link counted as a hop. */
  readonly root: number;
}

/** The best open route of an interval (see ExitRoutes.best). */
export interface ExitRouteScore {
  /** Σz/√hops over its hops and the new link (at its exitShare). */
  readonly sum: number;
  /** The smallest of those z's. */
  readonly min: number;
  /** Its edges: the hops, then the new link. */
  readonly edges: readonly number[];
  /** The new link's edge and the z it counted (exitShare): its rise, for blame. */
  readonly exit: number;
  readonly exitZ: number;
}

/**
 * graph-lasso's routes out through a link its training never had, as `path` watches them
 * (CandidatePathSet's exit hops): a new link between a node u and the outside (u calling out,
 * or a new outside caller pulling from u) ends every route from a data store to u that is the
 * beginning of a candidate path (data store → … → u → … → outside). While the new link's load
 * fit warms up (no z of its own), it counts on each such route at exitShare of the hop before
 * it; the route's matched filter Σz/√hops and bottleneck min z then compete for the pooled
 * features "best candidate path" (GraphFeatures.offerPooled), which the model learnt on
 * injected attacks along the training's own routes. Once the new link is scored, or in an
 * interval in which it carries nothing, its routes are closed: its z then reaches the model
 * through "largest z of the other edges".
 *
 * Why: the default experiment's `egress` attack reads user-db through user and sends the data
 * out by user → external, a link no training interval carried. The candidate paths are fixed
 * when the model is trained, so the pooled features saw only user-db → user's excess on a
 * path whose other hops stayed quiet, and `graph-lasso` caught 73 of the 144 such attacks of
 * `npm run quality` part j. Departure from Mimir, whose features are computed on the graph of
 * the interval (a new link included) with the model trained on the training graph's routes.
 *
 * At most `maxRoutes` routes are kept (later new links get none): each costs O(hops) an
 * interval, and a mesh gains few links to the outside.
 */
export class ExitRoutes {
  /** Per inside node: the distinct beginnings of candidate paths that end at it (directed edges). */
  private readonly prefixes = new Map<string, Int32Array[]>();
  private routes: ExitRoute[] = [];
  private known = 0;

  constructor(
    allPaths: readonly Int32Array[],
    allNodes: readonly (readonly string[])[],
    /** The links (linkKey) that carried traffic in training: a link among them is not new. */
    private readonly trainingLinks: ReadonlySet<string>,
    private readonly outside: { has(node: string): boolean },
    private readonly maxRoutes: number,
  ) {
    const keys = new Set<string>();
    allPaths.forEach((edges, p) => {
      const nodes = allNodes[p]!;
      for (let i = 1; i < edges.length; i++) {
        const u = nodes[i]!;
        const prefix = edges.subarray(0, i);
        const key = `${u} ${prefix.join(',')}`;
        if (keys.has(key)) continue;
        keys.add(key);
        const list = this.prefixes.get(u) ?? [];
        list.push(prefix);
        this.prefixes.set(u, list);
      }
    });
  }

  /** Edges [known, n) of the edge index join: each that is a new link to the outside gets its routes. */
  extend(list: readonly { readonly src: string; readonly dst: string }[], n: number): void {
    for (let e = this.known; e < n; e++) this.consider(list, e);
    this.known = Math.max(this.known, n);
  }

  /** Position e holds a new edge now (Frame.recycled): routes through the old one go, the new one may bring its own. */
  retire(list: readonly { readonly src: string; readonly dst: string }[], e: number): void {
    this.routes = this.routes.filter((r) => r.exit !== e && !r.hops.includes(e));
    if (e < this.known) this.consider(list, e);
  }

  private consider(list: readonly { readonly src: string; readonly dst: string }[], e: number): void {
    const { src, dst } = list[e]!;
    const outSrc = this.outside.has(src);
    if (outSrc === this.outside.has(dst) || this.trainingLinks.has(linkKey(src, dst))) return;
    for (const hops of this.prefixes.get(outSrc ? dst : src) ?? []) {
      if (this.routes.length >= this.maxRoutes) return;
      this.routes.push({ hops, exit: e, root: Math.sqrt(hops.length + 1) });
    }
  }

  /**
   * The open route with the largest matched filter this interval (undefined: none open), and the
   * largest bottleneck over the open routes (`min` of the result). `z`: each edge's z as the
   * features take it (winsorised, 0 when unscored), by position.
   */
  best(z: Float64Array, residuals: Pick<ResidualSource, 'isScored' | 'value' | 'residual'>, n: number): ExitRouteScore | undefined {
    let bestSum = Number.NEGATIVE_INFINITY;
    let bestMin = Number.NEGATIVE_INFINITY;
    let winner: ExitRoute | undefined;
    let winnerExitZ = 0;
    for (const r of this.routes) {
      if (r.exit >= n || residuals.isScored(r.exit)) continue;
      const x = residuals.value(r.exit);
      if (!(x > 0)) continue;
      const before = r.hops[r.hops.length - 1]!;
      const exitZ = exitShare(z[before]!, residuals.residual[before]!, x);
      let sum = exitZ;
      let min = exitZ;
      for (let h = 0; h < r.hops.length; h++) {
        const v = z[r.hops[h]!]!;
        sum += v;
        if (v < min) min = v;
      }
      sum /= r.root;
      if (sum > bestSum) {
        bestSum = sum;
        winner = r;
        winnerExitZ = exitZ;
      }
      if (min > bestMin) bestMin = min;
    }
    if (winner === undefined) return undefined;
    return { sum: bestSum, min: bestMin, edges: [...winner.hops, winner.exit], exit: winner.exit, exitZ: winnerExitZ };
  }
}
