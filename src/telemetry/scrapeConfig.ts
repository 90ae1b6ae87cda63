import { stringify } from 'yaml';
import { UserError } from '../errors.ts';
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

/** Refuse a target that is not an http(s) URL; `i` is its position in the list, for the message. */
export function checkTargetUrl(target: ScrapeTarget, i: number): void {
  if (!URL.canParse(target.url) || !/^https?:$/.test(new URL(target.url).protocol)) {
    throw new UserError(`scrape target ${i} (${target.workload}): ${JSON.stringify(target.url)} is not an http(s) URL`);
  }
}

function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds * 1000))}ms`;
}
