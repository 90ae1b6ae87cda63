/**
 * Bounds the rounding of a sum of `hops` terms: |computed − exact| ≤ (hops − 1)·2⁻⁵³·Σ|zᵢ| per
 * order of summation (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §4.2);
 * 2⁻⁵⁰·hops² (hops ≥ 1) covers both orders, the division of the one and the reciprocal and
 * product of the other (a few 2⁻⁵³ more) with room to spare.
 */
const ROUNDING_PER_HOP = 2 ** -50;

/**
 * Over a fixed set of paths (edge positions per hop): per interval, the best matched filter
 * Σz/√hops and the best bottleneck min z of any path, and the first path reaching the best
 * matched filter. The same numbers, bit for bit, as the plain loop over every path and hop
 * (`plainBestOfPaths`), at a fraction of its cost when paths share their ends.
 *
 * Why: the candidate paths of graph-lasso and of path run from a data store to the outside, and
 * every path's tail is itself a candidate (343 paths of 1,319 hops in all share 343 distinct
 * tails on the 14-service bench run), so the hops were walked ~4 times each per interval.
 *
 * How: the paths are stored as a trie of their hops read from the last one back (a node per
 * distinct tail, its parent the tail one hop shorter), and each interval one pass over the
 * nodes, parents first, gives every tail its min z and its sum. The min is exact in any order
 * (ties keep the hop nearest the path's start, as the plain loop's strict `<` does, so even
 * −0 and 0 come out as there). The sum, added up from the end rather than the start, may differ
 * in its last bits, so it only picks the candidates: every path whose sum could be within the
 * rounding bound of the best is summed again from its start, exactly as the plain loop does,
 * and the best of those is the answer (on ordinary data one path; on a tie all of them).
 */
export class BestOfPaths {
  /** [best Σz/√hops, best min z] of the last `compute`. */
  readonly best = new Float64Array(2);
  private readonly count: number;
  private readonly hops: Int32Array;
  private readonly start: Int32Array;
  private readonly root: Float64Array;
  /** 1/√hops per path: the candidates' Σz/√hops are picked by a multiplication (within the rounding window: see ROUNDING_PER_HOP), the best one's by the division. */
  private readonly inverseRoot: Float64Array;
  /** Trie nodes, parents before children: the edge each adds in front of its parent's tail (parent −1: the empty tail). */
  private readonly nodeEdge: Int32Array;
  private readonly nodeParent: Int32Array;
  /** Per path, its trie node (−1: a path without hops). */
  private readonly pathNode: Int32Array;
  /** The largest over the paths of 2⁻⁵⁰ · hops² / √hops: times the largest |z|, a bound on the rounding between the two sums of a path's Σz/√hops (Σ|z| ≤ hops · max |z|). */
  private readonly slack: number;
  private readonly nodeSum: Float64Array;
  private readonly nodeMin: Float64Array;
  /** The paths of the last compute whose Σz/√hops (sum taken from the path's end) came within the window of the running best, and that value. */
  private readonly candidate: Int32Array;
  private readonly candidateMatched: Float64Array;

  /** The distinct edges the paths use (z is read there only). */
  readonly edges: Int32Array;

  /**
   * Paths as hops[start[p], start[p + 1]) for p < count, with √hops in root[p]. `empty`: the
   * Σz/√hops of a path without hops (graph-lasso's 0; NaN: such a path is never the best).
   */
  constructor(hops: Int32Array, start: Int32Array, root: Float64Array, count: number, private readonly empty = 0) {
    this.hops = hops;
    this.start = start;
    this.root = root;
    this.inverseRoot = root.map((r) => 1 / r);
    this.count = count;
    const children = new Map<number, number>();
    const edges: number[] = [];
    const parents: number[] = [];
    this.pathNode = new Int32Array(count).fill(-1);
    let slack = 0;
    for (let p = 0; p < count; p++) {
      let node = -1;
      for (let h = start[p + 1]! - 1; h >= start[p]!; h--) {
        const e = hops[h]!;
        // Keyed by (parent, edge): edge positions and node counts stay far below 2^26.
        const key = (node + 1) * 67_108_864 + e;
        let child = children.get(key);
        if (child === undefined) {
          child = edges.length;
          edges.push(e);
          parents.push(node);
          children.set(key, child);
        }
        node = child;
      }
      this.pathNode[p] = node;
      const length = start[p + 1]! - start[p]!;
      if (length > 0) slack = Math.max(slack, (ROUNDING_PER_HOP * length * length) / root[p]!);
    }
    this.slack = slack;
    this.candidate = new Int32Array(count);
    this.candidateMatched = new Float64Array(count);
    this.nodeEdge = Int32Array.from(edges);
    this.edges = Int32Array.from(new Set(edges));
    this.nodeParent = Int32Array.from(parents);
    this.nodeSum = new Float64Array(edges.length);
    this.nodeMin = new Float64Array(edges.length);
  }

  /** Trie nodes: the distinct tails, the hops walked per interval. */
  get nodes(): number {
    return this.nodeEdge.length;
  }

  /** The best of z (z[e]: edge e's z as the features take it) into `best`; returns the first path of the best Σz/√hops (−1 if none). */
  compute(z: Float64Array): number {
    const { nodeEdge, nodeParent, nodeSum, nodeMin, pathNode, root, inverseRoot, count, candidate, candidateMatched } = this;
    // Math.max carries a NaN or an infinity through to the guard below.
    let largest = 0;
    for (const e of this.edges) largest = Math.max(largest, Math.abs(z[e]!));
    // A NaN or an infinity defeats the bound: the plain loop then.
    const window = 2 * this.slack * largest;
    if (!Number.isFinite(window)) return plainBestOfPaths(z, this.hops, this.start, root, count, this.empty, this.best);
    // The best exact Σz/√hops is at least `top` − window/2, and a path reaching it has its
    // approximate one within window/2 of it: a path whose approximate one is below the running
    // top − window is no candidate (the top only rises).
    let top = Number.NEGATIVE_INFINITY;
    let bestBottleneck = Number.NEGATIVE_INFINITY;
    let candidates = 0;
    for (let i = 0; i < nodeEdge.length; i++) {
      const v = z[nodeEdge[i]!]!;
      const parent = nodeParent[i]!;
      if (parent < 0) {
        nodeSum[i] = v;
        nodeMin[i] = v;
      } else {
        nodeSum[i] = nodeSum[parent]! + v;
        const m = nodeMin[parent]!;
        nodeMin[i] = v <= m ? v : m;
      }
    }
    for (let p = 0; p < count; p++) {
      const node = pathNode[p]!;
      const matched = node < 0 ? this.empty : nodeSum[node]! * inverseRoot[p]!;
      if (matched > top) top = matched;
      if (matched >= top - window) {
        candidate[candidates] = p;
        candidateMatched[candidates++] = matched;
      }
      const bottleneck = node < 0 ? 0 : nodeMin[node]!;
      if (bottleneck > bestBottleneck) bestBottleneck = bottleneck;
    }
    this.best[1] = bestBottleneck;
    if (!Number.isFinite(top)) return plainBestOfPaths(z, this.hops, this.start, root, count, this.empty, this.best);
    const floor = top - window;
    let bestMatched = Number.NEGATIVE_INFINITY;
    let bestPath = -1;
    const { hops, start } = this;
    for (let c = 0; c < candidates; c++) {
      if (candidateMatched[c]! < floor) continue;
      const p = candidate[c]!;
      const from = start[p]!;
      const to = start[p + 1]!;
      let sum = 0;
      for (let h = from; h < to; h++) sum += z[hops[h]!]!;
      const exact = to === from ? this.empty : sum / root[p]!;
      if (exact > bestMatched) {
        bestMatched = exact;
        bestPath = p;
      }
    }
    this.best[0] = bestMatched;
    return bestPath;
  }
}

/**
 * The plain loop: over paths whose hops are hops[start[p], start[p + 1]) with √hops root[p],
 * the best Σz/√hops and the best min z into `best`; returns the path of the best Σz/√hops (the
 * first one, −1 if none).
 */
function plainBestOfPaths(z: Float64Array, hops: Int32Array, start: Int32Array, root: Float64Array, count: number, empty: number, best: Float64Array): number {
  let bestMatched = Number.NEGATIVE_INFINITY;
  let bestBottleneck = Number.NEGATIVE_INFINITY;
  let bestPath = -1;
  for (let p = 0; p < count; p++) {
    const from = start[p]!;
    const to = start[p + 1]!;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let h = from; h < to; h++) {
      const v = z[hops[h]!]!;
      sum += v;
      if (v < min) min = v;
    }
    const matched = to === from ? empty : sum / root[p]!;
    const bottleneck = to === from ? 0 : min;
    if (matched > bestMatched) {
      bestMatched = matched;
      bestPath = p;
    }
    if (bottleneck > bestBottleneck) bestBottleneck = bottleneck;
  }
  best[0] = bestMatched;
  best[1] = bestBottleneck;
  return bestPath;
}
