import type { Parameters } from '../config/index.ts';
import { parsePrometheusUrl, prometheusAuth, prometheusBaseUrl, victoriaMetricsLatency } from '../telemetry/index.ts';

/** How far a recording from a VictoriaMetrics must trail real time (undefined: not one), and what to say once it has answered. */
export interface VictoriaMetricsDelay {
  readonly evaluationDelaySeconds: number | undefined;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * A user's VictoriaMetrics answers a query less than -search.latencyOffset ago (30 s by
 * default) with older values under the time asked: a live read 1.25 s behind real time would
 * be 30 s late, ground truth mis-timed by as much, and a server just started would read 30 s of
 * silence, then everything at once. So reads trail real time by the scrape interval, the
 * offset and 2 s (its samples become queryable about a second after the scrape, as for the
 * managed one): each read is then as of its own time. An offset above 0 is warned about, with
 * how to start the server so that the recording is live.
 */
export async function victoriaMetricsDelay(params: Pick<Parameters, 'telemetry'>, url: string, scrapeIntervalSeconds: number): Promise<VictoriaMetricsDelay> {
  const p = params.telemetry.prometheus;
  const shown = prometheusBaseUrl(parsePrometheusUrl(url));
  const vm = await victoriaMetricsLatency(shown, { auth: prometheusAuth(p), timeoutMillis: p.timeoutMillis });
  if (!vm) return { evaluationDelaySeconds: undefined, notes: [], warnings: [] };
  const offset = vm.latencyOffsetSeconds;
  const delay = scrapeIntervalSeconds + offset + 2;
  if (offset === 0) return { evaluationDelaySeconds: delay, notes: [`telemetry: VictoriaMetrics (-search.latencyOffset=0s): reads trail real time by ${delay} s`], warnings: [] };
  return {
    evaluationDelaySeconds: delay,
    notes: [],
    warnings: [
      `the VictoriaMetrics at ${shown} hides the newest ${offset} s from queries (-search.latencyOffset=${offset}s${vm.from === 'default' ? ', its default: its /metrics could not be read' : ''}): ` +
        `reads trail real time by ${delay} s so that their times stay right (the run covers the ${delay} s before the command ends, not its last ${delay} s); start it with -search.latencyOffset=0s to record live`,
    ],
  };
}
