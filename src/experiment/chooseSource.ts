import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { createPrometheusSource, createScrapeSource, findBinary, prometheusApiSource, startManagedPrometheus } from '../telemetry/index.ts';
import type { Target, TelemetrySource } from '../types.ts';

/**
 * `--source auto`: prometheus.url when set (or the cluster's Prometheus), else a managed
 * local Prometheus when its binary is found, else a direct scrape of the sidecars.
 */
export async function chooseSource(
  params: Parameters,
  target: Target & { prometheusUrl?: string; prometheusScrapeIntervalSeconds?: number | undefined },
  note: (message: string) => void,
  signal?: AbortSignal,
): Promise<TelemetrySource> {
  const t = params.telemetry;
  const p = t.prometheus;
  const mapping = { metrics: t.metrics, reporter: p.reporter, sourceLabel: p.sourceLabel, destinationLabel: p.destinationLabel, aliases: t.aliases };
  const url = p.url ?? target.prometheusUrl;
  const binary = findBinary(p.binary ?? 'prometheus');
  // A managed Prometheus scrapes every scrapeIntervalSeconds: shorter intervals are read directly.
  const managedFits = params.intervalSeconds >= p.scrapeIntervalSeconds;
  const kind = t.source === 'auto' ? (url || (binary && managedFits && target.scrapeTargets.length > 0) ? 'prometheus' : 'scrape') : t.source;
  if (t.source === 'auto' && !url && binary && !managedFits && target.scrapeTargets.length > 0) {
    note(`telemetry: intervals of ${params.intervalSeconds} s are shorter than Prometheus's ${p.scrapeIntervalSeconds} s scrapes, so the sidecars are read directly`);
  }

  if (kind === 'scrape') {
    if (target.scrapeTargets.length === 0) throw new UserError(`telemetry.source: "scrape" needs sidecar endpoints, and the ${target.kind} target exposes none (use prometheus)`);
    note(`telemetry: direct scrape of ${target.scrapeTargets.length} sidecars`);
    return createScrapeSource({ ...mapping, targets: target.scrapeTargets, scrapeTimeoutMillis: t.scrapeTimeoutMillis });
  }
  if (url) {
    note(`telemetry: Prometheus API at ${url}`);
    // On a cluster: the interval read from the Prometheus's own configuration (Istio's add-on: 15 s).
    return prometheusApiSource(params, url, { ...(target.prometheusScrapeIntervalSeconds !== undefined ? { scrapeIntervalSeconds: target.prometheusScrapeIntervalSeconds } : {}) });
  }
  if (!binary) {
    throw new UserError(
      `telemetry.source: "prometheus" without telemetry.prometheus.url needs a prometheus binary${p.binary ? ` (got ${JSON.stringify(p.binary)}, not found)` : ' on PATH (apt-get install -y prometheus)'}`,
    );
  }
  note(`telemetry: starting a local Prometheus (${binary}) scraping ${target.scrapeTargets.length} sidecars every ${p.scrapeIntervalSeconds} s...`);
  const managed = await startManagedPrometheus({ binary, targets: target.scrapeTargets, scrapeIntervalSeconds: p.scrapeIntervalSeconds, maxRestarts: p.maxRestarts, signal });
  note(`telemetry: Prometheus at ${managed.url}, all targets up`);
  return createPrometheusSource({ ...mapping, managed, timeoutMillis: p.timeoutMillis });
}
