/** A candidate exfiltration path: its nodes from the data store to the outside, and its hops' undirected edge ids. */
export interface CandidatePath {
  readonly nodes: readonly string[];
  readonly hops: readonly number[];
}

/** Is `node` where data is kept: a `*-db`, the message queue, or named in `sensitive`. */
export function isDataStore(node: string, sensitive: readonly string[]): boolean {
  return node.endsWith('-db') || node === 'rabbitmq' || sensitive.includes(node);
}

/**
 * Every simple path of at most `maxHops` edges from a source to an `outside` node in the undirected
 * graph of `links` (pairs of node names, each given once with its id), shortest first, at
 * most `maxPaths` of them. Undirected because data flows against the call (a caller pulls it
 * in responses, as the run format's attack edges do), so a path may use an edge either way.
 * A path ends at the first outside node it reaches. `toOutside` is each node's distance in hops
 * to the nearest outside node, for the nodes within `maxHops` of one (CandidatePathSet uses it to tell
 * whether a new link can lie on a candidate path at all).
 */
export function candidatePaths(
  links: readonly { readonly a: string; readonly b: string; readonly id: number }[],
  sources: readonly string[],
  outside: { has(node: string): boolean },
  maxHops: number,
  maxPaths: number,
): { paths: CandidatePath[]; truncated: boolean; toOutside: ReadonlyMap<string, number> } {
  const adjacent = new Map<string, { node: string; id: number }[]>();
  const link = (from: string, to: string, id: number) => {
    let list = adjacent.get(from);
    if (list === undefined) adjacent.set(from, (list = []));
    list.push({ node: to, id });
  };
  for (const { a, b, id } of links) {
    if (a === b) continue;
    link(a, b, id);
    link(b, a, id);
  }
  // Hops from each node to the nearest outside node (breadth-first), so the search below only
  // steps where the outside is still reachable within maxHops: on a large mesh most walks are not.
  const toOutside = new Map<string, number>();
  let frontier = [...adjacent.keys()].filter((node) => outside.has(node));
  for (const node of frontier) toOutside.set(node, 0);
  for (let d = 1; frontier.length > 0 && d <= maxHops; d++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const n of adjacent.get(node)!) {
        if (toOutside.has(n.node)) continue;
        toOutside.set(n.node, d);
        next.push(n.node);
      }
    }
    frontier = next;
  }
  const paths: CandidatePath[] = [];
  // Bounded depth-first search per source; a budget well over maxPaths keeps a dense graph from running away.
  const budget = 20 * maxPaths;
  let found = 0;
  const nodes: string[] = [];
  const hops: number[] = [];
  const onPath = new Set<string>();
  const walk = (node: string): void => {
    if (found >= budget) return;
    if (outside.has(node)) {
      if (hops.length > 0) {
        paths.push({ nodes: [...nodes], hops: [...hops] });
        found++;
      }
      return;
    }
    if (hops.length === maxHops) return;
    for (const next of adjacent.get(node) ?? []) {
      if (onPath.has(next.node)) continue;
      const remaining = toOutside.get(next.node);
      if (remaining === undefined || hops.length + 1 + remaining > maxHops) continue;
      onPath.add(next.node);
      nodes.push(next.node);
      hops.push(next.id);
      walk(next.node);
      hops.pop();
      nodes.pop();
      onPath.delete(next.node);
    }
  };
  for (const source of [...new Set(sources)].sort()) {
    if (outside.has(source) || !adjacent.has(source) || !toOutside.has(source)) continue;
    onPath.add(source);
    nodes.push(source);
    walk(source);
    nodes.pop();
    onPath.delete(source);
  }
  paths.sort((p, q) => p.hops.length - q.hops.length);
  const truncated = paths.length > maxPaths || found >= budget;
  return { paths: paths.slice(0, maxPaths), truncated, toOutside };
}
