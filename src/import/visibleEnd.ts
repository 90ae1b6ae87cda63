import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import { prometheusAuth, victoriaMetricsLatency, type PrometheusAuthOptions } from '../telemetry/index.ts';

/**
 * The end of an import, clipped to what the store already shows. A VictoriaMetrics hides the
 * newest -search.latencyOffset (30 s by default) from queries: a range reaching into it would
 * repeat the last visible values there, read as zero traffic, with no gap. So `--end` is moved
 * back to `now − offset − 2 s` (its samples become queryable about a second after the scrape),
 * with a warning saying how to start it; a range entirely within is an error.
 */
export async function visibleEnd(url: string, endSeconds: number, startSeconds: number, auth: PrometheusAuthOptions, nowSeconds: number): Promise<number> {
  const vm = await victoriaMetricsLatency(url, { auth: prometheusAuth(auth) });
  if (!vm || vm.latencyOffsetSeconds === 0) return endSeconds;
  const offset = vm.latencyOffsetSeconds;
  const visible = Math.floor(nowSeconds - offset - 2);
  if (endSeconds <= visible) return endSeconds;
  const why = `the VictoriaMetrics at ${url} hides the newest ${offset} s from queries (-search.latencyOffset=${offset}s${vm.from === 'default' ? ', its default' : ''})`;
  const advice = 'start it with -search.latencyOffset=0s to read up to now';
  if (visible <= startSeconds) throw new UserError(`${why}: it shows nothing after ${new Date(visible * 1000).toISOString()} yet, before --start; ${advice}`);
  log.warn(`${why}: --end moved back to ${new Date(visible * 1000).toISOString()} (what it shows); ${advice}`);
  return visible;
}
