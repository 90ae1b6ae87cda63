import { stringify } from 'yaml';
import type { ScrapeTarget } from '../types.ts';

/** Job name of the sidecars in a managed Prometheus (its `up` series carry job="munnin-sidecars"). */
export const SIDECAR_JOB = 'munnin-sidecars';

/**
 * Prometheus scrape configuration (also read by VictoriaMetrics' -promscrape.config) listing
 * every sidecar. Each target keeps its own path, scheme and query through the reserved
 * __metrics_path__, __scheme__ and __param_* labels, and gets a `workload` label.
 */
export function scrapeConfig(targets: readonly ScrapeTarget[], scrapeIntervalSeconds: number, scrapeTimeoutSeconds: number): string {
  const staticConfigs = targets.map((target) => {
    const url = new URL(target.url);
    const labels: Record<string, string> = {
      workload: target.workload,
      __metrics_path__: url.pathname,
      __scheme__: url.protocol.replace(':', ''),
    };
    for (const [name, value] of url.searchParams) labels[`__param_${name}`] = value;
    return { targets: [url.host], labels };
  });
  return stringify({
    global: { scrape_interval: duration(scrapeIntervalSeconds), scrape_timeout: duration(scrapeTimeoutSeconds) },
    scrape_configs: [{ job_name: SIDECAR_JOB, static_configs: staticConfigs }],
  });
}

function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds * 1000))}ms`;
}
