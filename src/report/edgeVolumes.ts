import { UserError } from '../errors.ts';
import { ownValue } from '../ownValue.ts';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';
import { edgeKey } from '../edgeKey.ts';

/** Which metrics make up an edge's "volume" in the report, and how to label it. */
export interface VolumeMeasure {
  readonly keys: readonly MetricKey[];
  /** Full description, e.g. `bytes (tcp_sent_bytes + tcp_received_bytes)`. */
  readonly label: string;
  /** Short unit for axes, e.g. `bytes`. */
  readonly unit: string;
}

/** An ordered pair of nodes. */
export interface EdgeRef {
  readonly src: string;
  readonly dst: string;
}

/** Map key of an edge (see src/edgeKey.ts), for the report's and the dashboard's Sets and Maps. */
export { edgeKey };

/**
 * Default: every metric whose key ends in `bytes` (both directions of the edge, summed);
 * a run with no byte metric falls back to its first metric. `metric` picks one key.
 */
export function volumeMeasure(metrics: readonly MetricKey[], metric?: MetricKey): VolumeMeasure {
  if (metric !== undefined) {
    if (!metrics.includes(metric)) throw new UserError(`report edgeMetric: ${JSON.stringify(metric)} is not one of the run's metrics (${metrics.join(', ')})`);
    return { keys: [metric], label: metric, unit: metric };
  }
  const bytes = metrics.filter((m) => m.endsWith('bytes'));
  if (bytes.length > 0) return { keys: bytes, label: `bytes (${bytes.join(' + ')})`, unit: 'bytes' };
  const first = metrics[0] ?? 'requests';
  return { keys: [first], label: first, unit: first };
}

export function edgeVolume(edge: EdgeSample, keys: readonly MetricKey[]): number {
  let sum = 0;
  for (const k of keys) sum += ownValue(edge.values, k) ?? 0;
  return sum;
}

/** An edge's volume in every interval: 0 where it carried nothing, null in gaps (unknown). */
export function edgeSeries(snapshots: readonly Snapshot[], edge: EdgeRef, keys: readonly MetricKey[]): (number | null)[] {
  return snapshots.map((s) => {
    if (s.gap) return null;
    const e = s.edges.find((x) => x.src === edge.src && x.dst === edge.dst);
    return e ? edgeVolume(e, keys) : 0;
  });
}

/** Total volume of every edge over the run, largest first. */
export function edgeTotals(snapshots: readonly Snapshot[], keys: readonly MetricKey[]): { src: string; dst: string; total: number }[] {
  const totals = new Map<string, { src: string; dst: string; total: number }>();
  for (const s of snapshots) {
    for (const e of s.edges) {
      const k = edgeKey(e.src, e.dst);
      const entry = totals.get(k) ?? { src: e.src, dst: e.dst, total: 0 };
      entry.total += edgeVolume(e, keys);
      totals.set(k, entry);
    }
  }
  return [...totals.values()].sort((a, b) => b.total - a.total);
}
