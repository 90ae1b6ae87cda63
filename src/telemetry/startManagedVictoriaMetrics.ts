import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { runManagedServer } from './runManagedServer.ts';
import { checkCommon, requireBinary, type ManagedPrometheusOptions } from './startManagedPrometheus.ts';

/**
 * A local single-node VictoriaMetrics scraping every sidecar (-promscrape.config), with
 * temporary storage; same contract as startManagedPrometheus. `binary` defaults to
 * `victoria-metrics` (Debian) or `victoria-metrics-prod` (upstream) on PATH; retentionTime
 * is passed as -retentionPeriod (VictoriaMetrics keeps at least 1d).
 */
export function startManagedVictoriaMetrics(options: ManagedPrometheusOptions): Promise<ManagedPrometheus> {
  const binary = requireBinary(options.binary, ['victoria-metrics', 'victoria-metrics-prod'], 'victoria-metrics', 'the VictoriaMetrics binary');
  const { intervalSeconds, restart } = checkCommon(options);
  return runManagedServer({
    kind: 'victoria-metrics',
    binary,
    args: (port, configFile, dataDir) => [
      `-promscrape.config=${configFile}`,
      `-storageDataPath=${dataDir}`,
      `-retentionPeriod=${options.retentionTime ?? '1d'}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      // Without it instant queries hide the newest 30 s.
      '-search.latencyOffset=0s',
      '-loggerLevel=WARN',
    ],
    targets: options.targets,
    scrapeIntervalSeconds: intervalSeconds,
    scrapeTimeoutSeconds: intervalSeconds,
    // Scraped samples become queryable about a second after the scrape (measured), unlike Prometheus.
    evaluationDelaySeconds: intervalSeconds + 2,
    ...(options.port !== undefined ? { port: options.port } : {}),
    startTimeoutMillis: options.startTimeoutMillis ?? 30_000,
    stopTimeoutMillis: options.stopTimeoutMillis ?? 5000,
    restart,
    signal: options.signal,
  });
}
