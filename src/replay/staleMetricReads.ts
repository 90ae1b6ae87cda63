import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';
import { sumEdges } from './sumEdges.ts';

/**
 * Metrics whose traffic on an edge never comes without another's: a TCP edge that moves bytes one
 * way moves some the other (a query and its answer, a request and its acknowledgement in the
 * application's protocol), and Istio counts a request in `requests` whenever it counts its bytes.
 * So one of them reading 0 on every edge while its companion reads traffic on several is not
 * quiet traffic: it is a stale read of that metric alone.
 */
const COMPANIONS: Readonly<Record<MetricKey, readonly MetricKey[]>> = {
  tcp_sent_bytes: ['tcp_received_bytes'],
  tcp_received_bytes: ['tcp_sent_bytes'],
  requests: ['request_bytes', 'response_bytes'],
};

/**
 * Edges a metric must have read traffic on in the last readable slice, and its companion in this
 * one, before its reading 0 everywhere is called stale: one edge moving bytes one way for a slice
 * is ordinary, three at once in a mesh that was busy a slice ago are not.
 */
export const STALE_METRIC_MIN_EDGES = 3;

/** One slice read stale in one metric (or more), as staleMetricReads found it. */
export interface StaleMetricRead {
  /** The slice's `t` (its end, Unix seconds). */
  readonly t: number;
  /** The metric that read 0 on every edge. */
  readonly metric: MetricKey;
  /** The companion metric, and on how many edges it read traffic in the slice. */
  readonly companion: MetricKey;
  readonly companionEdges: number;
}

/**
 * A stale read of one metric, as a writer that differences two separate queries' counters leaves
 * it (Munnin 2018 queried sent and received bytes one after the other; a scrape landing between
 * the two leaves one matrix unchanged, so its differential reads 0 on every edge, and the next
 * slice holds two slices' worth): a slice where a metric reads 0 on every edge, though it read
 * traffic on at least STALE_METRIC_MIN_EDGES edges in the last readable slice and a companion
 * (COMPANIONS) reads traffic on as many in this one, becomes a gap, and all its traffic (every
 * metric) is carried into the next slice that is not a gap. That slice then holds two slices of
 * every metric, as after a stale read of both, and detectors treat it as they treat any interval
 * right after a gap (detectorOperator). Left as it was, the stale metric would read as a slice of
 * no traffic (learnt as one) followed by a slice of twice the traffic (a false alarm).
 *
 * Munnin's converter wrote a slice as a gap only when both matrices read 0 (../shared/data's
 * README); this catches the one-matrix case it left as zeros. It makes the detectors' stream: the
 * evaluation still counts such a slice as the file has it (runReplay: a scored interval, NaN). Metrics without a companion in
 * `metrics` are never called stale. `onStale` hears each slice turned into a gap.
 */
export function staleMetricReads(metrics: readonly MetricKey[], onStale?: (read: StaleMetricRead) => void): MonoTypeOperatorFunction<Snapshot> {
  return (snapshots) => {
    const gaps = new StaleMetricGaps(metrics, onStale);
    return gaps.watching ? snapshots.pipe(map((s) => gaps.next(s))) : snapshots;
  };
}

/** A run's slices, already read, as staleMetricReads reads them (reports, exports, the dashboard's pages). */
export function staleMetricGaps(snapshots: readonly Snapshot[], metrics: readonly MetricKey[]): Snapshot[] {
  const gaps = new StaleMetricGaps(metrics);
  return gaps.watching ? snapshots.map((s) => gaps.next(s)) : [...snapshots];
}

/** staleMetricReads slice by slice: feed every slice in order; each comes back as replay reads it. */
class StaleMetricGaps {
  private readonly rule: StaleMetricRule;
  /** The traffic of the slices read stale since the last readable one, to add to the next. */
  private carried: readonly EdgeSample[] | undefined;

  constructor(
    metrics: readonly MetricKey[],
    private readonly onStale?: (read: StaleMetricRead) => void,
  ) {
    this.rule = new StaleMetricRule(metrics);
  }

  get watching(): boolean {
    return this.rule.watching;
  }

  next(s: Snapshot): Snapshot {
    if (s.gap) return s;
    const own = this.carried === undefined ? s : { ...s, edges: sumEdges(this.carried, s.edges) };
    this.carried = undefined;
    const stale = this.rule.check(s);
    if (stale.length === 0) return own;
    for (const read of stale) this.onStale?.(read);
    this.carried = own.edges;
    const reason = `stale read of ${stale.map((r) => `${r.metric} (0 on every edge, ${r.companion} on ${r.companionEdges})`).join(', ')}: staleMetricReads`;
    return { t: s.t, dt: s.dt, gap: true, reason, edges: [] };
  }
}

/**
 * staleMetricReads' test, slice by slice, for readers that only count (the dashboard's RunStats):
 * feed every slice that is not a gap, in order, as recorded (not with traffic carried into it).
 */
export class StaleMetricRule {
  /** The metrics counted per slice: the watched ones (a companion in the run), then their companions. */
  private readonly keys: readonly MetricKey[];
  /** How many of `keys` are watched (the first ones), and per watched metric its companions' positions in `keys`. */
  private readonly watchedCount: number;
  private readonly companionsOf: readonly (readonly number[])[];
  /** Per key: edges with traffic in this slice. Per watched metric: in the last readable slice. */
  private readonly active: Int32Array;
  private readonly before: Int32Array;

  constructor(metrics: readonly MetricKey[]) {
    const watched = metrics.filter((m) => (COMPANIONS[m] ?? []).some((c) => metrics.includes(c)));
    const keys = [...watched];
    for (const m of watched) for (const c of COMPANIONS[m]!) if (metrics.includes(c) && !keys.includes(c)) keys.push(c);
    this.keys = keys;
    this.watchedCount = watched.length;
    this.companionsOf = watched.map((m) => COMPANIONS[m]!.filter((c) => metrics.includes(c)).map((c) => keys.indexOf(c)));
    this.active = new Int32Array(keys.length);
    this.before = new Int32Array(watched.length);
  }

  /** Whether any metric of the run has a companion in it (else no slice is ever stale). */
  get watching(): boolean {
    return this.watchedCount > 0;
  }

  /** The metrics read stale in this slice (none: it is readable, and the slice later ones are compared with). */
  check(s: Snapshot): StaleMetricRead[] {
    const { keys, active, before } = this;
    active.fill(0);
    for (const e of s.edges) {
      const values = e.values;
      for (let k = 0; k < keys.length; k++) if ((values[keys[k]!] ?? 0) > 0) active[k]! += 1;
    }
    let stale: StaleMetricRead[] | undefined;
    for (let w = 0; w < this.watchedCount; w++) {
      if (active[w]! > 0 || before[w]! < STALE_METRIC_MIN_EDGES) continue;
      // The busiest companion speaks for the metric.
      let best = -1;
      for (const c of this.companionsOf[w]!) if (best < 0 || active[c]! > active[best]!) best = c;
      if (active[best]! >= STALE_METRIC_MIN_EDGES) (stale ??= []).push({ t: s.t, metric: keys[w]!, companion: keys[best]!, companionEdges: active[best]! });
    }
    if (stale !== undefined) return stale;
    before.set(active.subarray(0, this.watchedCount));
    return [];
  }
}
