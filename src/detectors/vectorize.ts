import { defer, map, type OperatorFunction } from 'rxjs';
import type { Frame, MetricKey, Snapshot } from '../types.ts';
import { GrowingEdgeIndex } from './edgeIndex.ts';

export interface VectorizeOptions {
  /** Metric keys that get an array on every frame from the start (e.g. run.json `metrics`); others are added when first seen. */
  readonly metrics?: readonly MetricKey[];
}

/**
 * Snapshots → frames on one append-only edge index per subscription.
 *
 * Every frame carries one Float64Array per metric seen so far in the stream (a metric
 * missing from a snapshot is 0 there), each as long as the index was at that frame.
 * Arrays are fresh per frame, so a consumer may keep a frame. On a gap frame the arrays
 * hold NaN: the traffic is unknown, not zero.
 */
export function vectorize(options: VectorizeOptions = {}): OperatorFunction<Snapshot, Frame> {
  return (snapshots) =>
    defer(() => {
      const index = new GrowingEdgeIndex();
      // Parallel arrays rather than a Map: a handful of metrics, scanned by string identity
      // (JSON.parse interns keys), beats hashing each key of each edge.
      const metricNames: MetricKey[] = [...new Set(options.metrics ?? [])];
      let positions = new Int32Array(64);
      return snapshots.pipe(
        map((snapshot): Frame => {
          const edges = snapshot.edges;
          if (positions.length < edges.length) positions = new Int32Array(Math.max(edges.length, positions.length * 2));
          for (let j = 0; j < edges.length; j++) {
            const edge = edges[j]!;
            positions[j] = index.add(edge.src, edge.dst);
          }
          const size = index.size;
          const arrays: Float64Array[] = metricNames.map(() => new Float64Array(size));
          if (snapshot.gap) {
            for (const a of arrays) a.fill(Number.NaN);
          } else {
            for (let j = 0; j < edges.length; j++) {
              const values = edges[j]!.values;
              const position = positions[j]!;
              for (const metric in values) {
                let m = 0;
                while (m < metricNames.length && metricNames[m] !== metric) m++;
                if (m === metricNames.length) {
                  metricNames.push(metric);
                  arrays.push(new Float64Array(size));
                }
                arrays[m]![position]! += values[metric]!;
              }
            }
          }
          const byMetric = new Map<MetricKey, Float64Array>();
          for (let m = 0; m < metricNames.length; m++) byMetric.set(metricNames[m]!, arrays[m]!);
          return { t: snapshot.t, dt: snapshot.dt, gap: snapshot.gap, edges: index, values: byMetric, snapshot };
        }),
      );
    });
}
