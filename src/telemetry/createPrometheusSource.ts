import { UserError } from '../errors.ts';
import type { CounterSample, TelemetryRead } from '../types.ts';
import { createIstioMapper, TelemetryDataError, type IstioMappingOptions } from './istioMapper.ts';
import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { OutageLog } from './OutageLog.ts';
import type { LaggingTelemetrySource } from './pollTelemetry.ts';
import { createInstantQuery } from './createInstantQuery.ts';
import { downTargetsExpr, downTargetsReason } from './downTargets.ts';
import { newestSampleExpr, staleSamplesReason } from './sampleFreshness.ts';
import { istioQueries, type IstioQueryOptions } from './istioQueries.ts';
import { describePrometheusFailure, type InstantVectorResult } from './prometheusResponse.ts';
import { prometheusAuth, type PrometheusAuthOptions } from './prometheusAuth.ts';
import { parsePrometheusUrl, prometheusBaseUrl } from './prometheusUrl.ts';

export interface PrometheusSourceOptions extends IstioMappingOptions, PrometheusAuthOptions, IstioQueryOptions {
  /** Prometheus-API base URL, e.g. http://127.0.0.1:9090 (Mimir: https://host/prometheus). Not with `managed`. */
  readonly url?: string;
  /** A managed Prometheus/VictoriaMetrics to read instead of `url` (reads are faults while it restarts); close() stops it. */
  readonly managed?: ManagedPrometheus;
  /** Scrape interval of the Prometheus read, seconds (sets the default evaluation delay). Default 1; managed: its own. */
  readonly scrapeIntervalSeconds?: number;
  /** Seconds by which queries trail the requested time. Default scrapeIntervalSeconds + 0.25; managed: its own. */
  readonly evaluationDelaySeconds?: number;
  /** Selector of the sidecars' `up` series: one not up makes the read a fault. Default none; managed: its job. */
  readonly upSelector?: string;
  /** Time-out of one query, milliseconds. Default 3000. */
  readonly timeoutMillis?: number;
  /**
   * Also ask which of the mesh's scrape targets are down (downTargets.ts): one that is makes
   * the read a fault. For a store munnin does not run, whose `up` series it cannot name
   * beforehand. Default false (a managed server's own upSelector covers it).
   */
  readonly downTargets?: boolean;
  /**
   * Also ask the newest sample time over every queried metric (sampleFreshness.ts): a read
   * whose samples are all older than this many seconds is a fault. For a store munnin does not run, which may
   * answer from before an outage of its own. Default: no such check (a managed server's
   * faultAt covers its restarts).
   */
  readonly maxSampleAgeSeconds?: number;
}

/** A Prometheus source, plus a read for checking the endpoint once before recording starts. */
export interface PrometheusSource extends LaggingTelemetrySource {
  /**
   * read(t) without the outage warning: a caller that turns a failed first read into an error
   * of its own (record) would otherwise print "intervals are recorded as gaps until it
   * recovers" right before saying nothing will be recorded.
   */
  probe(tSeconds: number): Promise<TelemetryRead>;
}

/**
 * Reads the counters from a Prometheus-API endpoint (Prometheus, VictoriaMetrics, Mimir):
 * one instant query per metric, e.g.
 *   sum by (source_workload, source_workload_namespace, destination_service_name,
 *           destination_workload, destination_service_namespace, reporter, instance, pod)
 *       (istio_request_bytes_sum)
 *
 * Time: read(t) evaluates every query at e = t − evaluationDelaySeconds (ms-rounded) and
 * labels the read (or fault) e. A query at e sees, per sidecar, its last scrape at or
 * before e, so the counters are as of a time in (e − scrapeInterval, e] with a fixed phase
 * per sidecar; the delay makes sure that scrape is complete and queryable when the query
 * runs. Reads requested on an even grid (pollTelemetry) are therefore evaluated on an even
 * grid; intervalSeconds should be a multiple of the scrape interval so each interval covers
 * the same number of scrapes. lagSeconds = the delay, so pollTelemetry labels its own
 * faults the same way.
 *
 * Resets: the sum keeps `instance`/`pod`, so each returned series is one sidecar's total
 * for one edge and reporter, and is the CounterSample's series. Envoy's counters only fall
 * when the proxy restarts, and then all of them fall together, so a falling series means
 * "restarted": downstream differencing takes its new value as the traffic since the
 * restart, exactly as for a single counter. Summed across sidecars, one pod's restart would
 * lower the edge's total, and differencing would take the whole new total (every other
 * pod's history) as one interval's traffic. increase() is not used: it extrapolates to
 * the window edges and cannot express gaps. Limitation: a label set vanishing from a live
 * sidecar (Envoy stats eviction, off by default in Istio) would also look like a restart.
 */
export function createPrometheusSource(options: PrometheusSourceOptions): PrometheusSource {
  const managed = options.managed;
  if ((options.url === undefined) === (managed === undefined)) throw new UserError('prometheus source: give either url or managed (exactly one)');
  const endpoint = parsePrometheusUrl(managed?.url ?? options.url ?? '');
  const scrapeIntervalSeconds = positive('telemetry.prometheus.scrapeIntervalSeconds', managed?.scrapeIntervalSeconds ?? options.scrapeIntervalSeconds ?? 1);
  const delaySeconds = nonNegative('evaluationDelaySeconds', options.evaluationDelaySeconds ?? managed?.evaluationDelaySeconds ?? scrapeIntervalSeconds + 0.25);
  const timeoutMillis = options.timeoutMillis ?? 3000;
  if (!Number.isInteger(timeoutMillis) || timeoutMillis <= 0) throw new UserError(`telemetry.prometheus.timeoutMillis must be a positive whole number, not ${JSON.stringify(timeoutMillis)}`);
  const upSelector = options.upSelector ?? managed?.upSelector;
  const expectedUp = managed?.targets;
  const mapper = createIstioMapper(options);
  const queries = istioQueries(mapper, options);
  const downExpr = options.downTargets === true ? downTargetsExpr(queries) : undefined;
  const maxAge = options.maxSampleAgeSeconds === undefined ? undefined : positive('maxSampleAgeSeconds', options.maxSampleAgeSeconds);
  const auth = prometheusAuth(options);
  const shownUrl = prometheusBaseUrl(endpoint);
  const outage = new OutageLog(`prometheus source (${shownUrl})`);

  const query = createInstantQuery({ endpoint, auth, timeoutMillis });

  /** The samples at e, and why they cannot be counted as they are (`unfit`), if they cannot. */
  const readAt = async (e: number): Promise<{ samples: CounterSample[]; unfit?: string }> => {
    const [up, down, newest, ...answers] = await Promise.all([
      upSelector ? query(upSelector, e) : Promise.resolve(undefined),
      downExpr ? query(downExpr, e) : Promise.resolve(undefined),
      maxAge !== undefined ? query(newestSampleExpr(queries), e) : Promise.resolve(undefined),
      ...queries.map((q) => query(q.expr, e)),
    ]);
    if (up) checkUp(up, expectedUp);
    const samples: CounterSample[] = [];
    const seen = new Set<string>();
    for (const [i, answer] of answers.entries()) {
      const istioName = queries[i]?.istioName ?? '';
      for (const { metric, value } of answer) {
        const sample = mapper.toSample(istioName, metric.labels, value.value, 'prometheus');
        if (!sample) continue;
        if (seen.has(sample.series)) throw new TelemetryDataError(`series returned twice: ${sample.series}`);
        seen.add(sample.series);
        samples.push(sample);
      }
    }
    const newestTime = Math.max(...(newest ?? []).map((s) => s.value.value));
    // No sample at all is nothing stale to count (a mesh without traffic yet reads as none).
    const stale = maxAge !== undefined && samples.length > 0 ? staleSamplesReason(e, newestTime, maxAge) : undefined;
    const unfit = (down ? downTargetsReason(down.map((s) => s.metric.labels)) : undefined) ?? stale;
    return { samples, ...(unfit !== undefined ? { unfit } : {}) };
  };

  let closed = false;
  let stopping: Promise<void> | undefined;
  /** One read at t; `logged`: faults and recoveries go to the outage log. */
  const readLogged = async (t: number, logged: boolean): Promise<TelemetryRead> => {
    const e = Math.round((t - delaySeconds) * 1000) / 1000;
    if (closed) return { kind: 'fault', t: e, reason: 'prometheus source closed' };
    const fault = (reason: string): TelemetryRead => {
      if (logged) outage.fault(e, reason);
      return { kind: 'fault', t: e, reason };
    };
    // Asked before and after the queries: a server that restarted meanwhile may have answered with pre-crash samples.
    const untrusted = managed?.faultAt(e);
    if (untrusted !== undefined) return fault(untrusted);
    try {
      const { samples, unfit } = await readAt(e);
      const restarted = managed?.faultAt(e);
      if (restarted !== undefined) return fault(restarted);
      // The probe only asks whether the store answers: targets down at the start are the
      // recording's first gaps, not a reason to refuse it.
      if (unfit !== undefined && logged) return fault(unfit);
      if (logged) outage.ok(e);
      return { kind: 'read', t: e, samples };
    } catch (thrown) {
      return fault(auth.redact(describePrometheusFailure(thrown)));
    }
  };
  return {
    kind: 'prometheus',
    lagSeconds: delaySeconds,
    read: (t) => readLogged(t, true),
    probe: (t) => readLogged(t, false),
    describe: () => ({
      kind: 'prometheus',
      url: shownUrl,
      ...(managed ? { managed: managed.kind } : {}),
      reporter: mapper.reporter,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      scrapeIntervalSeconds,
      evaluationDelaySeconds: delaySeconds,
      ...(maxAge !== undefined ? { maxSampleAgeSeconds: maxAge } : {}),
    }),
    close() {
      closed = true;
      outage.close();
      stopping ??= managed ? managed.stop() : Promise.resolve();
      return stopping;
    },
  };
}

/** Every sidecar must have been scraped successfully, or the sums would silently miss it. */
function checkUp(up: InstantVectorResult['result'], expected: number | undefined): void {
  const down = up.filter((s) => s.value.value !== 1).map((s) => s.metric.labels['workload'] ?? s.metric.labels['instance'] ?? JSON.stringify(s.metric.labels));
  if (down.length > 0) throw new TelemetryDataError(`last scrape failed for sidecar(s) ${down.slice(0, 3).join(', ')}${down.length > 3 ? ` and ${down.length - 3} more` : ''}`);
  if (expected !== undefined && up.length < expected) throw new TelemetryDataError(`only ${up.length} of ${expected} sidecars have been scraped`);
}

function positive(field: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new UserError(`${field} must be a positive number, not ${JSON.stringify(value)}`);
  return value;
}

function nonNegative(field: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new UserError(`${field} must be a non-negative number, not ${JSON.stringify(value)}`);
  return value;
}
