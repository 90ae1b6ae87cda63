import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { ActiveEdges } from '../sparse/index.ts';
import { TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { chiSquared, chiSquaredShare } from './chiSquared.ts';
import { CountMinSketch, hashPair, hashString, sketchPositions } from './countMinSketch.ts';

export interface MidasParameters {
  /** MIDAS-R's decay: the current counts are multiplied by this at each new tick, in [0, 1). */
  readonly decay: number;
  /** Rows of every count-min sketch. */
  readonly depth: number;
  /** Counters per row. */
  readonly width: number;
  /** `load`: an item's current share of its total is compared with all traffic's (chiSquaredShare); `ticks`: with 1/t, the paper's (chiSquared). */
  readonly baseline: 'load' | 'ticks';
}

/** Slots of the counter-position cache: 4,096 edges, 192 kB at depth 4, whatever the run's size. */
const POSITION_CACHE = 4096;

/** Seeds of the two hash values of a node name. */
const SEED_1 = 0x3c6ef372;
const SEED_2 = 0x5be0cd19;

/**
 * MIDAS-R (Bhatia, Hooi, Yoon, Shin & Faloutsos, AAAI 2020, Algorithm 2) over the interval
 * stream: one tick per non-gap interval (training included; a gap is unknown traffic, not a
 * tick of none), each edge's count in the interval (the watched metrics added up: requests and
 * TCP connections by default) arriving at once rather than one record at a time.
 *
 * Six count-min sketches: current and total counts of edges (u, v), of sources u and of
 * destinations v. At each tick the current counts are first multiplied by `decay` (the
 * "relational" part: a burst that lasts keeps counting), then every active edge adds its count
 * to its edge's, its source's and its destination's counters, current and total. Each active
 * edge's score is the largest of the three chi-squared scores X²(a, s, t) (see chiSquared) of
 * its edge, source and destination; the interval's score is the largest over its active edges.
 * Departure from the paper's per-record stream: the score is taken once the whole interval has
 * arrived (the paper scores a record with the counts of the records before it in its tick), so
 * every edge of an interval is judged on the same counts and the order of edges does not matter.
 *
 * Thresholded by the AlarmLimit (calibrated to the false-alarm rate on the detector's own
 * interval scores, training intervals included, each learnt after it is judged). Blamed: the
 * active edges with the highest scores over the threshold (an edge carries its source's or
 * destination's score when that is the larger: a scanning source's edges share its score).
 * Memory: 6·depth·width counters, whatever the number of distinct edges and nodes.
 */
export class MidasR implements DetectorCore {
  private readonly currentEdge: CountMinSketch;
  private readonly totalEdge: CountMinSketch;
  private readonly currentSource: CountMinSketch;
  private readonly totalSource: CountMinSketch;
  private readonly currentDestination: CountMinSketch;
  private readonly totalDestination: CountMinSketch;
  private tick = 0;
  /** This interval's active edges, their counter positions (3·depth each: edge, source, destination) and scores. */
  private active = new Int32Array(64);
  private positions = new Int32Array(64);
  private scores = new Float64Array(64);
  private activeCount = 0;
  private judged = false;
  /** All traffic's current (decayed like the sketches' current counts) and total count. */
  private currentAll = 0;
  private totalAll = 0;
  private readonly top = new TopBlamed();
  /** Counter positions (3·depth) of the last edge seen at each cache slot (edge position mod POSITION_CACHE), and that edge. */
  private readonly cachedPositions: Int32Array;
  private readonly cachedEdge: unknown[] = new Array(POSITION_CACHE).fill(undefined);

  constructor(
    private readonly counts: ActiveEdges,
    private readonly p: MidasParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
  ) {
    this.cachedPositions = new Int32Array(POSITION_CACHE * 3 * p.depth);
    const sketch = () => new CountMinSketch(p.depth, p.width);
    this.currentEdge = sketch();
    this.totalEdge = sketch();
    this.currentSource = sketch();
    this.totalSource = sketch();
    this.currentDestination = sketch();
    this.totalDestination = sketch();
  }

  train(frame: Frame): void {
    this.limit.learn(this.step(frame));
  }

  judge(frame: Frame): Judgement {
    const score = this.step(frame);
    if (!this.judged) {
      // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
      this.judged = true;
      this.onTrained?.();
    }
    const threshold = this.limit.limit(Math.max(1, this.activeCount));
    this.limit.learn(score);
    if (!(score > threshold)) return { score, threshold, blamed: [] };
    const { top, active, scores } = this;
    top.reset();
    for (let k = 0; k < this.activeCount; k++) top.offer(active[k]!, scores[k]!);
    return { score, threshold, blamed: top.toBlamed((e) => this.counts.edgeOf(e), threshold) };
  }

  /** One tick: decay, count the interval's edges in, score them; returns the interval's score. */
  private step(frame: Frame): number {
    const t = ++this.tick;
    if (t > 1) {
      this.currentAll *= this.p.decay;
      this.currentEdge.multiplyAll(this.p.decay);
      this.currentSource.multiplyAll(this.p.decay);
      this.currentDestination.multiplyAll(this.p.decay);
    }
    const count = this.counts.read(frame);
    const { values, positions: edgePositions } = this.counts;
    const { depth, width } = this.p;
    const list = frame.edges.list;
    let n = 0;
    // Only this interval's edges: the sketches hold the rest (O(edges now), not O(edges ever seen)).
    for (let k = 0; k < count; k++) {
      const c = values[k]!;
      if (!(c > 0)) continue;
      const i = edgePositions[k]!;
      if (n === this.active.length) this.active = ensureLengthInt(this.active, n + 1);
      this.positions = ensureLengthInt(this.positions, (n + 1) * 3 * depth);
      this.active[n] = i;
      const at = n * 3 * depth;
      // The edge's counter positions: from a small cache by edge position (checked against the
      // edge itself), else hashed afresh. Not kept per edge position: memory stays constant
      // however many edges the run has seen (kept, they were 17 bytes per edge ever seen).
      const edge = list[i]!;
      const positions = this.positions;
      const slot = i & (POSITION_CACHE - 1);
      const stride = 3 * depth;
      const cached = this.cachedPositions;
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
      this.currentEdge.add(positions, at, c);
      this.totalEdge.add(positions, at, c);
      this.currentSource.add(positions, at + depth, c);
      this.totalSource.add(positions, at + depth, c);
      this.currentDestination.add(positions, at + 2 * depth, c);
      this.totalDestination.add(positions, at + 2 * depth, c);
      this.currentAll += c;
      this.totalAll += c;
      n++;
    }
    this.activeCount = n;
    this.scores = ensureLength(this.scores, n);
    const { positions, scores } = this;
    let max = 0;
    // X²(a, s) against the tick's expected share of s: 1/t (the paper), or all traffic's share now.
    const load = this.p.baseline === 'load';
    const share = load ? this.currentAll / this.totalAll : Number.NaN;
    for (let k = 0; k < n; k++) {
      const at = k * 3 * depth;
      const edgeCurrent = this.currentEdge.estimate(positions, at);
      const edgeTotal = this.totalEdge.estimate(positions, at);
      const sourceCurrent = this.currentSource.estimate(positions, at + depth);
      const sourceTotal = this.totalSource.estimate(positions, at + depth);
      const destinationCurrent = this.currentDestination.estimate(positions, at + 2 * depth);
      const destinationTotal = this.totalDestination.estimate(positions, at + 2 * depth);
      const score = load
        ? Math.max(chiSquaredShare(edgeCurrent, edgeTotal, share), chiSquaredShare(sourceCurrent, sourceTotal, share), chiSquaredShare(destinationCurrent, destinationTotal, share))
        : Math.max(chiSquared(edgeCurrent, edgeTotal, t), chiSquared(sourceCurrent, sourceTotal, t), chiSquared(destinationCurrent, destinationTotal, t));
      scores[k] = score;
      if (score > max) max = score;
    }
    return max;
  }
}
