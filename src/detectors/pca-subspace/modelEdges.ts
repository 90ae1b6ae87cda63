import { ensureLength, ensureLengthInt } from '../growable.ts';

/** coordinateOf: the training edges folded into the model's one aggregate coordinate. */
export const OTHER = -2;
/** coordinateOf: an edge the model does not know (all residual). */
export const OUTSIDE = -1;

/** Below this share of the training intervals (5 %) an edge is folded into the aggregate (only when there are more than maxEdges). */
const MIN_ACTIVE_SHARE = 0.05;

/**
 * The training stretch kept sparse (each interval's listed edges and values: memory O(training
 * intervals × edges listed per interval), not × every edge ever seen), and, once chosen, the
 * model's coordinates.
 *
 * Choice: while the edge index holds at most `maxEdges` edges at the end of training every edge
 * is a coordinate at its own position (the dense model, exactly). Beyond that (a converted
 * connection log sees tens of thousands of one-off pairs in a day) the model keeps the edges
 * active in at least 5 % of the training intervals, at most `maxEdges` of them, the most often
 * active first; every other edge, seen in training or after it, is added up into one aggregate
 * coordinate ("the rest of the traffic", with its own mean and variance). On such a log rare and
 * new pairs are the normal background: judged each as all residual, as the dense model judges an
 * edge first seen after training, the ~30 new pairs an interval alarmed on 7 % of the intervals. This follows the usual reduction of
 * Lakhina et al.'s link/OD-flow matrices to the flows that carry the traffic (they model 121
 * OD flows, not every host pair); the aggregate coordinate is our departure, so the rare edges'
 * total still has a normal range rather than being all residual.
 */
export class ModelEdges {
  intervals = 0;
  private size = 0;
  /**
   * The training record, as changes: interval i's entries [offsets[i], offsets[i + 1]) of
   * positions/values are the positions whose value differs from interval i − 1's (0: no longer
   * listed). Most listed edges of a connection log are silent ones read at their typical level,
   * which stays put from interval to interval: a day of it kept whole was ~100 MB (8 million
   * entries), its changes a few per cent of that. denseSamples replays them in order, so every
   * interval's listed edges and values come back exactly as they were added.
   */
  private readonly offsets: number[] = [0];
  private positions = new Int32Array(1024);
  private values = new Float64Array(1024);
  /** Per position, its value in the last interval added (0: not listed), and the interval (+ 1) that last listed it. */
  private last = new Float64Array(64);
  private listedIn = new Int32Array(64);
  /** How many positions the last interval listed (at most that many can go silent in the next). */
  private lastCount = 0;
  private activeCount = new Int32Array(64);
  private coordOf = new Int32Array(0);
  private positionOfCoord = new Int32Array(0);
  private own = 0;
  hasOther = false;

  /** Record a training interval: `size` edges indexed so far, n listed edges (positions ascending, values, active flags). */
  add(size: number, n: number, positions: Int32Array, values: Float64Array, isActive: Uint8Array): void {
    this.size = Math.max(this.size, size);
    this.activeCount = ensureLengthInt(this.activeCount, this.size);
    this.last = ensureLength(this.last, this.size);
    this.listedIn = ensureLengthInt(this.listedIn, this.size);
    const stamp = this.intervals + 1;
    let used = this.offsets[this.offsets.length - 1]!;
    // At most every listed edge changed, and every one listed last time is gone.
    this.positions = ensureLengthInt(this.positions, used + n + this.lastCount);
    this.values = ensureLength(this.values, used + n + this.lastCount);
    let listed = 0;
    for (let u = 0; u < n; u++) {
      const v = values[u]!;
      if (v === 0) continue;
      const p = positions[u]!;
      listed++;
      this.listedIn[p] = stamp;
      if (isActive[u] === 1 && v > 0) this.activeCount[p]!++;
      if (this.last[p] === v) continue;
      this.last[p] = v;
      this.positions[used] = p;
      this.values[used++] = v;
    }
    // Gone: listed last time (last[p] is not 0 exactly then), not this time; ascending.
    for (let p = 0; p < this.size; p++) {
      if (this.last[p] === 0 || this.listedIn[p] === stamp) continue;
      this.last[p] = 0;
      this.positions[used] = p;
      this.values[used++] = 0;
    }
    this.lastCount = listed;
    this.offsets.push(used);
    this.intervals++;
  }

  /** Choose the coordinates (see the class). */
  choose(maxEdges: number): void {
    const m = this.size;
    this.coordOf = new Int32Array(m);
    if (m <= maxEdges) {
      for (let p = 0; p < m; p++) this.coordOf[p] = p;
      this.positionOfCoord = Int32Array.from(this.coordOf);
      this.own = m;
      this.hasOther = false;
      return;
    }
    const least = Math.max(1, Math.ceil(MIN_ACTIVE_SHARE * this.intervals));
    const candidates: number[] = [];
    for (let p = 0; p < m; p++) if (this.activeCount[p]! >= least) candidates.push(p);
    candidates.sort((a, b) => this.activeCount[b]! - this.activeCount[a]! || a - b);
    const kept = candidates.slice(0, maxEdges).sort((a, b) => a - b);
    this.coordOf.fill(OTHER);
    kept.forEach((p, c) => (this.coordOf[p] = c));
    this.positionOfCoord = Int32Array.from(kept);
    this.own = kept.length;
    this.hasOther = kept.length < m;
  }

  /** The model's dimension: own coordinates, and the aggregate's. */
  get dimension(): number {
    return this.own + (this.hasOther ? 1 : 0);
  }

  /** The aggregate's coordinate (when hasOther). */
  get otherCoordinate(): number {
    return this.own;
  }

  /** Coordinate of an edge position, or OTHER, or OUTSIDE. */
  coordinateOf(position: number): number {
    if (position < this.coordOf.length) return this.coordOf[position]!;
    return this.hasOther ? OTHER : OUTSIDE;
  }

  /**
   * Position p holds a new edge now (Frame.recycled; the model's edge there was forgotten): the
   * new edge is one the model does not know (the aggregate's, or all residual), and the old
   * edge's coordinate reads it silent from now on and names no position (−1).
   */
  retire(p: number): void {
    if (p >= this.coordOf.length) return;
    const c = this.coordOf[p]!;
    if (c >= 0) this.positionOfCoord[c] = -1;
    this.coordOf[p] = this.hasOther ? OTHER : OUTSIDE;
  }

  /** Edge position of an own coordinate (−1: its edge was forgotten, see retire). */
  positionOf(coordinate: number): number {
    return this.positionOfCoord[coordinate]!;
  }

  /** The training intervals as dense vectors over the coordinates; the sparse record is dropped. */
  denseSamples(): Float64Array[] {
    const d = this.dimension;
    const out: Float64Array[] = [];
    // Replay the changes into the values now per position; an interval's listed edges are exactly
    // the positions whose value now is not 0, visited ascending (the order they were added in, so
    // the aggregate's sum rounds as it did).
    const now = new Float64Array(this.size);
    for (let i = 0; i + 1 < this.offsets.length; i++) {
      for (let k = this.offsets[i]!; k < this.offsets[i + 1]!; k++) now[this.positions[k]!] = this.values[k]!;
      const x = new Float64Array(d);
      for (let p = 0; p < this.size; p++) {
        if (now[p] === 0) continue;
        const c = this.coordinateOf(p);
        if (c >= 0) x[c] = now[p]!;
        else if (c === OTHER) x[this.own] = x[this.own]! + now[p]!;
      }
      out.push(x);
    }
    this.positions = new Int32Array(0);
    this.values = new Float64Array(0);
    this.last = new Float64Array(0);
    this.listedIn = new Int32Array(0);
    this.offsets.length = 1;
    return out;
  }
}
