import type { IstioQuery } from './istioQueries.ts';

/**
 * The freshness rule shared by the live Prometheus source and the importer. A store that is
 * not scraping still answers: Prometheus looks back up to 5 minutes for each series, so a
 * query at a time it has no new sample for (it was down, or restarted and answers from its
 * pre-crash TSDB) returns the last counters before the outage. Counted as they are, those
 * read as zero traffic, and the first fresh read as the whole outage's traffic in one
 * interval. So each read also asks each metric's newest sample time, and a read whose newest
 * sample (over every queried metric) is older than the allowed age is a fault: a gap.
 */

/**
 * The newest sample time over every queried metric's series, at the evaluation time, in one
 * query (one per read is enough: a read already asks one per metric). Each metric's maximum
 * gets a label of its own, so that `or` keeps them all (it drops a right-hand series whose
 * labels the left-hand side has).
 */
export function newestSampleExpr(queries: readonly IstioQuery[]): string {
  const perMetric = queries.map((q, i) => `label_replace(max(timestamp(${q.selector})), "munnin_metric", "${i}", "", "")`);
  return `max(${perMetric.join(' or ')})`;
}

/**
 * The allowed sample age by default: two of the longer of the step (an interval) and the
 * store's scrape interval. Fresh samples are at most one scrape interval old; one older than
 * two has missed at least one scrape. Never less than two steps: a store read at steps longer
 * than its scrapes needs no finer rule, as the counters still cover the whole step.
 */
export function defaultMaxSampleAgeSeconds(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return 2 * Math.max(stepSeconds, scrapeIntervalSeconds);
}

/** Why the samples of a read at `t` cannot be counted, given their newest time, or undefined. */
export function staleSamplesReason(t: number, newest: number, maxAgeSeconds: number): string | undefined {
  if (!Number.isFinite(newest)) return 'the store holds no sample of these metrics at this time';
  const age = t - newest;
  if (age <= maxAgeSeconds) return undefined;
  return `the store's newest sample is ${age.toFixed(1)} s old (more than ${maxAgeSeconds} s): it was not scraping`;
}
