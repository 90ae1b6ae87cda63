import { defer, map, type OperatorFunction } from 'rxjs';
import type { Frame, MetricKey, Snapshot } from '../types.ts';
import { EDGE_FORGET_AFTER_SECONDS, GrowingEdgeIndex } from './edgeIndex.ts';
import { FrameValues } from './frameValues.ts';
import { ensureLengthBytes, ensureLengthInt } from './growable.ts';

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
      // The previous snapshot's edges in its order, with their positions, and a cursor into
      // them. A writer lists edges in much the same order every interval, so comparing two names
      // usually replaces the index's two hash lookups; the cursor looks a few edges ahead, so an
      // edge that fell silent (or a new one) does not throw every later edge off its place, as a
      // comparison by place did (at 1,000 services ~1 % of the edges come and go each interval,
      // and all but a few dozen of 5,000 missed). A position holds its edge until the edge is
      // forgotten, so a match is right while the index has forgotten nothing since (else the
      // cache is dropped).
      let lastSrc: string[] = [];
      let lastDst: string[] = [];
      let lastPosition = new Int32Array(64);
      let lastCount = 0;
      let nextSrc: string[] = [];
      let nextDst: string[] = [];
      let nextPosition = new Int32Array(64);
      /** Scratch: per edge position, its rank among the frame's active edges (valid for those only). */
      let rankAt = new Int32Array(64);
      /** Scratch for activePositions: per edge position, 1 while it is being collected. */
      let marks = new Uint8Array(64);
      return snapshots.pipe(
        map((snapshot): Frame => {
          const edges = snapshot.edges;
          index.forgetSilent(snapshot.t);
          if (index.forgotten !== forgotten) {
            forgotten = index.forgotten;
            lastCount = 0;
          }
          // positions[j] is written before it is read, so what growing copies into it is never used.
          positions = ensureLengthInt(positions, edges.length);
          nextPosition = ensureLengthInt(nextPosition, edges.length);
          let cursor = 0;
          for (let j = 0; j < edges.length; j++) {
            const edge = edges[j]!;
            const src = edge.src;
            const dst = edge.dst;
            let position = -1;
            const stop = Math.min(lastCount, cursor + LOOK_AHEAD);
            for (let q = cursor; q < stop; q++) {
              if (lastDst[q] === dst && lastSrc[q] === src) {
                position = lastPosition[q]!;
                cursor = q + 1;
                break;
              }
            }
            if (position < 0) position = index.add(src, dst);
            positions[j] = position;
            nextSrc[j] = src;
            nextDst[j] = dst;
            nextPosition[j] = position;
          }
          [lastSrc, nextSrc] = [nextSrc, lastSrc];
          [lastDst, nextDst] = [nextDst, lastDst];
          [lastPosition, nextPosition] = [nextPosition, lastPosition];
          lastCount = edges.length;
          const size = index.size;
          marks = ensureLengthBytes(marks, size);
          const active = activePositions(positions, snapshot.gap ? 0 : edges.length, marks, size);
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

/** How far ahead of its cursor vectorize looks for an edge in the previous snapshot's order (the snapshot line parser's EdgeOrderFollower, src/store/, follows the previous line's order the same way). */
const LOOK_AHEAD = 4;

/**
 * positions[0, n) sorted ascending, each once, in a fresh array (a frame's `active`). `marks`:
 * all 0, at least `size` (every position is below it) long; left all 0.
 */
function activePositions(positions: Int32Array, n: number, marks: Uint8Array, size: number): Int32Array {
  // A writer lists edges in much the same order every interval, usually the order they were
  // first seen in: then the positions already ascend, and sorting is skipped.
  let ascending = true;
  for (let j = 1; j < n && ascending; j++) ascending = positions[j - 1]! < positions[j]!;
  if (ascending) return positions.slice(0, n);
  // Edges that appear after the first interval take new positions while written among the
  // others: when they are a good share of every position, marking and one scan in position
  // order beats a sort (at 1,000 services a sort of 5,000 per interval was ~5 % of a replay).
  if (size <= MARK_SCAN_BELOW * n) {
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const p = positions[j]!;
      if (marks[p] === 0) {
        marks[p] = 1;
        kept++;
      }
    }
    const out = new Int32Array(kept);
    let at = 0;
    for (let p = 0; p < size && at < kept; p++) {
      if (marks[p] === 0) continue;
      marks[p] = 0;
      out[at++] = p;
    }
    return out;
  }
  const sorted = positions.slice(0, n).sort();
  let kept = 0;
  for (let j = 0; j < n; j++) if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[kept++] = sorted[j]!;
  return kept === n ? sorted : sorted.slice(0, kept);
}

/** Mark and scan when the positions in use are fewer than this many times the frame's edges; else sort. */
const MARK_SCAN_BELOW = 8;
