import type { EdgeSample, MetricKey } from '../types.ts';
import { edgeKey } from '../edgeKey.ts';

/**
 * Two slices' edges summed, per edge and metric, in order of first appearance: the traffic of a
 * slice read stale, carried into the next readable one (staleReads, staleMetricReads).
 */
export function sumEdges(first: readonly EdgeSample[], second: readonly EdgeSample[]): EdgeSample[] {
  const byEdge = new Map<string, { src: string; dst: string; values: Record<MetricKey, number> }>();
  for (const e of [...first, ...second]) {
    const key = edgeKey(e.src, e.dst);
    let sum = byEdge.get(key);
    if (sum === undefined) byEdge.set(key, (sum = { src: e.src, dst: e.dst, values: {} }));
    for (const [metric, v] of Object.entries(e.values)) sum.values[metric] = (sum.values[metric] ?? 0) + v;
  }
  return [...byEdge.values()];
}
