import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { createPrometheusSource, type PrometheusSource } from '../telemetry/index.ts';

/**
 * A Prometheus-API source at `url` (the user's telemetry.prometheus.url, or a forward to a
 * cluster's Prometheus), built with the run's mapping, credentials and time-out. `scrapeIntervalSeconds`: how often it scrapes
 * (a cluster's, read from its configuration), else telemetry.prometheus.scrapeIntervalSeconds.
 */
export function prometheusApiSource(params: Parameters, url: string, scrapeIntervalSeconds?: number): PrometheusSource {
  const t = params.telemetry;
  const p = t.prometheus;
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
    scrapeIntervalSeconds: scrapeIntervalSeconds ?? p.scrapeIntervalSeconds,
    timeoutMillis: p.timeoutMillis,
  });
}

/**
 * An experiment told to read a Prometheus of the user's reads it once before starting anything,
 * as `record` does: an unreachable or wrong URL (or refused credentials) is then one error line
 * naming the URL and the cause, not a run of gaps recorded while the target and the attacks ran.
 * Its answer may hold no Istio series yet (the target is not up): only that it answers is checked.
 */
export async function checkPrometheusUrl(params: Parameters, note: (message: string) => void): Promise<void> {
  const url = params.telemetry.prometheus.url;
  if (url === undefined || params.telemetry.source === 'scrape') return;
  const source = prometheusApiSource(params, url);
  try {
    // probe, not read: a failure here is the error below, not the start of an outage to warn about.
    const first = await source.probe(Date.now() / 1000);
    if (first.kind === 'fault') throw new UserError(`telemetry.prometheus.url: cannot read ${String(source.describe()['url'])}: ${first.reason}`);
  } finally {
    await source.close();
  }
  note(`telemetry: Prometheus API at ${String(source.describe()['url'])} answers`);
}
