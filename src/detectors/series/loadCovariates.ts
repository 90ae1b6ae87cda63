import type { Frame } from '../../types.ts';
import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import { NodeIds } from '../nodeIds.ts';
import { DemandMetrics } from './demandMetrics.ts';
import type { OutsideNodes } from './outsideNodes.ts';

/** Load covariates per edge: its own demand, the front door's, its caller's inbound demand. */
export const LOAD_COVARIATES = 3;

/**
 * The load each edge's volume is regressed on (see LoadResiduals): per edge u → v,
 *   c₁ = the edge's own demand,
 *   c₂ = the front door's demand (edges out of the outside nodes, see OutsideNodes),
 *   c₃ = the demand into u (what its callers ask of it),
 * demand meaning the `requests` count when the run records it, else the request-direction bytes
 * (request_bytes + tcp_received_bytes); an edge's own demand, in a run that records requests,
 * is its request-direction TCP bytes in an interval where it carried no request (a TCP edge: see
 * DemandMetrics). Why not the callers' total volume: an exfiltration
 * inflates every hop's RESPONSE bytes (user-db → user → front-end → external), so a covariate
 * carrying them would regress the attack away; what callers ask for moves with the load and
 * barely with the data pulled.
 *
 * Why node ids: c₃ sums, each interval, the demand into every node, so each edge position holds
 * its ends as small integers (a typed-array index, not a Map lookup per edge per interval), and
 * a node id no indexed edge names goes back for reuse (releaseUnnamedNodes).
 */
export class LoadCovariates {
  /** This read's covariates, edge-major (edge e owns [3e, 3e + 3)). */
  cov = new Float64Array(64 * LOAD_COVARIATES);
  /** Per edge, 1 when it comes in at the front door (its source is an outside node). */
  fromFrontDoor = new Uint8Array(64);
  /** Whether the last read's demand was the `requests` count (a count of units), not request-direction bytes. */
  demandIsCount = false;
  /** Per edge: node ids of its ends. */
  private srcNode = new Int32Array(64);
  private dstNode = new Int32Array(64);
  private readonly nodes = new NodeIds();
  /** Per node id, this interval's demand into it (a scratch sum; all 0 between reads, dense or sparse). */
  private inbound = new Float64Array(64);
  /** Edge positions indexed: [0, edgeCount). */
  private edgeCount = 0;

  /** `outside`: the nodes standing for the outside (their edges are the front door). */
  constructor(private readonly outside: OutsideNodes) {}

  /** Node ids held now (for tests: bounded by the nodes of the indexed edges). */
  get nodesHeld(): number {
    return this.nodes.size;
  }

  /** Room for n edges. */
  reserve(n: number): void {
    this.cov = ensureLength(this.cov, n * LOAD_COVARIATES);
    this.srcNode = ensureLengthInt(this.srcNode, n);
    this.dstNode = ensureLengthInt(this.dstNode, n);
    this.fromFrontDoor = ensureLengthBytes(this.fromFrontDoor, n);
  }


  /**
   * Index a frame's n edges: the positions new since the last call, and the `recycled` ones
   * (Frame.recycled) that now hold a new edge (their ends from the new names).
   */
  index(frame: Frame, n: number, recycled: Int32Array | undefined): void {
    const before = this.edgeCount;
    for (let e = before; e < n; e++) this.indexEdge(frame, e);
    if (recycled !== undefined) for (const e of recycled) if (e < before) this.indexEdge(frame, e); // the loop above did the others
    this.growInbound();
    this.edgeCount = n;
  }

  /**
   * Node ids no edge position names any more (their edges' positions went to edges between other
   * nodes) go back for reuse: a node id only sums the interval's demand into its callers, so
   * memory per node follows the edges indexed now, not every node a long log has named.
   */
  releaseUnnamedNodes(): void {
    const named = new Uint8Array(this.nodes.capacity);
    for (let e = 0; e < this.edgeCount; e++) {
      named[this.srcNode[e]!] = 1;
      named[this.dstNode[e]!] = 1;
    }
    this.nodes.freeUnnamed(named);
  }

  /** Every edge's covariates of the frame into cov (edges 0..n−1, indexed). */
  read(frame: Frame, n: number): void {
    const k = LOAD_COVARIATES;
    const { cov, inbound } = this;
    const { active, activeValues } = frame;
    let front = 0;
    if (active !== undefined && activeValues !== undefined) {
      // The active edges' own values (entry j: edge active[j]): no dense arrays built. An inactive edge's demand is 0.
      for (let e = 0; e < n; e++) cov[e * k] = 0;
      const demand = new DemandMetrics(activeValues);
      this.demandIsCount = demand.isCount;
      for (let j = 0; j < active.length; j++) {
        const e = active[j]!;
        const d = demand.of(j);
        cov[e * k] = demand.own(j, d);
        if (this.fromFrontDoor[e] === 1) front += d;
        inbound[this.dstNode[e]!]! += d;
      }
    } else {
      const demand = new DemandMetrics(frame.values);
      this.demandIsCount = demand.isCount;
      for (let e = 0; e < n; e++) {
        const d = demand.of(e);
        cov[e * k] = demand.own(e, d);
        if (this.fromFrontDoor[e] === 1) front += d;
        inbound[this.dstNode[e]!]! += d;
      }
    }
    for (let e = 0; e < n; e++) {
      cov[e * k + 1] = front;
      cov[e * k + 2] = inbound[this.srcNode[e]!]!;
    }
    inbound.fill(0);
  }

  /**
   * read() over the active edges only (the others' demand is 0, and the sums run in the same
   * ascending order, so they are the same numbers); only the active edges' cov is written, and
   * `inbound` is left all 0 again.
   */
  readActive(frame: Frame, active: Int32Array): void {
    // The active edges' own values when the frame has them (entry j: edge active[j]), else the dense arrays.
    const byEdge = frame.activeValues === undefined;
    const source = frame.activeValues ?? frame.values;
    const demand = new DemandMetrics(source);
    this.demandIsCount = demand.isCount;
    const k = LOAD_COVARIATES;
    const { cov, inbound, dstNode, srcNode, fromFrontDoor } = this;
    let front = 0;
    for (let j = 0; j < active.length; j++) {
      const e = active[j]!;
      const at = byEdge ? e : j;
      const d = demand.of(at);
      cov[e * k] = demand.own(at, d);
      if (fromFrontDoor[e] === 1) front += d;
      inbound[dstNode[e]!]! += d;
    }
    for (const e of active) {
      cov[e * k + 1] = front;
      cov[e * k + 2] = inbound[srcNode[e]!]!;
    }
    for (const e of active) inbound[dstNode[e]!] = 0;
  }

  /** Edge e's ends as node ids, and whether it comes in at the front door, from its names. */
  private indexEdge(frame: Frame, e: number): void {
    const { src, dst } = frame.edges.list[e]!;
    this.srcNode[e] = this.nodes.id(src);
    this.dstNode[e] = this.nodes.id(dst);
    this.fromFrontDoor[e] = this.outside.has(src) ? 1 : 0;
  }

  private growInbound(): void {
    this.inbound = ensureLength(this.inbound, this.nodes.capacity);
  }
}
