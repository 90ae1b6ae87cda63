import { UserError } from '../errors.ts';
import type { ScrapeTarget } from '../types.ts';
import { findBinary } from './findBinary.ts';
import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { restartLimits, type RestartLimits } from './RestartPolicy.ts';
import { runManagedServer } from './runManagedServer.ts';
import { checkTargetUrl } from './scrapeConfig.ts';

export interface ManagedPrometheusOptions {
  /** Sidecar metrics endpoints to scrape (at least one). */
  readonly targets: readonly ScrapeTarget[];
  /** Seconds between two scrapes of each sidecar. Default 1. */
  readonly scrapeIntervalSeconds?: number;
  /** Executable to run. Default: `prometheus` on PATH. */
  readonly binary?: string;
  /** Port on 127.0.0.1. Default: a free ephemeral port. */
  readonly port?: number;
  /** How long the temporary TSDB keeps samples (a Prometheus duration). Default `1d`. */
  readonly retentionTime?: string;
  /** Longest wait until every sidecar has been scraped and is queryable, ms. Default 30000. */
  readonly startTimeoutMillis?: number;
  /** Wait after SIGTERM before SIGKILL when stopping, ms. Default 5000. */
  readonly stopTimeoutMillis?: number;
  /** Restarts of a server that died allowed within restartWindowMillis; 0 never restarts. Default 5. */
  readonly maxRestarts?: number;
  /** Window the restarts are counted in, ms. Default 300000 (5 minutes). */
  readonly restartWindowMillis?: number;
  /** Wait before restarting a server that died, ms, doubled per restart already in the window (capped at 30 s). Default 1000. */
  readonly restartBackoffMillis?: number;
  /** Aborted (Ctrl-C): the start-up rejects with the abort at once, after stopping the server. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A local Prometheus scraping every sidecar, with a temporary TSDB. Resolves once
 * /api/v1/targets reports every sidecar up and their scrapes are queryable at
 * now − evaluationDelaySeconds (the first reads see every sidecar). Restarted on the same
 * port and TSDB when it dies unexpectedly (see ManagedPrometheus). Stopped by stop() and
 * killed if this process exits first.
 */
export function startManagedPrometheus(options: ManagedPrometheusOptions): Promise<ManagedPrometheus> {
  const binary = requireBinary(options.binary, ['prometheus'], 'prometheus', 'telemetry.prometheus.binary');
  const { intervalSeconds, restart } = checkCommon(options);
  const retention = options.retentionTime ?? '1d';
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(retention)) throw new UserError(`retentionTime must be a Prometheus duration such as 1d, not ${JSON.stringify(retention)}`);
  return runManagedServer({
    kind: 'prometheus',
    binary,
    args: (port, configFile, dataDir) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    targets: options.targets,
    scrapeIntervalSeconds: intervalSeconds,
    scrapeTimeoutSeconds: intervalSeconds,
    // A scrape lasts at most its time-out (= the interval); Prometheus makes it queryable at once.
    evaluationDelaySeconds: intervalSeconds + 0.25,
    ...(options.port !== undefined ? { port: options.port } : {}),
    startTimeoutMillis: options.startTimeoutMillis ?? 30_000,
    stopTimeoutMillis: options.stopTimeoutMillis ?? 5000,
    restart,
    signal: options.signal,
  });
}

/** Resolve the executable or explain how to get one. */
export function requireBinary(given: string | undefined, names: readonly string[], aptPackage: string, field: string): string {
  if (given !== undefined) {
    const found = findBinary(given);
    if (!found) throw new UserError(`${field}: ${JSON.stringify(given)} is not an executable file`);
    return found;
  }
  for (const name of names) {
    const found = findBinary(name);
    if (found) return found;
  }
  throw new UserError(`${names[0]} not found on PATH: install it (apt-get install -y ${aptPackage}) or set ${field}`);
}

/** Validates what both managed servers share; returns the scrape interval and the restart limits. */
export function checkCommon(options: ManagedPrometheusOptions): { readonly intervalSeconds: number; readonly restart: RestartLimits } {
  if (!Array.isArray(options.targets) || options.targets.length === 0) throw new UserError('managed Prometheus: no sidecar metrics endpoints to scrape (targets is empty)');
  const seen = new Set<string>();
  for (const [i, target] of options.targets.entries()) {
    checkTargetUrl(target, i);
    // Prometheus merges identical targets, so it would never report as many as were listed.
    if (seen.has(target.url)) throw new UserError(`scrape target ${i} (${target.workload}): ${target.url} is listed twice`);
    seen.add(target.url);
  }
  const seconds = options.scrapeIntervalSeconds ?? 1;
  if (typeof seconds !== 'number' || !(seconds >= 0.1) || !Number.isFinite(seconds)) {
    throw new UserError(`telemetry.prometheus.scrapeIntervalSeconds must be at least 0.1, not ${JSON.stringify(seconds)}`);
  }
  for (const [field, value] of [['port', options.port], ['startTimeoutMillis', options.startTimeoutMillis], ['stopTimeoutMillis', options.stopTimeoutMillis]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) throw new UserError(`${field} must be a positive whole number, not ${JSON.stringify(value)}`);
  }
  return { intervalSeconds: seconds, restart: restartLimits(options) };
}
