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
 * Buffers are reused from frame to frame: read them before the next `read`.
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
  /** Per edge position: the read that last touched it, and its entry there. */
  private mark = new Int32Array(64);
  private slot = new Int32Array(64);
  private reads = 0;
  private index: EdgeIndex | undefined;
  /** The previous snapshot's j-th edge and its position: writers list edges in much the same order each interval. */
  private lastSrc: string[] = [];
  private lastDst: string[] = [];
  private lastPosition = new Int32Array(64);
  private order = new Int32Array(64);
  private scratchValues = new Float64Array(64);
  private scratchFirst = new Int32Array(64);

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
    const read = ++this.reads;
    if (this.mark.length < index.size) {
      this.mark = ensureLengthInt(this.mark, index.size);
      this.slot = ensureLengthInt(this.slot, index.size);
    }
    this.lastPosition = ensureLengthInt(this.lastPosition, edges.length);
    this.order = ensureLengthInt(this.order, edges.length);
    this.scratchValues = ensureLength(this.scratchValues, edges.length);
    this.scratchFirst = ensureLengthInt(this.scratchFirst, edges.length);
    const { mark, slot, order, scratchValues, scratchFirst } = this;
    let n = 0;
    for (let j = 0; j < edges.length; j++) {
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
      if (mark[position] === read) {
        // A repeated edge: its values add up, as the frame's arrays add them.
        const k = slot[position]!;
        scratchValues[k]! += sum;
        if (first !== -1 && (scratchFirst[k] === -1 || first < scratchFirst[k]!)) scratchFirst[k] = first;
        continue;
      }
      mark[position] = read;
      slot[position] = n;
      order[n] = position;
      scratchValues[n] = sum;
      scratchFirst[n] = first;
      n++;
    }
    let ascending = true;
    for (let k = 1; k < n && ascending; k++) if (order[k]! < order[k - 1]!) ascending = false;
    const sorted = ascending ? order : order.subarray(0, n).sort();
    this.positions = ensureLengthInt(this.positions, n);
    this.values = ensureLength(this.values, n);
    this.firstMetric = ensureLengthInt(this.firstMetric, n);
    for (let k = 0; k < n; k++) {
      const position = sorted[k]!;
      const from = slot[position]!;
      const v = scratchValues[from]!;
      this.positions[k] = position;
      this.values[k] = this.log1p ? Math.log1p(v) : v;
      this.firstMetric[k] = scratchFirst[from]!;
    }
    this.count = n;
    return n;
  }

  /** The edge at an index position (for blame), as of the last read. */
  edgeOf(position: number): { readonly src: string; readonly dst: string } {
    return this.index?.list[position] ?? { src: '?', dst: '?' };
  }
}

const NO_METRICS: readonly MetricKey[] = [];
