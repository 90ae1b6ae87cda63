import type { Parameters } from './schema.ts';

/** Starts closer than this to a boundary are on it (the schedule is in seconds, floats). */
const ON_BOUNDARY_SECONDS = 1e-3;

/**
 * Attacks of the schedule that start on an interval boundary or in the last scrape period
 * before one, each as a warning naming the attack, its start and a start mid-interval.
 *
 * Why: the run format marks an interval (t − dt, t] as an attack interval when t > start, but
 * the telemetry of an interval is what the sidecars reported by t, and Prometheus reads each
 * sidecar once a scrape period at its own phase. Traffic starting less than a scrape period
 * before t may reach the telemetry only in the next interval, so the interval ending at t is
 * scored as an attack that its telemetry holds none of (every detector then misses it). Seen
 * on the default schedule (attacks at 90 and 120 s on 2-s intervals: a 30-ms egress logged at
 * 120.000 s against an interval ending at 120.001 s), which now starts mid-interval.
 */
export function attacksNearIntervalEnds(params: Parameters): string[] {
  const interval = params.intervalSeconds;
  const lag = params.telemetry.prometheus.scrapeIntervalSeconds;
  // With intervals no longer than a scrape period there is no safe place to start: nothing to suggest.
  if (!(interval > lag)) return [];
  const warnings: string[] = [];
  const check = (what: string, at: number) => {
    const phase = at - Math.floor(at / interval + ON_BOUNDARY_SECONDS / interval) * interval;
    const onBoundary = Math.abs(phase) < ON_BOUNDARY_SECONDS;
    if (!onBoundary && !(phase > interval - lag)) return;
    // The middle of the interval the traffic would otherwise fall in (the next one, from a boundary).
    const middle = onBoundary ? Math.round(at / interval) * interval + interval / 2 : at - phase + interval / 2;
    warnings.push(
      `${what} starts at ${at} s, ${onBoundary ? 'on an interval boundary' : `${round(interval - phase)} s before an interval ends`}: ` +
        `the interval ending ${onBoundary ? 'there' : 'then'} is scored as an attack interval, but its telemetry (sidecars scraped every ${lag} s) may hold none of the attack's traffic; start it mid-interval, e.g. atSeconds: ${round(middle)}`,
    );
  };
  params.exfiltration.forEach((e, i) => check(`exfiltration[${i}] (${e.method})`, e.atSeconds));
  params.scan.forEach((s, i) => check(`scan[${i}]`, s.atSeconds));
  params.lateral.forEach((l, i) => check(`lateral[${i}]`, l.atSeconds));
  return warnings;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
