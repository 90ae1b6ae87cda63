import { ownValue } from '../../ownValue.ts';
import type { EdgeIndex, Frame, MetricKey } from '../../types.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import { VolumeSeries } from '../series/index.ts';

export interface ActiveEdgesOptions {
  /** Watched metric keys, added up per edge (as VolumeSeries `sum`; with its fallback on a run that lacks them all). */
  readonly metrics: readonly MetricKey[];
  /** `log1p`: each value is ln(1 + volume). Default `none`. */
  readonly transform?: 'none' | 'log1p';
}

/**
 * One frame's edges that carried anything, read from the frame's own sparse snapshot instead
 * of its dense per-position arrays: the work is O(edges in this interval), not O(every edge
 * seen so far) as a dense read is. On a converted connection log (~100 edges an interval out of
 * tens of thousands ever seen) that is what makes a graph detector's interval cost flat.
 *
 * After `read`, entries k < count hold, in ascending edge position (the order a dense loop
 * visits them, so sums over them are the same floating-point sums):
 *   positions[k]  the edge's position in the frame's edge index;
 *   values[k]     the watched metrics added up (0 when the edge carried only other metrics),
 *                 transformed as asked: exactly what VolumeSeries gives at that position;
 *   firstMetric[k] the first metric, in the frame's metric order, with a value above 0 there
 *                 (−1 if none): what orders an edge in a dense scan of the metric arrays.
 * An edge listed twice in a snapshot is one entry with its values added, as in the frame.
 * Buffers are reused from frame to frame: read them before the next `read`. Memory is per
 * listed edge only, none per edge position (positions are ordered by a sort when a writer's
 * order is not already ascending), so it does not grow with the edges a run has seen.
 */
export class ActiveEdges {
  count = 0;
  positions = new Int32Array(64);
  values = new Float64Array(64);
  firstMetric = new Int32Array(64);
  /** Chooses the metrics (with VolumeSeries' fallback and its one log line), names edges; read densely only until a watched metric is seen. */
  readonly volume: VolumeSeries;
  private readonly log1p: boolean;
  private index: EdgeIndex | undefined;
  /** The previous snapshot's j-th edge and its position: writers list edges in much the same order each interval. */
  private lastSrc: string[] = [];
  private lastDst: string[] = [];
  private lastPosition = new Int32Array(64);
  /** The index's `forgotten` when the cache above was filled: a forgotten edge's cached position is stale. */
  private lastForgotten = 0;
  /** Per snapshot edge j: its position, watched sum and first metric; and the sort keys (position, j). */
  private edgePosition = new Int32Array(64);
  private scratchValues = new Float64Array(64);
  private scratchFirst = new Int32Array(64);
  private keys = new Float64Array(64);
  /** The watched sums before the transform (what is shared with other readers). */
  private raw = new Float64Array(64);
  private keyMetrics: readonly MetricKey[] | undefined;
  private key = '';

  constructor(options: ActiveEdgesOptions) {
    this.volume = new VolumeSeries({ metrics: options.metrics, combine: 'sum' });
    this.log1p = options.transform === 'log1p';
  }

  /** The metrics watched now (the options', or their fallback). */
  get metrics(): readonly MetricKey[] {
    return this.volume.metrics;
  }

  /** Read a frame's active edges; returns how many. */
  read(frame: Frame): number {
    // The metric choice is VolumeSeries' own; once a watched metric is seen it never changes.
    if (!this.volume.sawWatchedMetric) this.volume.read(frame);
    const metrics = this.volume.metrics;
    if (metrics !== this.keyMetrics) {
      this.keyMetrics = metrics;
      this.key = metrics.join('\u0000');
    }
    // Detectors watching the same metrics (new-edge, eigenspace and pca-subspace by default) read
    // a frame's snapshot once; each applies its own transform to its copy.
    const shared = SHARED.get(this.key);
    const n =
      shared !== undefined && shared.frame === frame
        ? this.copy(shared, frame)
        : frame.active !== undefined && frame.activeValues !== undefined
          ? this.fromActive(frame, frame.active, frame.activeValues, metrics)
          : this.compute(frame, metrics);
    if (this.log1p) {
      this.values = ensureLength(this.values === this.raw ? new Float64Array(0) : this.values, n);
      for (let k = 0; k < n; k++) this.values[k] = Math.log1p(this.raw[k]!);
    } else this.values = this.raw;
    return n;
  }

  private copy(from: SharedRead, frame: Frame): number {
    const n = from.count;
    this.index = frame.edges;
    this.positions = ensureLengthInt(this.positions, n);
    this.raw = ensureLength(this.raw, n);
    this.firstMetric = ensureLengthInt(this.firstMetric, n);
    this.positions.set(from.positions.subarray(0, n));
    this.raw.set(from.values.subarray(0, n));
    this.firstMetric.set(from.firstMetric.subarray(0, n));
    this.count = n;
    return n;
  }

  /**
   * From the frame's own active edges (vectorize's: positions ascending, each once, a repeated
   * edge's values already added per metric), instead of reading the snapshot's edges again with
   * a name comparison and a keyed lookup per edge and metric. The same entries: each watched
   * sum adds the metrics in the same order (an absent metric is 0 there, and x + 0 = x for the
   * non-negative values a frame holds); only an edge listed twice in one snapshot, which run
   * files cannot hold (the reader refuses it), could differ, in the last digit of a fractional sum.
   */
  private fromActive(frame: Frame, active: Int32Array, activeValues: ReadonlyMap<MetricKey, Float64Array>, metrics: readonly MetricKey[]): number {
    this.index = frame.edges;
    const n = active.length;
    this.positions = ensureLengthInt(this.positions, n);
    this.raw = ensureLength(this.raw, n);
    this.firstMetric = ensureLengthInt(this.firstMetric, n);
    const { positions, raw, firstMetric } = this;
    for (let k = 0; k < n; k++) {
      positions[k] = active[k]!;
      raw[k] = 0;
      firstMetric[k] = -1;
    }
    for (let m = 0; m < metrics.length; m++) {
      const values = activeValues.get(metrics[m]!);
      if (values !== undefined) for (let k = 0; k < n; k++) raw[k]! += values[k]!;
    }
    // activeValues' order is the frame's metric order.
    let order = 0;
    for (const values of activeValues.values()) {
      for (let k = 0; k < n; k++) if (firstMetric[k] === -1 && values[k]! > 0) firstMetric[k] = order;
      order++;
    }
    this.count = n;
    SHARED.set(this.key, { frame, count: n, positions, values: raw, firstMetric });
    return n;
  }

  private compute(frame: Frame, metrics: readonly MetricKey[]): number {
    const metricOrder = [...frame.values.keys()];
    const index = frame.edges;
    this.index = index;
    const edges = frame.snapshot.edges;
    const e = edges.length;
    if ((index.forgotten ?? 0) !== this.lastForgotten) {
      this.lastForgotten = index.forgotten ?? 0;
      this.lastSrc.length = 0;
      this.lastDst.length = 0;
    }
    this.lastPosition = ensureLengthInt(this.lastPosition, e);
    this.edgePosition = ensureLengthInt(this.edgePosition, e);
    this.scratchValues = ensureLength(this.scratchValues, e);
    this.scratchFirst = ensureLengthInt(this.scratchFirst, e);
    const { edgePosition, scratchValues, scratchFirst } = this;
    let ascending = true;
    for (let j = 0; j < e; j++) {
      const edge = edges[j]!;
      let position: number;
      if (edge.src === this.lastSrc[j] && edge.dst === this.lastDst[j]) position = this.lastPosition[j]!;
      else {
        const found = index.indexOf(edge.src, edge.dst);
        if (found === undefined) throw new RangeError(`ActiveEdges: ${edge.src} → ${edge.dst} is missing from the frame's edge index`);
        position = found;
        this.lastSrc[j] = edge.src;
        this.lastDst[j] = edge.dst;
        this.lastPosition[j] = position;
      }
      edgePosition[j] = position;
      if (j > 0 && !(position > edgePosition[j - 1]!)) ascending = false;
      const values = edge.values;
      let sum = 0;
      for (let m = 0; m < metrics.length; m++) {
        const x = ownValue(values, metrics[m]!);
        if (x !== undefined) sum += x;
      }
      let first = -1;
      for (let m = 0; m < metricOrder.length; m++) {
        if ((ownValue(values, metricOrder[m]!) ?? 0) > 0) {
          first = m;
          break;
        }
      }
      scratchValues[j] = sum;
      scratchFirst[j] = first;
    }
    // In position order, a repeated edge's entries next to each other in snapshot order (keys
    // position·2²¹ + j are exact in a float64): no per-position memory, only per listed edge.
    let order: Float64Array | undefined;
    if (!ascending) {
      if (e > SNAPSHOT_EDGES) throw new RangeError(`ActiveEdges: ${e} edges in one interval, more than the ${SNAPSHOT_EDGES} supported`);
      this.keys = ensureLength(this.keys, e);
      for (let j = 0; j < e; j++) this.keys[j] = edgePosition[j]! * SNAPSHOT_EDGES + j;
      order = this.keys.subarray(0, e).sort();
    }
    this.positions = ensureLengthInt(this.positions, e);
    this.raw = ensureLength(this.raw, e);
    this.firstMetric = ensureLengthInt(this.firstMetric, e);
    let n = 0;
    for (let k = 0; k < e; k++) {
      const j = order === undefined ? k : order[k]! % SNAPSHOT_EDGES;
      const position = edgePosition[j]!;
      const sum = scratchValues[j]!;
      const first = scratchFirst[j]!;
      if (n > 0 && this.positions[n - 1] === position) {
        // A repeated edge: its values add up, as the frame's arrays add them (before the transform).
        this.raw[n - 1]! += sum;
        if (first !== -1 && (this.firstMetric[n - 1] === -1 || first < this.firstMetric[n - 1]!)) this.firstMetric[n - 1] = first;
        continue;
      }
      this.positions[n] = position;
      this.raw[n] = sum;
      this.firstMetric[n++] = first;
    }
    this.count = n;
    // Shared before the transform; the buffers are copied by the next reader, never handed out.
    SHARED.set(this.key, { frame, count: n, positions: this.positions, values: this.raw, firstMetric: this.firstMetric });
    return n;
  }

  /** The edge at an index position (for blame), as of the last read. */
  edgeOf(position: number): { readonly src: string; readonly dst: string } {
    return this.index?.list[position] ?? { src: '?', dst: '?' };
  }
}

/** A frame's read, by recipe: the frame it belongs to and the reader's buffers (copied, never handed out). */
interface SharedRead {
  readonly frame: Frame;
  readonly count: number;
  readonly positions: Int32Array;
  readonly values: Float64Array;
  readonly firstMetric: Int32Array;
}
/** The last frame read per recipe (one entry per recipe: memory does not grow with the run). */
const SHARED = new Map<string, SharedRead>();

/** Edges a snapshot may list (2²¹): the sort key's factor. */
const SNAPSHOT_EDGES = 2 ** 21;
