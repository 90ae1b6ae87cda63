import type { Frame } from '../../types.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { ActiveEdges } from '../sparse/index.ts';
import { CountMinSketch, hashPair, hashString, sketchPositions } from './countMinSketch.ts';

/** Slots of the counter-position cache: 4,096 edges, 192 kB at depth 4, whatever the run's size. */
const POSITION_CACHE = 4096;

/** Seeds of the two hash values of a node name. */
const SEED_1 = 0x3c6ef372;
const SEED_2 = 0x5be0cd19;

/**
 * MIDAS-R's counts (see MidasR): six count-min sketches, the current (decayed) and total counts
 * of edges, of sources and of destinations, and all traffic's current and total count (A, S).
 * Each tick (count) first decays the current counts, then adds the interval's active edges in,
 * saving each edge's counters first, so that what was added can be replaced exactly
 * (learnInstead) by other amounts: a burst MidasR will not learn. An edge MidasR takes as the
 * new normal can have its total re-based to its current level (rebase).
 */
export class MidasCounts {
  readonly currentEdge: CountMinSketch;
  readonly totalEdge: CountMinSketch;
  readonly currentSource: CountMinSketch;
  readonly totalSource: CountMinSketch;
  readonly currentDestination: CountMinSketch;
  readonly totalDestination: CountMinSketch;
  private readonly sketches: readonly CountMinSketch[];
  tick = 0;
  /** This interval's active edges (positions), their counter positions (3·depth each: edge, source, destination) and counts. */
  active = new Int32Array(64);
  positions = new Int32Array(64);
  counts = new Float64Array(64);
  activeCount = 0;
  /** Each active edge's counters (6·depth: the six sketches in `sketches` order) as they were before it was added. */
  private saved = new Float64Array(64);
  /** Scratch of rebase(): each marked edge's current and total count. */
  private rebased = new Float64Array(64);
  /** All traffic's current (decayed like the sketches' current counts) and total count, and both before this tick's counts. */
  currentAll = 0;
  totalAll = 0;
  currentBefore = 0;
  totalBefore = 0;
  /** Counter positions (3·depth) of the last edge seen at each cache slot (edge position mod POSITION_CACHE), and that edge. */
  private readonly cachedPositions: Int32Array;
  private readonly cachedEdge: unknown[] = new Array(POSITION_CACHE).fill(undefined);

  constructor(
    private readonly edges: ActiveEdges,
    private readonly p: { readonly decay: number; readonly depth: number; readonly width: number },
  ) {
    this.cachedPositions = new Int32Array(POSITION_CACHE * 3 * p.depth);
    const sketch = () => new CountMinSketch(p.depth, p.width);
    this.currentEdge = sketch();
    this.totalEdge = sketch();
    this.currentSource = sketch();
    this.totalSource = sketch();
    this.currentDestination = sketch();
    this.totalDestination = sketch();
    this.sketches = [this.currentEdge, this.totalEdge, this.currentSource, this.totalSource, this.currentDestination, this.totalDestination];
  }

  /** One tick's counting: decay, then add the interval's edges in (their counters saved first); returns how many are active. */
  count(frame: Frame): number {
    const t = ++this.tick;
    if (t > 1) {
      this.currentAll *= this.p.decay;
      this.currentEdge.multiplyAll(this.p.decay);
      this.currentSource.multiplyAll(this.p.decay);
      this.currentDestination.multiplyAll(this.p.decay);
    }
    this.currentBefore = this.currentAll;
    this.totalBefore = this.totalAll;
    const count = this.edges.read(frame);
    const { values, positions: edgePositions } = this.edges;
    const { depth, width } = this.p;
    const list = frame.edges.list;
    const stride = 3 * depth;
    // Room for every listed edge at once (at most `count` are active), not per edge.
    this.active = ensureLengthInt(this.active, count);
    this.counts = ensureLength(this.counts, count);
    this.positions = ensureLengthInt(this.positions, count * stride);
    this.saved = ensureLength(this.saved, count * 2 * stride);
    const { active, counts, positions, saved, cachedPositions: cached } = this;
    const { currentEdge, totalEdge, currentSource, totalSource, currentDestination, totalDestination } = this;
    let n = 0;
    // Only this interval's edges: the sketches hold the rest (O(edges now), not O(edges ever seen)).
    for (let k = 0; k < count; k++) {
      const c = values[k]!;
      if (!(c > 0)) continue;
      const i = edgePositions[k]!;
      active[n] = i;
      counts[n] = c;
      const at = n * stride;
      // The edge's counter positions: from a small cache by edge position (checked against the
      // edge itself), else hashed afresh. Not kept per edge position: memory stays constant
      // however many edges the run has seen (kept, they were 17 bytes per edge ever seen).
      const edge = list[i]!;
      const slot = i & (POSITION_CACHE - 1);
      if (this.cachedEdge[slot] === edge) {
        for (let r = 0, from = slot * stride; r < stride; r++) positions[at + r] = cached[from + r]!;
      } else {
        const s1 = hashString(edge.src, SEED_1);
        const s2 = hashString(edge.src, SEED_2);
        const d1 = hashString(edge.dst, SEED_1);
        const d2 = hashString(edge.dst, SEED_2);
        sketchPositions(hashPair(s1, d1), hashPair(s2, d2), depth, width, positions, at);
        sketchPositions(s1, s2, depth, width, positions, at + depth);
        sketchPositions(d1, d2, depth, width, positions, at + 2 * depth);
        this.cachedEdge[slot] = edge;
        for (let r = 0, to = slot * stride; r < stride; r++) cached[to + r] = positions[at + r]!;
      }
      // Each sketch named, not looped over as in add(), saved and added in one pass: the six calls
      // inline as before the counters were saved (a loop over the sketches, separate save and add
      // passes and growth checks per edge took midas from 6 to 9 % of a 14 × 20,000 replay's CPU).
      // The order of add(): edge, source, destination, current before total.
      const to = 6 * n * depth;
      currentEdge.saveAndAdd(positions, at, c, saved, to);
      totalEdge.saveAndAdd(positions, at, c, saved, to + depth);
      currentSource.saveAndAdd(positions, at + depth, c, saved, to + 2 * depth);
      totalSource.saveAndAdd(positions, at + depth, c, saved, to + 3 * depth);
      currentDestination.saveAndAdd(positions, at + 2 * depth, c, saved, to + 4 * depth);
      totalDestination.saveAndAdd(positions, at + 2 * depth, c, saved, to + 5 * depth);
      this.currentAll += c;
      this.totalAll += c;
      n++;
    }
    this.activeCount = n;
    return n;
  }

  /** Active edge k's total count before this tick (its past). */
  pastTotal(k: number): number {
    return this.totalEdge.savedEstimate(this.saved, (6 * k + 1) * this.p.depth);
  }

  /**
   * Learn active edge k of this tick as `amounts[k]` instead of its count: the counters go back
   * to what they were before this tick's edges, latest first (an item shared by several edges
   * was saved with the earlier ones in), then every edge is added again, in order.
   */
  learnInstead(amounts: Float64Array): void {
    const n = this.activeCount;
    const { depth } = this.p;
    const { positions, saved, sketches } = this;
    for (let k = n - 1; k >= 0; k--) {
      const at = k * 3 * depth;
      for (let q = 5; q >= 0; q--) sketches[q]!.restore(positions, at + (q >> 1) * depth, saved, (6 * k + q) * depth);
    }
    this.currentAll = this.currentBefore;
    this.totalAll = this.totalBefore;
    for (let k = 0; k < n; k++) {
      this.add(k, amounts[k]!);
      this.currentAll += amounts[k]!;
      this.totalAll += amounts[k]!;
    }
  }

  /**
   * Re-base the active edges marked in `marked` (a new normal, see MidasR.learnBursts) once this
   * tick is learnt: add to each one's total, and to its source's, its destination's and all
   * traffic's (S), what makes its total to its current count as the rest of the traffic's is,
   * (S − Σs)/(A − Σa) over the edges not marked. As if it had carried its current
   * level all along: its expected count s·p is then its current count, and the later ticks
   * score it as an ordinary edge. Why: a total that began late (an edge back after a long
   * silence) is tiny against the tick's share p ≈ 1/t of everything's, so the edge kept scoring
   * far above the threshold for dozens of ticks after it was learnt. The current counts are
   * left as they are (they are what it carries); no rest of the traffic (every active edge
   * marked), nothing to read an ordinary level from: no re-base.
   */
  rebase(marked: Uint8Array): void {
    const n = this.activeCount;
    const { depth } = this.p;
    const { positions } = this;
    this.rebased = ensureLength(this.rebased, 2 * n);
    const own = this.rebased;
    let restCurrent = this.currentAll;
    let restTotal = this.totalAll;
    // Every marked edge's counts first: two marked edges may share counters.
    for (let k = 0; k < n; k++) {
      if (!marked[k]) continue;
      const at = k * 3 * depth;
      own[2 * k] = this.currentEdge.estimate(positions, at);
      own[2 * k + 1] = this.totalEdge.estimate(positions, at);
      restCurrent -= own[2 * k]!;
      restTotal -= own[2 * k + 1]!;
    }
    if (!(restCurrent > 0 && restTotal > 0)) return;
    const ratio = restTotal / restCurrent;
    for (let k = 0; k < n; k++) {
      if (!marked[k]) continue;
      const add = own[2 * k]! * ratio - own[2 * k + 1]!;
      if (!(add > 0)) continue;
      const at = k * 3 * depth;
      this.totalEdge.add(positions, at, add);
      this.totalSource.add(positions, at + depth, add);
      this.totalDestination.add(positions, at + 2 * depth, add);
      this.totalAll += add;
    }
  }

  /** Add `c` to active edge k's six items' counters again (learnInstead; count() saves them first, in this order). */
  private add(k: number, c: number): void {
    const { depth } = this.p;
    const at = k * 3 * depth;
    const { positions, sketches } = this;
    // Sketches 0-1 count the edge, 2-3 its source, 4-5 its destination.
    for (let q = 0; q < 6; q++) sketches[q]!.add(positions, at + (q >> 1) * depth, c);
  }
}
