import { log } from '../../logger.ts';
import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength, ensureLengthBytes } from '../growable.ts';
import { BestOfPaths } from '../series/bestOfPaths.ts';
import type { ResidualSource } from '../series/residualSource.ts';
import { SPARSE_BELOW, VisitList } from '../series/visitList.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { candidatePaths, isDataStore } from './candidatePaths.ts';

export interface PathParameters {
  /** Longest candidate path, in hops. */
  readonly maxHops: number;
  /** Most candidate paths kept (shortest first). */
  readonly maxPaths: number;
  /** Each hop's z is winsorised at ± this many σ (one heavy-tailed burst cannot carry a path alone). */
  readonly winsorizeAt: number;
  /** Nodes holding data besides `*-db` and rabbitmq. */
  readonly sensitive: readonly string[];
  /** The nodes standing for everything outside the mesh. */
  readonly outside: { has(node: string): boolean };
}

/**
 * A matched filter along the routes data can leave by. An exfiltration of B bytes adds B to
 * every hop between the data store and the outside (user-db → user → front-end → external),
 * while the hops' benign noise is only partly shared: summing the hops' standardised
 * load-adjusted residuals and dividing by √hops keeps a benign path's score near unit spread
 * and lets the attack's evidence add up along the path.
 *
 * Candidate paths are fixed when training ends: every simple path of at most maxHops edges, in
 * the undirected graph of the edges that carried traffic in training, from each data store
 * (`*-db`, rabbitmq, `sensitive`) to any outside node (see candidatePaths, OutsideNodes); a run whose graph names
 * no data store (a synthetic mesh) makes every node a source. Later, every new edge into the
 * outside becomes a one-hop path of its own (its residuals are scored once its fit has warmed up;
 * its first appearance is `new-edge`'s to catch). A hop's residual is that of its busier
 * direction (the larger z of u → v and v → u), winsorised at ± winsorizeAt (8 by default: a matched filter
 * under heavy-tailed noise is otherwise carried by one burst on one hop, while an exfiltration
 * raises every hop); an unscored hop (idle, warming up) counts 0.
 *
 * Score = the largest path score; threshold calibrated to the false-alarm rate (family-wise
 * over the paths). Blamed: the winning path's edges, largest residual first; they do not teach
 * the load fit (see LearningGate).
 */
export class PathCore implements DetectorCore {
  /** Directed edges seen so far (their links are known). */
  private known = 0;
  private active = new Uint8Array(64);
  /** Undirected link id per directed edge (−1: on no candidate path). */
  private linkOf = new Int32Array(0);
  private readonly linkIds = new Map<string, number>();
  /** Per link, its directed edges (up to two). */
  private readonly linkEdges: number[][] = [];
  /** Per link on some path: its busier direction's winsorised z, 0 when neither direction was scored (BestOfPaths reads it as is). */
  private linkZ = new Float64Array(64);
  /** The links some candidate path uses (the only ones scored), each once. */
  private pathLinks: number[] = [];
  /** Per link, 1 when some candidate path uses it. */
  private onPath = new Uint8Array(64);
  /** Hops from each node to the nearest outside node, as of the last build (only nodes within maxHops). */
  private toOutside: ReadonlyMap<string, number> = new Map();
  private readonly paths: { readonly hops: Int32Array; readonly nodes: readonly string[] }[] = [];
  /** The paths flattened (see flatten()), and how many paths that was (-1: rebuild). */
  private flatHops = new Int32Array(0);
  private pathStart = new Int32Array(1);
  private pathRoot = new Float64Array(0);
  private flatPaths = -1;
  private bestOfPaths = new BestOfPaths(new Int32Array(0), new Int32Array(1), new Float64Array(0), 0);
  private trained = false;
  /** Per edge, 1 while learn() runs when the alarm blamed it (else 0). */
  private crossed = new Uint8Array(64);
  /** The edges the last alarm blamed (their alarm streaks must be seen next interval). */
  private crossedBefore: number[] = [];
  private readonly visit = new VisitList();
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();

  constructor(
    private readonly residuals: ResidualSource,
    private readonly p: PathParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
  ) {}

  /** The candidate paths (node names), for tests and reports. */
  get candidates(): readonly (readonly string[])[] {
    return this.paths.map((p) => p.nodes);
  }

  train(frame: Frame): void {
    const n = this.residuals.read(frame);
    this.active = ensureLengthBytes(this.active, n);
    let grew = false;
    // A position holding a new edge (the old one forgotten) leaves the training graph: rebuild without it.
    let near = this.renew(this.residuals.recycled);
    const list = frame.edges.list;
    // Only the edges that may have a residual (all of them when the source does not say).
    const candidates = this.residuals.active;
    const count = candidates === undefined ? n : candidates.length;
    for (let j = 0; j < count; j++) {
      const e = candidates === undefined ? j : candidates[j]!;
      if (this.active[e] === 1 || Number.isNaN(this.residuals.residual[e]!)) continue;
      this.active[e] = 1;
      grew = true;
      if (!near) near = this.mayLieOnPath(list[e]!.src, list[e]!.dst);
    }
    // Training scores are computed on the paths known so far, so the limit learns the statistic it
    // will judge. Rebuilding them is O(edges), so only when the new links can change them.
    if (near) this.build(frame);
    else if (grew) this.skipBuild();
    this.limit.learn(this.score(n).score);
    this.learn(n, -1, false);
  }

  judge(frame: Frame): Judgement {
    const n = this.residuals.read(frame);
    if (!this.trained) {
      this.trained = true;
      this.onTrained?.();
    }
    this.renew(this.residuals.recycled);
    this.extend(frame, n, this.residuals.recycled);
    const scored = this.score(n);
    const best = scored.best;
    const score = Number.isNaN(scored.score) ? 0 : scored.score;
    const threshold = this.limit.limit(this.paths.length);
    const alarm = score > threshold;
    const top = this.top;
    top.reset();
    if (alarm) for (const e of this.pathEdges(best)) top.offer(e, this.zOf(e));
    const blamed = alarm ? top.toBlamed((e) => this.residuals.label(e)) : [];
    this.limit.learn(score);
    this.learn(n, best, alarm);
    return { score, threshold, blamed };
  }

  /**
   * Largest path score of the last read and the path reaching it (−1: none). NaN when no hop
   * of any path was scored (fits warming up): the limit does not learn such an interval.
   */
  private score(n: number): { score: number; best: number } {
    if (this.paths.length === 0) return { score: Number.NaN, best: -1 };
    const z = this.residuals.z;
    const linkZ = this.linkZ;
    const c = this.p.winsorizeAt;
    // Only the links on some path: each one's busier direction (the larger z), winsorised; an
    // unscored link (neither direction scored) adds 0 to a path's Σz/√hops, as skipping it would
    // (a sum that starts at +0 never becomes −0). The links on no path are never read.
    let any = false;
    for (const l of this.pathLinks) {
      let v = Number.NaN;
      for (const e of this.linkEdges[l]!) {
        if (e >= n) continue;
        const ze = z[e]!;
        if (Number.isNaN(ze)) continue;
        if (Number.isNaN(v) || ze > v) v = ze;
      }
      if (Number.isNaN(v)) linkZ[l] = 0;
      else {
        linkZ[l] = v > c ? c : v < -c ? -c : v;
        any = true;
      }
    }
    if (!any) return { score: Number.NaN, best: -1 };
    if (this.flatPaths !== this.paths.length) this.flatten();
    const best = this.bestOfPaths.compute(linkZ);
    return { score: this.bestOfPaths.best[0]!, best };
  }

  /** The paths' hops in one array (path p's are flatHops[pathStart[p], pathStart[p + 1])), √hops per path, and BestOfPaths over them. */
  private flatten(): void {
    const paths = this.paths;
    let total = 0;
    for (const path of paths) total += path.hops.length;
    this.flatHops = new Int32Array(total);
    this.pathStart = new Int32Array(paths.length + 1);
    this.pathRoot = new Float64Array(paths.length);
    let at = 0;
    for (let p = 0; p < paths.length; p++) {
      const hops = paths[p]!.hops;
      this.pathStart[p] = at;
      this.flatHops.set(hops, at);
      at += hops.length;
      this.pathRoot[p] = Math.sqrt(hops.length);
    }
    this.pathStart[paths.length] = at;
    this.flatPaths = paths.length;
    // A path without hops (0/0) is never the best, as NaN > score never holds.
    this.bestOfPaths = new BestOfPaths(this.flatHops, this.pathStart, this.pathRoot, paths.length, Number.NaN);
  }

  private zOf(e: number): number {
    const v = this.residuals.z[e]!;
    return Number.isNaN(v) ? 0 : v;
  }

  /** Per hop of path p, its busier directed edge. */
  private pathEdges(p: number): number[] {
    if (p < 0) return [];
    const out: number[] = [];
    for (const l of this.paths[p]!.hops) {
      let pick = -1;
      for (const e of this.linkEdges[l]!) if (pick < 0 || this.zOf(e) > this.zOf(pick)) pick = e;
      if (pick >= 0) out.push(pick);
    }
    return out;
  }

  private learn(n: number, best: number, alarm: boolean): void {
    this.crossed = ensureLengthBytes(this.crossed, n);
    const crossedNow = alarm ? this.pathEdges(best) : [];
    for (const e of crossedNow) this.crossed[e] = 1;
    const active = this.residuals.active;
    if (active === undefined || active.length >= SPARSE_BELOW * n) {
      for (let e = 0; e < n; e++) if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
    } else {
      // Every other edge is idle (nothing to learn) and was not crossed last time (no streak to
      // end): a dense loop would leave it as it is.
      const visit = this.visit;
      visit.begin();
      visit.addAll(active);
      visit.addAll(this.crossedBefore);
      visit.addAll(crossedNow);
      for (let j = 0; j < visit.length; j++) {
        const e = visit.items[j]!;
        if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
      }
    }
    for (const e of crossedNow) this.crossed[e] = 0;
    this.crossedBefore = crossedNow;
  }

  private linkKey(a: string, b: string): string {
    return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  }

  private addLink(e: number, src: string, dst: string): number {
    const key = this.linkKey(src, dst);
    let id = this.linkIds.get(key);
    if (id === undefined) {
      id = this.linkEdges.length;
      this.linkIds.set(key, id);
      this.linkEdges.push([]);
      this.linkZ = ensureLength(this.linkZ, id + 1);
    }
    this.linkEdges[id]!.push(e);
    this.linkOf[e] = id;
    return id;
  }

  /** The candidate paths, from the edges active in training so far (rebuilt when one more becomes active). */
  private build(frame: Frame): void {
    const list = frame.edges.list;
    this.known = this.residuals.edgeCount;
    this.linkIds.clear();
    this.linkEdges.length = 0;
    this.paths.length = 0;
    this.flatPaths = -1;
    this.linkOf = new Int32Array(Math.max(64, 2 * this.known)).fill(-1);
    const links: { a: string; b: string; id: number }[] = [];
    const nodes = new Set<string>();
    for (let e = 0; e < this.known; e++) {
      if (this.active[e] !== 1) continue;
      const { src, dst } = list[e]!;
      const before = this.linkEdges.length;
      const id = this.addLink(e, src, dst);
      if (id === before) links.push({ a: src, b: dst, id });
      nodes.add(src).add(dst);
    }
    let sources = [...nodes].filter((node) => isDataStore(node, this.p.sensitive));
    if (sources.length === 0) sources = [...nodes].filter((node) => !this.p.outside.has(node));
    const { paths, truncated, toOutside } = candidatePaths(links, sources, this.p.outside, this.p.maxHops, this.p.maxPaths);
    if (truncated) log.warn(`path: more than ${this.p.maxPaths} candidate paths; the ${this.p.maxPaths} shortest are watched (raise maxPaths or lower maxHops)`);
    this.toOutside = toOutside;
    for (const path of paths) this.paths.push({ hops: Int32Array.from(path.hops), nodes: path.nodes });
    // Links on no path are not scored.
    const used = new Set(paths.flatMap((path) => path.hops));
    for (let e = 0; e < this.known; e++) if (this.linkOf[e]! >= 0 && !used.has(this.linkOf[e]!)) this.linkOf[e] = -1;
    this.pathLinks = [...used];
    this.onPath = new Uint8Array(Math.max(64, 2 * this.linkEdges.length));
    for (const l of used) this.onPath[l] = 1;
  }

  /**
   * Whether a link that became active can change the candidate paths: only when it touches an
   * outside node, comes within maxHops − 1 hops of one (else no path of at most maxHops hops
   * can use it, and it moves no node's distance to the outside below maxHops), or touches a
   * data store (the paths' sources). Distances are those of the last build: links skipped
   * since are all farther, so they have changed none within reach.
   */
  private mayLieOnPath(src: string, dst: string): boolean {
    const { outside, maxHops, sensitive } = this.p;
    if (outside.has(src) || outside.has(dst) || isDataStore(src, sensitive) || isDataStore(dst, sensitive)) return true;
    return (this.toOutside.get(src) ?? maxHops) < maxHops || (this.toOutside.get(dst) ?? maxHops) < maxHops;
  }

  /** A build that would leave the paths as they are: only the edges seen so far become known (on no link). */
  private skipBuild(): void {
    this.known = this.residuals.edgeCount;
    if (this.linkOf.length < this.known) {
      const grown = new Int32Array(Math.max(64, 2 * this.known)).fill(-1);
      grown.set(this.linkOf);
      this.linkOf = grown;
    }
  }

  /**
   * Positions that hold a new edge now (Frame.recycled; the old edge was forgotten): the old
   * edge leaves its link and the training graph, and its alarm streak ends. Whether it was in
   * the training graph (then the candidate paths must be rebuilt, in training).
   */
  private renew(recycled: Int32Array | undefined): boolean {
    if (recycled === undefined) return false;
    let wasActive = false;
    for (const e of recycled) {
      this.gate.reset(e);
      if (e < this.crossed.length) this.crossed[e] = 0;
      if (e < this.active.length && this.active[e] === 1) {
        this.active[e] = 0;
        wasActive = true;
      }
      const l = e < this.linkOf.length ? this.linkOf[e]! : -1;
      if (l < 0) continue;
      this.linkOf[e] = -1;
      const edges = this.linkEdges[l]!;
      edges.splice(edges.indexOf(e), 1);
    }
    return wasActive;
  }

  /**
   * Edges first seen after training (appended, or at recycled positions): a new edge into the
   * outside is a path of its own; a new direction of a watched link joins it.
   */
  private extend(frame: Frame, n: number, recycled: Int32Array | undefined): void {
    if (n <= this.known && recycled === undefined) return;
    if (this.linkOf.length < n) {
      const grown = new Int32Array(Math.max(n, 2 * this.linkOf.length)).fill(-1);
      grown.set(this.linkOf);
      this.linkOf = grown;
    }
    const list = frame.edges.list;
    if (recycled !== undefined) for (const e of recycled) if (e < this.known) this.extendEdge(e, list[e]!);
    for (let e = this.known; e < n; e++) this.extendEdge(e, list[e]!);
    if (n > this.known) this.known = n;
  }

  private extendEdge(e: number, { src, dst }: { readonly src: string; readonly dst: string }): void {
    const existing = this.linkIds.get(this.linkKey(src, dst));
    if (existing !== undefined) {
      if (this.onPath[existing] === 1) this.addLink(e, src, dst);
    } else if (this.p.outside.has(dst) && src !== dst) {
      const id = this.addLink(e, src, dst);
      this.paths.push({ hops: Int32Array.of(id), nodes: [src, dst] });
      this.onPath = ensureLengthBytes(this.onPath, id + 1);
      this.onPath[id] = 1;
      this.pathLinks.push(id);
    }
  }
}
