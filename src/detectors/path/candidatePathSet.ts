import { log } from '../../logger.ts';
import type { Frame } from '../../types.ts';
import { ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import type { ResidualSource } from '../series/residualSource.ts';
import { candidatePaths, isDataStore } from './candidatePaths.ts';
import { linkKey } from '../../edgeKey.ts';

export interface CandidatePathParameters {
  /** Longest candidate path, in hops. */
  readonly maxHops: number;
  /** Most candidate paths kept (shortest first). */
  readonly maxPaths: number;
  /** Nodes holding data besides `*-db` and rabbitmq. */
  readonly sensitive: readonly string[];
  /** The nodes standing for everything outside the mesh. */
  readonly outside: { has(node: string): boolean };
}

/** What the set reads of a training interval's residuals (see ResidualSource): which edges carried traffic (a residual, not NaN), which positions were recycled. */
export type TrainingEdges = Pick<ResidualSource, 'edgeCount' | 'active' | 'recycled' | 'residual'>;

/** A candidate path: its nodes from the data store to the outside, and its hops' link ids. */
export interface WatchedPath {
  readonly hops: Int32Array;
  readonly nodes: readonly string[];
}

/**
 * A hop standing for a new link into the outside on the routes to it whose last hop is
 * `before` (see CandidatePathSet): `hop` is its link id on the paths, `exit` the new link, whose
 * edges it holds (the same array). Its z is PathCore.exitZ's.
 */
export interface ExitHop {
  readonly hop: number;
  readonly before: number;
  readonly exit: number;
}

/**
 * The candidate exfiltration paths of `path`, kept current over a stream, and the undirected
 * links they are made of: a link is a pair of nodes, and holds the directed edges between them
 * (u → v and v → u, at most two), since data flows against the call as well as with it.
 *
 * Candidate paths are fixed when training ends: every simple path of at most maxHops links, in
 * the graph of the edges that carried traffic in training, from each data store (`*-db`,
 * rabbitmq, `sensitive`) to any outside node (see candidatePaths, OutsideNodes); a run whose
 * graph names no data store (a synthetic mesh) makes every node a source. They are rebuilt during
 * training too, so the limit learns the statistic it will judge, but only when a newly active
 * edge can change them (rebuilding is O(edges)). Later, every new link between a node u of the
 * mesh and the outside (either way: u calling out, or a new outside caller pulling from u)
 * becomes a one-hop path of its own (its residuals are scored once its fit has warmed up; its
 * first appearance is also `new-edge`'s to catch), and the last hop of the routes from each
 * data store to u over the training graph's inside links (at most maxHops − 1 of them): data
 * read from user-db by a compromised user and sent out by user → external moves on user-db →
 * user and then on the new link. On those routes the new link stands as an ExitHop, one per
 * (hop before, new link), whose z PathCore reads from the hop before while the new link's fit
 * warms up, and which it closes once the new link has a z of its own (PathCore.exitZ): the
 * routes watch the new link's first intervals, its one-hop path the rest. A new direction of a
 * watched link joins it. A position recycled for a new edge (Frame.recycled)
 * takes the old edge out of its link.
 *
 * Only the links on some path are kept track of (`pathLinks`): the others are never scored.
 */
export class CandidatePathSet {
  /** Directed edges seen so far (their links are known). */
  private known = 0;
  /** Per edge, 1 once it carried traffic in training (it is in the training graph). */
  private inTraining = new Uint8Array(64);
  /** Undirected link id per directed edge (−1: on no candidate path). */
  private linkOf = new Int32Array(0);
  private readonly linkIds = new Map<string, number>();
  /** Per link, its directed edges (up to two). */
  private readonly edgesOf: number[][] = [];
  /** The links some candidate path uses, each once. */
  private links: number[] = [];
  /** Per link, 1 when some candidate path uses it. */
  private onPath = new Uint8Array(64);
  /** Hops from each node to the nearest outside node, as of the last build (only nodes within maxHops). */
  private toOutside: ReadonlyMap<string, number> = new Map();
  private readonly list: WatchedPath[] = [];
  private changes = 0;
  /** The training graph's links touching no outside node, and the paths' sources, as of the last build (routes to a new exit are found over them). */
  private insideLinks: readonly { readonly a: string; readonly b: string; readonly id: number }[] = [];
  private sources: readonly string[] = [];
  /** The exit hops, and their ids by `${before} ${exit}`. */
  private readonly exitList: ExitHop[] = [];
  private readonly exitIds = new Map<string, number>();
  private warnedFull = false;

  constructor(private readonly p: CandidatePathParameters) {}

  /** The candidate paths: their nodes, and their hops' link ids. */
  get paths(): readonly WatchedPath[] {
    return this.list;
  }

  /** Per link id, its directed edges (up to two; fewer once a position was recycled). */
  get linkEdges(): readonly (readonly number[])[] {
    return this.edgesOf;
  }

  /** The links some candidate path uses, each once (every hop of every path is one of them). */
  get pathLinks(): readonly number[] {
    return this.links;
  }

  /** The hops standing for a new link into the outside after a given hop (see ExitHop); every other path link is a link of edges. */
  get exits(): readonly ExitHop[] {
    return this.exitList;
  }

  /** Grows whenever the paths change (rebuilt, or one added): what was derived from them must be derived again. */
  get version(): number {
    return this.changes;
  }

  /**
   * A training interval (its `edges.edgeCount` edges): the edges that carried traffic join the
   * training graph, recycled positions leave it, and the paths are rebuilt when that can change them.
   */
  train(frame: Frame, edges: TrainingEdges): void {
    const n = edges.edgeCount;
    this.inTraining = ensureLengthBytes(this.inTraining, n);
    let grew = false;
    // A position holding a new edge (the old one forgotten) leaves the training graph: rebuild without it.
    let near = this.renew(edges.recycled);
    const list = frame.edges.list;
    // Only the edges that may have a residual (all of them when the source does not say).
    const candidates = edges.active;
    const count = candidates === undefined ? n : candidates.length;
    for (let j = 0; j < count; j++) {
      const e = candidates === undefined ? j : candidates[j]!;
      if (this.inTraining[e] === 1 || Number.isNaN(edges.residual[e]!)) continue;
      this.inTraining[e] = 1;
      grew = true;
      if (!near) near = this.mayLieOnPath(list[e]!.src, list[e]!.dst);
    }
    if (near) this.build(frame, n);
    else if (grew) this.skipBuild(n);
  }

  /**
   * An interval after training (`n` edges): recycled positions leave their links; of the edges
   * first seen (appended, or at recycled positions), a new link to the outside is a path of its
   * own and ends the routes to its node (addExitRoutes), and a new direction of a watched link
   * joins it.
   */
  extend(frame: Frame, n: number, recycled: Int32Array | undefined): void {
    this.renew(recycled);
    if (n <= this.known && recycled === undefined) return;
    this.linkOf = ensureLengthInt(this.linkOf, n, -1);
    const list = frame.edges.list;
    if (recycled !== undefined) for (const e of recycled) if (e < this.known) this.extendEdge(e, list[e]!);
    for (let e = this.known; e < n; e++) this.extendEdge(e, list[e]!);
    if (n > this.known) this.known = n;
  }

  private extendEdge(e: number, { src, dst }: { readonly src: string; readonly dst: string }): void {
    const existing = this.linkIds.get(linkKey(src, dst));
    if (existing !== undefined) {
      if (this.onPath[existing] === 1) this.addLink(e, src, dst);
    } else if (this.p.outside.has(dst) !== this.p.outside.has(src)) {
      const id = this.addLink(e, src, dst);
      const [inside, out] = this.p.outside.has(dst) ? [src, dst] : [dst, src];
      this.list.push({ hops: Int32Array.of(id), nodes: [inside, out] });
      this.changes++;
      this.watch(id);
      this.addExitRoutes(inside, out, id);
    }
  }

  /** The paths from each data store to `inside` over the training graph's inside links, each followed by the new link `exit` (as an ExitHop) to `out`. */
  private addExitRoutes(inside: string, out: string, exit: number): void {
    const room = this.p.maxPaths - this.list.length;
    if (this.p.maxHops < 2 || room <= 0) {
      if (room <= 0 && !this.warnedFull) {
        this.warnedFull = true;
        log.warn(`path: ${this.p.maxPaths} candidate paths watched; routes out through new links (${inside} → ${out} and later ones) are not added (raise maxPaths)`);
      }
      return;
    }
    const target = { has: (node: string) => node === inside };
    const { paths } = candidatePaths(this.insideLinks, this.sources, target, this.p.maxHops - 1, room);
    for (const route of paths) {
      const before = route.hops[route.hops.length - 1]!;
      const key = `${before} ${exit}`;
      let hop = this.exitIds.get(key);
      if (hop === undefined) {
        // Its edges are the new link's (the same array: a direction joining or a position recycled there is seen by both).
        hop = this.edgesOf.length;
        this.edgesOf.push(this.edgesOf[exit]!);
        this.exitIds.set(key, hop);
        this.exitList.push({ hop, before, exit });
        this.watch(hop);
      }
      const nodes = [...route.nodes, out];
      this.list.push({ hops: Int32Array.from([...route.hops, hop]), nodes });
    }
  }

  /** Link `id` is on some path from now on. */
  private watch(id: number): void {
    this.onPath = ensureLengthBytes(this.onPath, id + 1);
    this.onPath[id] = 1;
    this.links.push(id);
  }

  /**
   * Positions that hold a new edge now (Frame.recycled; the old edge was forgotten): the old
   * edge leaves its link and the training graph. Whether it was in the training graph (then the
   * candidate paths must be rebuilt, in training).
   */
  private renew(recycled: Int32Array | undefined): boolean {
    if (recycled === undefined) return false;
    let wasActive = false;
    for (const e of recycled) {
      if (e < this.inTraining.length && this.inTraining[e] === 1) {
        this.inTraining[e] = 0;
        wasActive = true;
      }
      const l = e < this.linkOf.length ? this.linkOf[e]! : -1;
      if (l < 0) continue;
      this.linkOf[e] = -1;
      const edges = this.edgesOf[l]!;
      edges.splice(edges.indexOf(e), 1);
    }
    return wasActive;
  }

  private addLink(e: number, src: string, dst: string): number {
    const key = linkKey(src, dst);
    let id = this.linkIds.get(key);
    if (id === undefined) {
      id = this.edgesOf.length;
      this.linkIds.set(key, id);
      this.edgesOf.push([]);
    }
    this.edgesOf[id]!.push(e);
    this.linkOf[e] = id;
    return id;
  }

  /** The candidate paths, from the edges active in training so far (`edgeCount` of them known). */
  private build(frame: Frame, edgeCount: number): void {
    const list = frame.edges.list;
    this.known = edgeCount;
    this.linkIds.clear();
    this.edgesOf.length = 0;
    this.list.length = 0;
    this.changes++;
    this.linkOf = new Int32Array(Math.max(64, 2 * this.known)).fill(-1);
    const links: { a: string; b: string; id: number }[] = [];
    const nodes = new Set<string>();
    for (let e = 0; e < this.known; e++) {
      if (this.inTraining[e] !== 1) continue;
      const { src, dst } = list[e]!;
      const before = this.edgesOf.length;
      const id = this.addLink(e, src, dst);
      if (id === before) links.push({ a: src, b: dst, id });
      nodes.add(src).add(dst);
    }
    let sources = [...nodes].filter((node) => isDataStore(node, this.p.sensitive));
    if (sources.length === 0) sources = [...nodes].filter((node) => !this.p.outside.has(node));
    const { paths, truncated, toOutside } = candidatePaths(links, sources, this.p.outside, this.p.maxHops, this.p.maxPaths);
    if (truncated) log.warn(`path: more than ${this.p.maxPaths} candidate paths; the ${this.p.maxPaths} shortest are watched (raise maxPaths or lower maxHops)`);
    this.toOutside = toOutside;
    this.insideLinks = links.filter(({ a, b }) => !this.p.outside.has(a) && !this.p.outside.has(b));
    this.sources = sources;
    this.exitList.length = 0;
    this.exitIds.clear();
    for (const path of paths) this.list.push({ hops: Int32Array.from(path.hops), nodes: path.nodes });
    // Links on no path are not scored.
    const used = new Set(paths.flatMap((path) => path.hops));
    for (let e = 0; e < this.known; e++) if (this.linkOf[e]! >= 0 && !used.has(this.linkOf[e]!)) this.linkOf[e] = -1;
    this.links = [...used];
    this.onPath = new Uint8Array(Math.max(64, 2 * this.edgesOf.length));
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
  private skipBuild(edgeCount: number): void {
    this.known = edgeCount;
    this.linkOf = ensureLengthInt(this.linkOf, edgeCount, -1);
  }
}
