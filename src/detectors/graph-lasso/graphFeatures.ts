import { ensureLength, ensureLengthInt } from '../growable.ts';
import { BestOfPaths } from '../series/bestOfPaths.ts';

/** A route data can leave by, as the features see it: one directed edge per hop (the one an exfiltration's bytes land on). */
export interface FeaturePath {
  /** Node names, data store first, outside node last. */
  readonly nodes: readonly string[];
  /** Directed edge per hop. */
  readonly edges: Int32Array;
}

/** What the features are made of, fixed when the model is trained. */
export interface FeatureLayoutInput {
  /** Edge labels by position (the frame's edge index). */
  readonly edgeNames: (e: number) => string;
  /** Edges watched one by one (their z and volume): the hops of the watched paths first, then the busiest in training. */
  readonly edges: Int32Array;
  /** Paths watched one by one (matched-filter and bottleneck features). */
  readonly paths: readonly FeaturePath[];
  /** Every candidate path, pooled into two features (the best matched filter, the best bottleneck). */
  readonly allPaths: readonly Int32Array[];
  /** Nodes whose in/out ratio is a feature. */
  readonly nodeNames: readonly string[];
  /** Mean ln(1 + volume) per edge over the clean training rows: the reference of the angle feature. */
  readonly referenceLog: Float64Array;
  /** z is winsorised at ± this before it is pooled (as `path` does): one burst cannot carry a feature. */
  readonly winsorizeAt: number;
}

/**
 * The per-interval features of graph-lasso, Mimir's graph metrics re-made on load-adjusted
 * residuals (fretbuzz/mimir_v2, analysis_pipeline): for each watched edge its standardised
 * residual z and ln(1 + volume); for each watched candidate path from a data store to the
 * outside, the matched filter Σz/√hops and the bottleneck min z (how much extra flow the whole
 * path carries: an exfiltration raises every hop, benign noise rarely all at once); the best of
 * both over every candidate path; per watched node, ln((out + 1)/(in + 1)) of its volumes; an
 * angle in the spirit of Idé & Kashima (KDD 2004), 1 − cos between the interval's ln(1 + volume)
 * vector and the training mean (departure: on the edge vector, not the principal eigenvector of
 * the node matrix, so that it costs O(edges) and the injected training copies can be scored
 * without an eigen-solve each); ln(1 + edges carrying traffic for the first time); and the
 * largest z of the edges not watched one by one (the rest, aggregated).
 *
 * Cost per interval: O(edges + hops of the candidate paths).
 */
export class GraphFeatures {
  /** Feature names, for the report. */
  readonly names: string[] = [];
  /** Per feature, the edges it blames when it pushes the score up (empty: computed per interval, see blameOf). */
  readonly blames: Int32Array[] = [];
  /** Per feature, 1 when it is made of standardised residuals (z, Σz/√hops, min z): already in σ units, bounded by winsorizeAt. */
  readonly residual: number[] = [];
  readonly count: number;
  private readonly edgeSlot: Int32Array;
  private readonly nodeSlot = new Map<string, number>();
  private srcSlot: Int32Array<ArrayBuffer> = new Int32Array(0);
  private dstSlot: Int32Array<ArrayBuffer> = new Int32Array(0);
  private known = 0;
  /** Per position the layout knows: 1 once its edge was forgotten and the position given to a new edge (see retire). */
  private retired = new Uint8Array(0);
  private anyRetired = false;
  private readonly nodeIn: Float64Array;
  private readonly nodeOut: Float64Array;
  private referenceNorm = 0;
  private readonly firstPath: number;
  private readonly firstPooled: number;
  private readonly restFeature: number;
  private readonly angleFeature: number;
  /** From the last compute: the best candidate path, the rest's largest-z edge, the edge furthest above its training mean (ln volume). */
  private bestPath = -1;
  /** From the last offerPooled: the edges of a route that beat the candidate paths (undefined: none did). */
  private pooledRoute: readonly number[] | undefined;
  private restEdge = -1;
  private angleEdge = -1;
  /** Scratch of compute: each edge's z as the features take it (winsorised, 0 when unscored or beyond n), read once per edge instead of once per hop. */
  private zTaken = new Float64Array(0);
  /** The positions of zTaken a sparse compute set (the rest are 0); all of [0, zTakenAll) after a dense one. */
  private zSet = new Int32Array(0);
  private zSetCount = 0;
  private zTakenAll = 0;
  /** The retired positions the layout reads (see retire), each once, and their z saved while the layout reads them as 0. */
  private retiredList: number[] = [];
  /**
   * 1 at the positions the layout reads z at (its edges, its paths' hops): only those need the
   * zero-and-restore above. Every other retired position (a connection log retires thousands
   * in a day) would be zeroed and restored for nothing, at a cost growing with the run.
   */
  private readonly layoutReads: Uint8Array;
  private retiredSaved = new Float64Array(0);
  /** 1 + the largest edge position the layout names (zTaken covers at least these). */
  private readonly layoutWidth: number;
  /** Per path of layout.paths, √hops (the matched filter's divisor), computed once. */
  private readonly pathRoot: Float64Array;
  /** layout.allPaths' best matched filter and bottleneck per interval (their shared tails walked once). */
  private readonly bestOfPaths: BestOfPaths;

  constructor(private readonly layout: FeatureLayoutInput) {
    const name = layout.edgeNames;
    let maxEdge = 0;
    for (const e of layout.edges) maxEdge = Math.max(maxEdge, e + 1);
    this.edgeSlot = new Int32Array(Math.max(maxEdge, layout.referenceLog.length)).fill(-1);
    layout.edges.forEach((e, k) => (this.edgeSlot[e] = k));
    for (const e of layout.edges) this.add(`z ${name(e)}`, [e], true);
    for (const e of layout.edges) this.add(`ln volume ${name(e)}`, [e]);
    this.firstPath = this.names.length;
    for (const p of layout.paths) {
      const route = p.nodes.join(' → ');
      this.add(`path ${route}: Σz/√hops`, [...p.edges], true);
      this.add(`path ${route}: min z`, [...p.edges], true);
    }
    this.firstPooled = this.names.length;
    if (layout.allPaths.length > 0) {
      this.add('best candidate path: Σz/√hops', [], true);
      this.add('best candidate path: min z', [], true);
    }
    layout.nodeNames.forEach((node, k) => {
      this.nodeSlot.set(node, k);
      this.add(`ln(out/in) ${node}`, []);
    });
    this.nodeIn = new Float64Array(layout.nodeNames.length);
    this.nodeOut = new Float64Array(layout.nodeNames.length);
    this.angleFeature = this.names.length;
    this.add('angle to the training mean', []);
    this.add('ln(1 + new edges)', []);
    this.restFeature = this.names.length;
    this.add('largest z of the other edges', [], true);
    this.count = this.names.length;
    for (let e = 0; e < layout.referenceLog.length; e++) this.referenceNorm += layout.referenceLog[e]! ** 2;
    this.referenceNorm = Math.sqrt(this.referenceNorm);
    let width = maxEdge;
    for (const p of layout.paths) for (const e of p.edges) width = Math.max(width, e + 1);
    for (const p of layout.allPaths) for (const e of p) width = Math.max(width, e + 1);
    this.layoutWidth = width;
    this.layoutReads = new Uint8Array(width);
    for (const e of layout.edges) this.layoutReads[e] = 1;
    for (const p of layout.paths) for (const e of p.edges) this.layoutReads[e] = 1;
    for (const p of layout.allPaths) for (const e of p) this.layoutReads[e] = 1;
    this.pathRoot = Float64Array.from(layout.paths, (p) => Math.sqrt(p.edges.length));
    // layout.allPaths' hops in one array (path p's are allHops[allStart[p], allStart[p + 1])).
    const allRoot = Float64Array.from(layout.allPaths, (p) => Math.sqrt(p.length));
    const allStart = new Int32Array(layout.allPaths.length + 1);
    for (let p = 0; p < layout.allPaths.length; p++) allStart[p + 1] = allStart[p]! + layout.allPaths[p]!.length;
    const allHops = new Int32Array(allStart[layout.allPaths.length]!);
    layout.allPaths.forEach((p, k) => allHops.set(p, allStart[k]!));
    this.bestOfPaths = new BestOfPaths(allHops, allStart, allRoot, layout.allPaths.length);
  }

  private add(name: string, edges: number[], residual = false): void {
    this.names.push(name);
    this.blames.push(Int32Array.from(edges));
    this.residual.push(residual ? 1 : 0);
  }

  /** Each edge's z as the last compute took it (winsorised; 0 when unscored, idle or unknown), by position. */
  get taken(): Float64Array {
    return this.zTaken;
  }

  /**
   * After compute: a route that is not a candidate path of the layout (a new link's route out,
   * see ExitRoutes), with its matched filter and bottleneck, competes for the pooled features
   * (out[offset + …] as compute wrote them): each takes the route's value when it is larger, and
   * both then blame the route's edges.
   */
  offerPooled(out: Float64Array, offset: number, sum: number, min: number, edges: readonly number[]): void {
    if (this.layout.allPaths.length === 0) return;
    const f = offset + this.firstPooled;
    const larger = sum > out[f]!;
    const tighter = min > out[f + 1]!;
    if (!larger && !tighter) return;
    if (larger) out[f] = sum;
    if (tighter) out[f + 1] = min;
    this.pooledRoute = edges;
  }

  /** Learn the ends of edges [known, n) (names from the edge index). */
  extend(list: readonly { readonly src: string; readonly dst: string }[], n: number): void {
    if (n <= this.known) return;
    this.srcSlot = ensureLengthInt(this.srcSlot, n, -1);
    this.dstSlot = ensureLengthInt(this.dstSlot, n, -1);
    for (let e = this.known; e < n; e++) {
      this.srcSlot[e] = this.nodeSlot.get(list[e]!.src) ?? -1;
      this.dstSlot[e] = this.nodeSlot.get(list[e]!.dst) ?? -1;
    }
    this.known = n;
  }

  /**
   * Position e holds a new edge now (Frame.recycled): the layout's edge there was forgotten, so
   * every feature made of it reads it as silent (z and volume 0, as an edge gone quiet), and the
   * new edge is one the model does not know (in the rest, against a training mean of 0). Its
   * node ends are learnt from its names.
   */
  retire(list: readonly { readonly src: string; readonly dst: string }[], e: number): void {
    const size = Math.max(this.edgeSlot.length, this.layout.referenceLog.length);
    if (e < size) {
      if (this.retired.length < size) {
        const grown = new Uint8Array(size);
        grown.set(this.retired);
        this.retired = grown;
      }
      if (this.retired[e] !== 1 && this.layoutReads[e] === 1) this.retiredList.push(e);
      this.retired[e] = 1;
      this.anyRetired = true;
      if (e < this.edgeSlot.length) this.edgeSlot[e] = -1;
    }
    if (e < this.known) {
      this.srcSlot[e] = this.nodeSlot.get(list[e]!.src) ?? -1;
      this.dstSlot[e] = this.nodeSlot.get(list[e]!.dst) ?? -1;
    }
  }

  /**
   * The edges feature j blames this interval: for the pooled features the best path's, for the
   * rest its largest z, for the angle the edge furthest above its training mean (ln volume).
   */
  blameOf(j: number): readonly number[] | Int32Array {
    if (this.layout.allPaths.length > 0 && (j === this.firstPooled || j === this.firstPooled + 1)) {
      return this.pooledRoute ?? (this.bestPath < 0 ? [] : this.layout.allPaths[this.bestPath]!);
    }
    if (j === this.restFeature) return this.restEdge < 0 ? [] : [this.restEdge];
    if (j === this.angleFeature) return this.angleEdge < 0 ? [] : [this.angleEdge];
    return this.blames[j]!;
  }

  /**
   * Features of one interval into out[offset, offset + count): z per edge (NaN: not scored,
   * read as 0), volume per edge, n edges (call extend first), newEdges its first-seen edges.
   */
  compute(z: Float64Array, volume: Float64Array, n: number, newEdges: number, out: Float64Array, offset = 0, active?: Int32Array): void {
    const l = this.layout;
    const c = l.winsorizeAt;
    // z as every feature takes it, once per edge: winsorised, an unscored (NaN) or unknown (≥ n)
    // edge 0. With the frame's active edges (every other one idle: z NaN, volume 0) only those
    // are set, and those the last sparse call set are put back to 0: O(edges active now).
    const width = Math.max(n, this.layoutWidth);
    const zt = (this.zTaken = ensureLength(this.zTaken, width));
    if (active === undefined) {
      for (let e = 0; e < n; e++) {
        const v = z[e]!;
        zt[e] = Number.isNaN(v) ? 0 : v > c ? c : v < -c ? -c : v;
      }
      zt.fill(0, n, width);
      this.zTakenAll = width;
      this.zSetCount = 0;
    } else {
      if (this.zTakenAll > 0) zt.fill(0, 0, this.zTakenAll);
      else for (let j = 0; j < this.zSetCount; j++) zt[this.zSet[j]!] = 0;
      this.zTakenAll = 0;
      this.zSet = ensureLengthInt(this.zSet, active.length, 0);
      let set = 0;
      for (let j = 0; j < active.length; j++) {
        const e = active[j]!;
        if (e >= n) continue;
        const v = z[e]!;
        if (Number.isNaN(v)) continue;
        zt[e] = v > c ? c : v < -c ? -c : v;
        this.zSet[set++] = e;
      }
      this.zSetCount = set;
    }
    // The layout's own edges (watched, on paths) read a retired position (Frame.recycled: the
    // layout's edge there was forgotten) as silent, the rest the new edge's z: the few retired
    // positions are zeroed while the layout reads, then restored.
    const retired = this.retired;
    const anyRetired = this.anyRetired;
    const retiredList = this.retiredList;
    if (this.retiredSaved.length < retiredList.length) this.retiredSaved = new Float64Array(2 * retiredList.length);
    for (let i = 0; i < retiredList.length; i++) {
      const e = retiredList[i]!;
      if (e >= width) continue;
      this.retiredSaved[i] = zt[e]!;
      zt[e] = 0;
    }
    let f = offset;
    const k = l.edges.length;
    for (let i = 0; i < k; i++) out[f++] = zt[l.edges[i]!]!;
    for (let i = 0; i < k; i++) {
      const e = l.edges[i]!;
      out[f++] = e < n && e < volume.length && !(anyRetired && e < retired.length && retired[e] === 1) ? Math.log1p(Math.max(0, volume[e]!)) : 0;
    }
    for (let p = 0; p < l.paths.length; p++) {
      pathScores(l.paths[p]!.edges, this.pathRoot[p]!, zt);
      out[f++] = scored[0]!;
      out[f++] = scored[1]!;
    }
    this.pooledRoute = undefined;
    if (l.allPaths.length > 0) {
      this.bestPath = this.bestOfPaths.compute(zt);
      out[f++] = this.bestOfPaths.best[0]!;
      out[f++] = this.bestOfPaths.best[1]!;
    }
    for (let i = 0; i < retiredList.length; i++) {
      const e = retiredList[i]!;
      if (e < width) zt[e] = this.retiredSaved[i]!;
    }
    // Node in/out volumes, the angle and the rest: one pass over the edges (the active ones:
    // an idle edge has no volume and a z of 0, below the rest's start).
    this.nodeIn.fill(0);
    this.nodeOut.fill(0);
    let dot = 0;
    let norm = 0;
    let rest = 0;
    this.restEdge = -1;
    let rise = 0;
    this.angleEdge = -1;
    const reference = l.referenceLog;
    const count = active === undefined ? n : active.length;
    for (let j = 0; j < count; j++) {
      const e = active === undefined ? j : active[j]!;
      if (e >= n) break;
      const v = e < volume.length ? volume[e]! : 0;
      if (v > 0) {
        if (e < this.known) {
          const s = this.srcSlot[e]!;
          const d = this.dstSlot[e]!;
          if (s >= 0) this.nodeOut[s]! += v;
          if (d >= 0) this.nodeIn[d]! += v;
        }
        const a = Math.log1p(v);
        norm += a * a;
        const m = e < reference.length && !(anyRetired && retired[e] === 1) ? reference[e]! : 0;
        dot += a * m;
        if (a - m > rise) {
          rise = a - m;
          this.angleEdge = e;
        }
      }
      if (e >= this.edgeSlot.length || this.edgeSlot[e]! < 0) {
        const ze = zt[e]!;
        if (ze > rest) {
          rest = ze;
          this.restEdge = e;
        }
      }
    }
    for (let i = 0; i < this.nodeIn.length; i++) out[f++] = Math.log((this.nodeOut[i]! + 1) / (this.nodeIn[i]! + 1));
    out[f++] = norm > 0 && this.referenceNorm > 0 ? 1 - dot / (Math.sqrt(norm) * this.referenceNorm) : 0;
    out[f++] = Math.log1p(newEdges);
    out[f++] = rest;
  }
}

/** pathScores' result: [Σz/√hops, min z]; reused, so scoring a thousand paths allocates nothing. */
const scored = new Float64Array(2);

/** Σz/√hops and min z of a path's hops (z as taken, `root` = √hops), into `scored`. */
function pathScores(edges: Int32Array, root: number, z: Float64Array): void {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let h = 0; h < edges.length; h++) {
    const v = z[edges[h]!]!;
    sum += v;
    if (v < min) min = v;
  }
  scored[0] = edges.length === 0 ? 0 : sum / root;
  scored[1] = edges.length === 0 ? 0 : min;
}
