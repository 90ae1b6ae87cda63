import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';

/**
 * Stale reads as Munnin's 2018 converter wrote them (../shared/data's README: a stale Prometheus
 * read is a gap, and "an adjacent slice then usually holds two scrapes' worth of traffic"): each
 * slice whose position in the stream (0-based, gaps counted) is in `slices` becomes a gap, and its
 * traffic is added to the next slice that is not a gap, edge by edge and metric by metric (times
 * and dt unchanged). A listed slice that is already a gap stays as it is; traffic carried past the
 * last slice is dropped.
 */
export function staleReads(slices: readonly number[]): MonoTypeOperatorFunction<Snapshot> {
  const stale = new Set(slices);
  return (snapshots) => {
    let position = -1;
    // The traffic of the slices read stale since the last readable one, to add to the next.
    let carried: readonly EdgeSample[] | undefined;
    return snapshots.pipe(
      map((s) => {
        position += 1;
        if (s.gap) return s;
        const own = carried === undefined ? s : { ...s, edges: added(carried, s.edges) };
        carried = undefined;
        if (!stale.has(position)) return own;
        carried = own.edges;
        return { t: s.t, dt: s.dt, gap: true, reason: 'stale read (staleReads)', edges: [] };
      }),
    );
  };
}

/** The edges of two slices summed, per edge and metric, in order of first appearance. */
function added(first: readonly EdgeSample[], second: readonly EdgeSample[]): EdgeSample[] {
  const byEdge = new Map<string, { src: string; dst: string; values: Record<MetricKey, number> }>();
  for (const e of [...first, ...second]) {
    const key = `${e.src}\u0000${e.dst}`;
    let sum = byEdge.get(key);
    if (sum === undefined) byEdge.set(key, (sum = { src: e.src, dst: e.dst, values: {} }));
    for (const [metric, v] of Object.entries(e.values)) sum.values[metric] = (sum.values[metric] ?? 0) + v;
  }
  return [...byEdge.values()];
}
