import type { Parameters } from '../config/index.ts';
import { probePrometheusOnce, prometheusApiSource } from '../telemetry/index.ts';

/**
 * An experiment told to read a Prometheus of the user's reads it once before starting anything,
 * as `record` does: an unreachable or wrong URL (or refused credentials) is then one error line
 * naming the URL and the cause, not a run of gaps recorded while the target and the attacks ran.
 * Its answer may hold no Istio series yet (the target is not up): only that it answers is checked.
 */
export async function checkPrometheusUrl(params: Parameters, note: (message: string) => void): Promise<void> {
  const url = params.telemetry.prometheus.url;
  if (url === undefined || params.telemetry.source === 'scrape') return;
  const source = prometheusApiSource(params, url);
  try {
    await probePrometheusOnce(source, 'telemetry.prometheus.url');
  } finally {
    await source.close();
  }
  note(`telemetry: Prometheus API at ${String(source.describe()['url'])} answers`);
}
