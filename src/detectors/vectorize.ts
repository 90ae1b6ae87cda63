import { defer, map, type OperatorFunction } from 'rxjs';
import type { Frame, MetricKey, Snapshot } from '../types.ts';
import { EDGE_FORGET_AFTER_SECONDS, GrowingEdgeIndex } from './edgeIndex.ts';
import { FrameValues } from './frameValues.ts';
import { ensureLengthInt } from './growable.ts';

export interface VectorizeOptions {
  /** Metric keys that get an array on every frame from the start (e.g. run.json `metrics`); others are added when first seen. */
  readonly metrics?: readonly MetricKey[];
  /**
   * Silence, in seconds of run time, after which the edge index forgets an edge and reuses its
   * position (Frame.recycled). Default EDGE_FORGET_AFTER_SECONDS (one day); Infinity: never.
   */
  readonly forgetEdgesAfterSeconds?: number;
}

/**
 * Snapshots → frames on one edge index per subscription (it forgets edges silent for its horizon, a day by default: see GrowingEdgeIndex).
 *
 * Every frame carries one Float64Array per metric seen so far in the stream (a metric
 * missing from a snapshot is 0 there), each as long as the index was at that frame, built
 * only when a consumer asks for them (see FrameValues); the frame's active edges (`active`)
 * and their values (`activeValues`) are there without. Arrays are fresh per frame, so a
 * consumer may keep a frame. On a gap frame the arrays hold NaN: the traffic is unknown, not zero.
 */
export function vectorize(options: VectorizeOptions = {}): OperatorFunction<Snapshot, Frame> {
  return (snapshots) =>
    defer(() => {
      const index = new GrowingEdgeIndex({ forgetAfterSeconds: options.forgetEdgesAfterSeconds ?? EDGE_FORGET_AFTER_SECONDS });
      let forgotten = 0;
      // Parallel arrays rather than a Map: a handful of metrics, scanned by string identity
      // (JSON.parse interns keys), beats hashing each key of each edge.
      const metricNames: MetricKey[] = [...new Set(options.metrics ?? [])];
      let shared: readonly MetricKey[] = metricNames.slice();
      let positions = new Int32Array(64);
      // The edge that was j-th in the previous snapshot, and its position. A writer lists edges
      // in much the same order every interval, so comparing two names usually replaces the
      // index's two hash lookups; a position holds its edge until the edge is forgotten, so a
      // match is right while the index has forgotten nothing since (else the cache is dropped).
      const lastSrc: string[] = [];
      const lastDst: string[] = [];
      let lastPosition = new Int32Array(64);
      /** Scratch: per edge position, its rank among the frame's active edges (valid for those only). */
      let rankAt = new Int32Array(64);
      return snapshots.pipe(
        map((snapshot): Frame => {
          const edges = snapshot.edges;
          index.forgetSilent(snapshot.t);
          if (index.forgotten !== forgotten) {
            forgotten = index.forgotten;
            lastSrc.length = 0;
            lastDst.length = 0;
          }
          // positions[j] is written before it is read, so what growing copies into it is never used.
          positions = ensureLengthInt(positions, edges.length);
          lastPosition = ensureLengthInt(lastPosition, edges.length);
          for (let j = 0; j < edges.length; j++) {
            const edge = edges[j]!;
            if (edge.src === lastSrc[j] && edge.dst === lastDst[j]) {
              positions[j] = lastPosition[j]!;
              continue;
            }
            const position = index.add(edge.src, edge.dst);
            positions[j] = position;
            lastSrc[j] = edge.src;
            lastDst[j] = edge.dst;
            lastPosition[j] = position;
          }
          const size = index.size;
          const active = activePositions(positions, snapshot.gap ? 0 : edges.length);
          const k = active.length;
          index.seen(active, k, snapshot.t);
          const recycled = index.takeRecycled();
          // Where each edge of the snapshot lands among the active edges (its rank by position).
          rankAt = ensureLengthInt(rankAt, size);
          for (let r = 0; r < k; r++) rankAt[active[r]!] = r;
          // The metrics known so far share one small fresh buffer per frame (a consumer may keep a frame).
          const known = metricNames.length;
          const block = new Float64Array(known * k);
          const arrays: Float64Array[] = [];
          for (let m = 0; m < known; m++) arrays.push(block.subarray(m * k, (m + 1) * k));
          if (!snapshot.gap) {
            for (let j = 0; j < edges.length; j++) {
              const values = edges[j]!.values;
              const r = rankAt[positions[j]!]!;
              for (const metric in values) {
                let m = 0;
                while (m < metricNames.length && metricNames[m] !== metric) m++;
                if (m === metricNames.length) {
                  metricNames.push(metric);
                  arrays.push(new Float64Array(k));
                }
                arrays[m]![r]! += values[metric]!;
              }
            }
          }
          const activeValues = new Map<MetricKey, Float64Array>();
          for (let m = 0; m < metricNames.length; m++) activeValues.set(metricNames[m]!, arrays[m]!);
          // The frames share one copy of the metric list until a new metric appears.
          if (shared.length !== metricNames.length) shared = metricNames.slice();
          const values = new FrameValues(shared, arrays, active, size, snapshot.gap);
          return { t: snapshot.t, dt: snapshot.dt, gap: snapshot.gap, edges: index, recycled, values, snapshot, active, activeValues, edgeCount: metricNames.length === 0 ? 0 : size };
        }),
      );
    });
}

/** positions[0, n) sorted ascending, each once, in a fresh array (a frame's `active`). */
function activePositions(positions: Int32Array, n: number): Int32Array {
  // A writer lists edges in much the same order every interval, usually the order they were
  // first seen in: then the positions already ascend, and sorting is skipped.
  let ascending = true;
  for (let j = 1; j < n && ascending; j++) ascending = positions[j - 1]! < positions[j]!;
  if (ascending) return positions.slice(0, n);
  const sorted = positions.slice(0, n).sort();
  let kept = 0;
  for (let j = 0; j < n; j++) if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[kept++] = sorted[j]!;
  return kept === n ? sorted : sorted.slice(0, kept);
}
