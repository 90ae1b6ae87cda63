import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';
import { sumEdges } from './sumEdges.ts';

/** A slice read stale: its position in the stream (0-based, gaps counted) and, when only some were, those metrics. */
export interface StaleRead {
  readonly slice: number;
  /** Only these metrics read stale (the slice stays, they read 0 there); default all (the slice a gap). */
  readonly metrics?: readonly MetricKey[] | undefined;
}

/**
 * Stale reads as Munnin's 2018 converter wrote them (../shared/data's README: a stale Prometheus
 * read is a gap, and "an adjacent slice then usually holds two scrapes' worth of traffic"): each
 * slice read stale (a number is its position, 0-based, gaps counted) becomes a gap, and its
 * traffic is added to the next slice that is not a gap, edge by edge and metric by metric (times
 * and dt unchanged). A listed slice that is already a gap stays as it is; traffic carried past the
 * last slice is dropped.
 *
 * A read with `metrics` reads only those stale, as when a writer's separate queries straddle a
 * scrape (staleMetricReads): the slice stays, those metrics read 0 on every edge of it, and their
 * traffic is added to the next slice that is not a gap.
 */
export function staleReads(reads: readonly (number | StaleRead)[]): MonoTypeOperatorFunction<Snapshot> {
  const stale = new Map(reads.map((r) => (typeof r === 'number' ? [r, undefined] : [r.slice, r.metrics])));
  return (snapshots) => {
    let position = -1;
    // The traffic of the slices read stale since the last readable one, to add to the next.
    let carried: readonly EdgeSample[] | undefined;
    return snapshots.pipe(
      map((s) => {
        position += 1;
        if (s.gap) return s;
        const own = carried === undefined ? s : { ...s, edges: sumEdges(carried, s.edges) };
        carried = undefined;
        if (!stale.has(position)) return own;
        const metrics = stale.get(position);
        if (metrics === undefined) {
          carried = own.edges;
          return { t: s.t, dt: s.dt, gap: true, reason: 'stale read (staleReads)', edges: [] };
        }
        carried = own.edges.map((e) => ({ src: e.src, dst: e.dst, values: pick(e.values, (m) => metrics.includes(m)) }));
        return { ...own, edges: own.edges.map((e) => ({ src: e.src, dst: e.dst, values: pick(e.values, (m) => !metrics.includes(m)) })) };
      }),
    );
  };
}

/** The values of the metrics `keep` keeps. */
function pick(values: Readonly<Record<MetricKey, number>>, keep: (m: MetricKey) => boolean): Record<MetricKey, number> {
  return Object.fromEntries(Object.entries(values).filter(([m]) => keep(m)));
}
