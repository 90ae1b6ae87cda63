import { topIndices } from '../linalg/index.ts';
import { candidatePaths, isDataStore } from '../path/index.ts';
import type { FeaturePath } from './graphFeatures.ts';
import { edgeKey, linkKey } from '../../edgeKey.ts';

export interface RouteParameters {
  /** Longest candidate path, in hops. */
  readonly maxHops: number;
  /** Most candidate paths pooled (the shortest). */
  readonly maxPaths: number;
  /** Candidate paths watched one by one and injected along in training (the shortest). */
  readonly watchedPaths: number;
  /** Edges watched one by one: the watched paths' hops first, then the busiest in training. */
  readonly maxEdges: number;
  /** Nodes whose in/out ratio is watched (those on the watched paths, in order). */
  readonly maxNodes: number;
  /** Nodes holding data besides `*-db` and rabbitmq. */
  readonly sensitive: readonly string[];
}

export interface Routes {
  /** Watched paths (also the injection routes of training). */
  readonly watched: FeaturePath[];
  /** Every candidate path, one directed edge per hop. */
  readonly all: Int32Array[];
  /** Every candidate path's nodes (data store first, outside node last), in the order of `all`. */
  readonly allNodes: (readonly string[])[];
  /** The links (linkKey) of the edges that carried traffic in training, when some path was looked for (else empty). */
  readonly links: ReadonlySet<string>;
  /** Watched edges. */
  readonly edges: Int32Array;
  /** Watched nodes. */
  readonly nodes: string[];
}

/**
 * What graph-lasso watches, fixed when it is trained, from the edges that carried traffic in
 * training (`totals` > 0): the candidate exfiltration paths of `path` (candidatePaths: every
 * simple path of at most maxHops from a data store, or from any node when the graph names none,
 * to an outside node), each hop mapped to the directed edge the exfiltrated bytes land on (the
 * caller → callee edge to → from, as `--inject` adds them, else the other direction); the
 * shortest `watchedPaths` of them are watched one by one and injected along. A graph without
 * an outside node (a connection log of hosts) has no such path: its busiest edges then stand
 * in as one-hop routes, so the model still learns what a surge on an edge looks like.
 */
export function chooseRoutes(
  list: readonly { readonly src: string; readonly dst: string }[],
  totals: Float64Array,
  outside: { has(node: string): boolean },
  p: RouteParameters,
): Routes {
  const index = new Map<string, number>();
  const linkIds = new Set<string>();
  let found: ReturnType<typeof candidatePaths>['paths'] = [];
  // A path ends at an outside node: without one (a connection log of hosts) there is none, and
  // the day's tens of thousands of pairs need not be linked up to find that out.
  if (reachesOutside(list, totals, outside)) {
    const links: { a: string; b: string; id: number }[] = [];
    const nodes = new Set<string>();
    for (let e = 0; e < totals.length; e++) {
      if (!(totals[e]! > 0)) continue;
      const { src, dst } = list[e]!;
      index.set(edgeKey(src, dst), e);
      nodes.add(src).add(dst);
      const key = linkKey(src, dst);
      if (src === dst || linkIds.has(key)) continue;
      linkIds.add(key);
      links.push({ a: src, b: dst, id: links.length });
    }
    let sources = [...nodes].filter((node) => isDataStore(node, p.sensitive));
    if (sources.length === 0) sources = [...nodes].filter((node) => !outside.has(node));
    found = candidatePaths(links, sources, outside, p.maxHops, p.maxPaths).paths;
  }
  const edgeOf = (from: string, to: string): number => index.get(edgeKey(to, from)) ?? index.get(edgeKey(from, to))!;
  const all = found.map((path) => Int32Array.from(path.nodes.slice(0, -1), (from, i) => edgeOf(from, path.nodes[i + 1]!)));
  // Only the busiest few are read: the watched paths' stand-ins, then the watched edges after the paths' hops.
  let hops = 0;
  for (const path of all.slice(0, p.watchedPaths)) hops += path.length;
  // The k largest totals then those > 0: positives rank above every other value, so these are
  // the k largest positive totals, in the same order (largest first, ties by position).
  const busiest = topIndices(totals, p.watchedPaths + p.maxEdges + hops).filter((e) => totals[e]! > 0);
  const watched: FeaturePath[] =
    found.length > 0
      ? found.slice(0, p.watchedPaths).map((path, k) => ({ nodes: path.nodes, edges: all[k]! }))
      : busiest.slice(0, p.watchedPaths).map((e) => ({ nodes: [list[e]!.dst, list[e]!.src], edges: Int32Array.of(e) }));
  const edges: number[] = [];
  const chosen = new Set<number>();
  const pick = (e: number) => {
    if (edges.length >= p.maxEdges || chosen.has(e)) return;
    chosen.add(e);
    edges.push(e);
  };
  for (const path of watched) for (const e of path.edges) pick(e);
  for (const e of busiest) pick(e);
  const watchedNodes: string[] = [];
  for (const path of watched) {
    for (const node of path.nodes) {
      if (watchedNodes.length < p.maxNodes && !outside.has(node) && !watchedNodes.includes(node)) watchedNodes.push(node);
    }
  }
  return { watched, all, allNodes: found.map((path) => path.nodes), links: linkIds, edges: Int32Array.from(edges), nodes: watchedNodes };
}

/** Does an edge that carried traffic (`totals` > 0) touch an outside node? */
function reachesOutside(list: readonly { readonly src: string; readonly dst: string }[], totals: Float64Array, outside: { has(node: string): boolean }): boolean {
  for (let e = 0; e < totals.length; e++) if (totals[e]! > 0 && (outside.has(list[e]!.src) || outside.has(list[e]!.dst))) return true;
  return false;
}
