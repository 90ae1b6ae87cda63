import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { CounterSample } from '../types.ts';
import { createPrometheusSource, type PrometheusSource } from './createPrometheusSource.ts';
import { defaultMaxSampleAgeSeconds } from './sampleFreshness.ts';

/**
 * A Prometheus-API source at `url` (the user's telemetry.prometheus.url, or a forward to a
 * cluster's Prometheus), built with the run's mapping, credentials and time-out. `scrapeIntervalSeconds`: how often it scrapes
 * (a cluster's, read from its configuration), else telemetry.prometheus.scrapeIntervalSeconds;
 * `evaluationDelaySeconds`: how far reads trail real time (a VictoriaMetrics' latency offset), else derived;
 * `namespace`: only traffic with an end there. Used by the experiment, record and the cluster target.
 */
export function prometheusApiSource(
  params: Pick<Parameters, 'telemetry' | 'intervalSeconds'>,
  url: string,
  options: { readonly scrapeIntervalSeconds?: number; readonly evaluationDelaySeconds?: number; readonly namespace?: string } = {},
): PrometheusSource {
  const t = params.telemetry;
  const p = t.prometheus;
  const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? p.scrapeIntervalSeconds;
  return createPrometheusSource({
    url,
    metrics: t.metrics,
    reporter: p.reporter,
    sourceLabel: p.sourceLabel,
    destinationLabel: p.destinationLabel,
    aliases: t.aliases,
    ...(p.bearerTokenEnv ? { bearerTokenEnv: p.bearerTokenEnv } : {}),
    ...(p.basicAuthUser ? { basicAuthUser: p.basicAuthUser } : {}),
    ...(p.basicAuthPasswordEnv ? { basicAuthPasswordEnv: p.basicAuthPasswordEnv } : {}),
    headers: p.headers,
    headersFromEnv: p.headersFromEnv,
    scrapeIntervalSeconds,
    ...(options.evaluationDelaySeconds !== undefined ? { evaluationDelaySeconds: options.evaluationDelaySeconds } : {}),
    timeoutMillis: p.timeoutMillis,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    // Not munnin's store: nothing else tells it which targets failed their scrape, or that it
    // answers from before an outage of its own (the importer's freshness rule).
    downTargets: true,
    maxSampleAgeSeconds: defaultMaxSampleAgeSeconds(params.intervalSeconds, scrapeIntervalSeconds),
  });
}

/**
 * One read of `source` before anything is created (record, the experiment): a fault is one
 * UserError naming the URL and the cause (`what` says which setting gave the URL, if any), not
 * the start of an outage to warn about and record as gaps. Probe, not read, so that no warning
 * precedes the error. Returns the samples read (they may be none: the target may not be up yet).
 */
export async function probePrometheusOnce(source: PrometheusSource, what = ''): Promise<readonly CounterSample[]> {
  const first = await source.probe(Date.now() / 1000);
  if (first.kind === 'fault') throw new UserError(`${what === '' ? '' : `${what}: `}cannot read ${String(source.describe()['url'])}: ${first.reason}`);
  return first.samples;
}
