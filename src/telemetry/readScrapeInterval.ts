import { parse } from 'yaml';
import { parseDurationSeconds } from './parseDurationSeconds.ts';
import { authHeaders, type PrometheusAuth } from './prometheusAuth.ts';

/** Prometheus's own default when a configuration sets no scrape_interval. */
const PROMETHEUS_DEFAULT_SECONDS = 60;

interface ScrapeJob {
  readonly job_name?: string;
  readonly scrape_interval?: string;
  readonly metrics_path?: string;
  readonly kubernetes_sd_configs?: readonly { readonly role?: string }[];
}

/** `unreachable`: no HTTP answer at all (refused, unknown host, time-out): not a Prometheus that would answer the run's queries. */
export type ScrapeIntervalReading = { readonly seconds: number; readonly jobs: readonly string[] } | { readonly error: string; readonly unreachable?: true };

/**
 * How often a Prometheus scrapes the sidecars, from the configuration it runs with
 * (`/api/v1/status/config`), not from what munnin assumes: the slowest of the jobs that can
 * scrape them (metrics_path /stats/prometheus, or pod discovery as Istio's add-on's
 * `kubernetes-pods`; `*-slow` jobs are for pods annotated so), else the global interval.
 * Read by the Kubernetes target and by record, with the run's credentials (`auth`) if any.
 */
export async function readScrapeInterval(prometheusUrl: string, options: { readonly timeoutMillis?: number; readonly auth?: PrometheusAuth } = {}): Promise<ScrapeIntervalReading> {
  const { auth, timeoutMillis = 5000 } = options;
  const headers = auth ? authHeaders(auth) : {};
  let res: Response;
  try {
    res = await fetch(`${prometheusUrl.replace(/\/$/, '')}/api/v1/status/config`, { headers, signal: AbortSignal.timeout(timeoutMillis) });
  } catch (e) {
    const error = networkCause(e);
    return { error: auth ? auth.redact(error) : error, unreachable: true };
  }
  if (!res.ok) return { error: `/api/v1/status/config answered ${res.status}` };
  let yaml: unknown;
  try {
    yaml = ((await res.json()) as { data?: { yaml?: unknown } } | null)?.data?.yaml;
  } catch {
    // A body cut off by a time-out lands here too: the store answered, so it is not unreachable.
    return { error: '/api/v1/status/config answered with no JSON' };
  }
  if (typeof yaml !== 'string') return { error: '/api/v1/status/config gave no configuration' };
  let config: { global?: { scrape_interval?: string }; scrape_configs?: ScrapeJob[] } | null;
  try {
    config = parse(yaml) as typeof config;
  } catch (e) {
    return { error: `its configuration is not YAML: ${e instanceof Error ? e.message : String(e)}` };
  }
  return scrapeIntervalOf(config ?? {});
}

/** The interval of the configuration, as readScrapeInterval explains. */
export function scrapeIntervalOf(config: { global?: { scrape_interval?: string }; scrape_configs?: readonly ScrapeJob[] }): ScrapeIntervalReading {
  const globalSeconds = config.global?.scrape_interval === undefined ? PROMETHEUS_DEFAULT_SECONDS : parseDurationSeconds(config.global.scrape_interval);
  if (Number.isNaN(globalSeconds)) return { error: `global.scrape_interval ${JSON.stringify(config.global?.scrape_interval)} is not a duration` };
  const jobs = (config.scrape_configs ?? []).filter(
    (j) => j.metrics_path === '/stats/prometheus' || ((j.kubernetes_sd_configs ?? []).some((c) => c.role === 'pod') && !/slow/.test(j.job_name ?? '')),
  );
  if (jobs.length === 0) return { seconds: globalSeconds, jobs: [] };
  const seconds = jobs.map((j) => (j.scrape_interval === undefined ? globalSeconds : parseDurationSeconds(j.scrape_interval)));
  if (seconds.some(Number.isNaN)) return { error: `a scrape_interval of job ${jobs.map((j) => j.job_name).join(', ')} is not a duration` };
  return { seconds: Math.max(...seconds), jobs: jobs.map((j) => j.job_name ?? '?') };
}

/** fetch says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, a time-out) is what the user can act on. */
function networkCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'no answer within the time-out';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail ? `${e.message}: ${detail}` : e.message;
}
