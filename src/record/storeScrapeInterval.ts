import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { parsePrometheusUrl, prometheusAuth, prometheusBaseUrl, readScrapeInterval } from '../telemetry/index.ts';

/** What record learnt of the store's scrape interval: the seconds to read with (undefined: the parameters'), and what to say once the store has answered. */
export interface StoreScrapeInterval {
  readonly seconds: number | undefined;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * How often the user's store really scrapes, read from its own configuration as the Kubernetes
 * target reads it (readScrapeInterval, with the run's credentials), not the 1 s munnin would
 * otherwise assume: against a 5-s scrape, 2-s intervals read [0, 300, 0, 0, 300, ...], zero
 * traffic then a burst, an alarm storm. An interval shorter than it is refused; one that is not
 * a multiple of it is warned about (intervals would cover unequal numbers of scrapes). A store
 * that does not say (no status API, an error) is warned about and the parameters' interval
 * used; one that does not answer at all is left to the read that follows, whose error names it.
 */
export async function storeScrapeInterval(params: Pick<Parameters, 'telemetry' | 'intervalSeconds'>, url: string): Promise<StoreScrapeInterval> {
  const p = params.telemetry.prometheus;
  const shown = prometheusBaseUrl(parsePrometheusUrl(url));
  const reading = await readScrapeInterval(shown, { auth: prometheusAuth(p), timeoutMillis: p.timeoutMillis });
  if ('error' in reading) {
    if (reading.unreachable) return { seconds: undefined, notes: [], warnings: [] };
    return {
      seconds: undefined,
      notes: [],
      warnings: [
        `cannot read how often the Prometheus at ${shown} scrapes (${reading.error}); assuming telemetry.prometheus.scrapeIntervalSeconds (${p.scrapeIntervalSeconds} s): ` +
          'if it scrapes less often, intervals read zero traffic, then a burst',
      ],
    };
  }
  const seconds = reading.seconds;
  const from = reading.jobs.length > 0 ? `job ${reading.jobs.join(', ')}` : 'its global scrape_interval';
  const interval = params.intervalSeconds;
  if (interval < seconds) {
    throw new UserError(
      `intervalSeconds: ${interval} s is shorter than the ${seconds}-s scrape interval of the Prometheus at ${shown} (its configuration, ${from}): ` +
        `intervals between two scrapes would read no traffic, the next a burst; use --interval ${seconds} or a multiple of it`,
    );
  }
  const scrapes = interval / seconds;
  const uneven = Math.abs(scrapes - Math.round(scrapes)) > 1e-9;
  return {
    seconds,
    notes: [`telemetry: Prometheus scrapes every ${seconds} s (its configuration, ${from})`],
    warnings: uneven
      ? [`intervalSeconds: ${interval} s is not a multiple of the ${seconds}-s scrape interval: intervals cover ${Math.floor(scrapes)} or ${Math.ceil(scrapes)} scrapes in turn, so steady traffic reads uneven; use --interval ${Math.ceil(scrapes) * seconds}`]
      : [],
  };
}
