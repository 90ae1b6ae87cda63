import type { EdgeIndex, Frame, MetricKey } from '../../types.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import { VolumeSeries } from '../series/index.ts';

export interface ActiveEdgesOptions {
  /** Watched metric keys, added up per edge (as VolumeSeries `sum`; with its fallback on a run that lacks them all). */
  readonly metrics: readonly MetricKey[];
  /** `log1p`: each value is ln(1 + volume). Default `none`. */
  readonly transform?: 'none' | 'log1p';
  /** Fill `firstMetric` (new-edge's order); otherwise it is left −1. Default false. */
  readonly firstMetric?: boolean;
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
  private readonly wantFirst: boolean;
  private index: EdgeIndex | undefined;
  /** The previous snapshot's j-th edge and its position: writers list edges in much the same order each interval. */
  private lastSrc: string[] = [];
  private lastDst: string[] = [];
  private lastPosition = new Int32Array(64);
  /** Per snapshot edge j: its position, watched sum and first metric; and the sort keys (position, j). */
  private edgePosition = new Int32Array(64);
  private scratchValues = new Float64Array(64);
  private scratchFirst = new Int32Array(64);
  private keys = new Float64Array(64);

  constructor(options: ActiveEdgesOptions) {
    this.volume = new VolumeSeries({ metrics: options.metrics, combine: 'sum' });
    this.log1p = options.transform === 'log1p';
    this.wantFirst = options.firstMetric === true;
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
    const metricOrder = this.wantFirst ? [...frame.values.keys()] : NO_METRICS;
    const index = frame.edges;
    this.index = index;
    const edges = frame.snapshot.edges;
    const e = edges.length;
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
        const x = values[metrics[m]!];
        if (x !== undefined) sum += x;
      }
      let first = -1;
      for (let m = 0; m < metricOrder.length; m++) {
        if (values[metricOrder[m]!]! > 0) {
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
    this.values = ensureLength(this.values, e);
    this.firstMetric = ensureLengthInt(this.firstMetric, e);
    let n = 0;
    for (let k = 0; k < e; k++) {
      const j = order === undefined ? k : order[k]! % SNAPSHOT_EDGES;
      const position = edgePosition[j]!;
      const sum = scratchValues[j]!;
      const first = scratchFirst[j]!;
      if (n > 0 && this.positions[n - 1] === position) {
        // A repeated edge: its values add up, as the frame's arrays add them (before the transform).
        this.values[n - 1]! += sum;
        if (first !== -1 && (this.firstMetric[n - 1] === -1 || first < this.firstMetric[n - 1]!)) this.firstMetric[n - 1] = first;
        continue;
      }
      this.positions[n] = position;
      this.values[n] = sum;
      this.firstMetric[n++] = first;
    }
    if (this.log1p) for (let k = 0; k < n; k++) this.values[k] = Math.log1p(this.values[k]!);
    this.count = n;
    return n;
  }

  /** The edge at an index position (for blame), as of the last read. */
  edgeOf(position: number): { readonly src: string; readonly dst: string } {
    return this.index?.list[position] ?? { src: '?', dst: '?' };
  }
}

const NO_METRICS: readonly MetricKey[] = [];

/** Edges a snapshot may list (2²¹): the sort key's factor. */
const SNAPSHOT_EDGES = 2 ** 21;
