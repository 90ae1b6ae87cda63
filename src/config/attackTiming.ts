import type { Parameters } from './schema.ts';
import { roundMillis } from '../roundMillis.ts';

/** Closer than this to an interval boundary, which side of it an attack starts on is down to timing jitter. */
const NEAR_BOUNDARY_SECONDS = 0.05;

/** Where a start is advised: this long after an interval boundary, clear of the jitter. */
const AFTER_BOUNDARY_SECONDS = 0.1;

/**
 * Attacks of the schedule whose traffic will mostly not be in the interval the run format
 * scores them in, each as a warning naming the attack, its start and a better one.
 *
 * Why: the run format marks an interval (t − dt, t] as an attack interval when t > start (and
 * the one after it as grace). The telemetry of an interval, though, is the sidecars' counters
 * as Prometheus last scraped them by t, and a sidecar's byte counters move only at its stats
 * flush: traffic reaches the telemetry up to statsFlushSeconds + scrapeIntervalSeconds (2 s by
 * default) after it was sent. Measured on the embedded mesh (6 Dec): an `api` exfiltration
 * started mid-interval (91 s of 2-s intervals) showed in no detector until the next interval,
 * so every detector scored it a miss there and caught it only in the grace interval; one
 * starting 1 ms before a boundary (120 s, the old default) made the interval before it an
 * attack interval that held none of its traffic. An attack that starts just after a boundary
 * has the whole interval for its traffic to show. Two cases are warned about: a start within
 * NEAR_BOUNDARY_SECONDS of a boundary, and one in the second half of an interval.
 */
export function attacksNearIntervalEnds(params: Parameters): string[] {
  const interval = params.intervalSeconds;
  const lag = params.mesh.statsFlushSeconds + params.telemetry.prometheus.scrapeIntervalSeconds;
  const warnings: string[] = [];
  const check = (what: string, at: number) => {
    const boundary = Math.round(at / interval) * interval;
    const onBoundary = Math.abs(at - boundary) < NEAR_BOUNDARY_SECONDS;
    const phase = at - Math.floor(at / interval) * interval;
    if (!onBoundary && phase < interval / 2) return;
    const better = roundMillis((onBoundary ? boundary : at - phase + interval) + AFTER_BOUNDARY_SECONDS);
    const why = onBoundary
      ? 'on an interval boundary: whether the interval before it is scored as an attack interval, though it holds none of the traffic, is down to milliseconds of timing'
      : `${roundMillis(phase)} s into a ${interval}-s interval: its traffic reaches the telemetry up to ${roundMillis(lag)} s later (stats flush + scrape), mostly in the next interval, which is scored as grace (caught, but the attack interval a miss)`;
    warnings.push(`${what} starts at ${at} s, ${why}; start it just after a boundary, e.g. atSeconds: ${better}`);
  };
  params.exfiltration.forEach((e, i) => check(`exfiltration[${i}] (${e.method})`, e.atSeconds));
  params.scan.forEach((s, i) => check(`scan[${i}]`, s.atSeconds));
  params.lateral.forEach((l, i) => check(`lateral[${i}]`, l.atSeconds));
  return warnings;
}

/**
 * Attacks of the schedule that start inside the detectors' training stretch, each as a warning
 * naming the attack, its start and one after training. Why: the detectors learn that traffic
 * as normal (new-edge takes a scan's or lateral movement's edges into its known graph, so a
 * later attack on them goes unseen) and its intervals are not scored; replay warns the same
 * way about an --inject window there.
 */
export function attacksInTraining(params: Parameters): string[] {
  const training = params.detectors.trainingSeconds;
  const interval = params.intervalSeconds;
  // Just after the first boundary at or past the end of training (as attacksNearIntervalEnds advises).
  const after = roundMillis(Math.ceil(training / interval - 1e-9) * interval + AFTER_BOUNDARY_SECONDS);
  const warnings: string[] = [];
  const check = (what: string, at: number) => {
    if (at >= training) return;
    warnings.push(
      `${what} starts at ${at} s, inside the training stretch (detectors.trainingSeconds: ${training}): the detectors train on its traffic as normal (new-edge learns its edges, so a later attack on them goes unseen) and its intervals are not scored; start it after training, e.g. atSeconds: ${after}`,
    );
  };
  params.exfiltration.forEach((e, i) => check(`exfiltration[${i}] (${e.method})`, e.atSeconds));
  params.scan.forEach((s, i) => check(`scan[${i}]`, s.atSeconds));
  params.lateral.forEach((l, i) => check(`lateral[${i}]`, l.atSeconds));
  return warnings;
}
