import { authHeaders, type PrometheusAuth } from './prometheusAuth.ts';
import { parseDurationSeconds } from './parseDurationSeconds.ts';

/** VictoriaMetrics' own default -search.latencyOffset. */
const VICTORIA_METRICS_DEFAULT_OFFSET_SECONDS = 30;

/** A VictoriaMetrics found at the URL: how much of the recent past its queries hide, and whether that was read (`flag`) or assumed (its default). */
export interface VictoriaMetricsLatency {
  readonly latencyOffsetSeconds: number;
  readonly from: 'flag' | 'default';
}

/**
 * Whether the store is a VictoriaMetrics, and its -search.latencyOffset: such a store answers
 * a query at a time less than that offset ago (30 s by default) with the values of `now −
 * offset`, labelled with the time asked, so a live read is 30 s late and the end of a range
 * repeats its last value (silence, then a burst). Only the managed server is started with 0 s.
 * Known by its /api/v1/status/buildinfo: Prometheus, Thanos and Mimir give a `revision`, VictoriaMetrics
 * gives none (and sends X-Server-Hostname). The offset is read from the `flag` series of its
 * /metrics, at the URL's origin; when that is not served, VictoriaMetrics' default is assumed.
 * (Newer versions take a per-query `latency_offset`, older ones ignore it silently, so it
 * cannot be relied on.) Undefined: not a VictoriaMetrics, or no answer (the reads that follow say why).
 */
export async function victoriaMetricsLatency(baseUrl: string, options: { readonly auth?: PrometheusAuth; readonly timeoutMillis?: number } = {}): Promise<VictoriaMetricsLatency | undefined> {
  const init = { headers: options.auth ? authHeaders(options.auth) : {}, signal: AbortSignal.timeout(options.timeoutMillis ?? 5000) };
  let isVictoriaMetrics: boolean;
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v1/status/buildinfo`, init);
    if (!res.ok) return undefined;
    const body = (await res.json()) as { status?: unknown; data?: Record<string, unknown> } | null;
    isVictoriaMetrics = res.headers.has('x-server-hostname') || (body?.status === 'success' && typeof body.data === 'object' && body.data !== null && !('revision' in body.data));
  } catch {
    return undefined;
  }
  if (!isVictoriaMetrics) return undefined;
  try {
    const res = await fetch(`${new URL(baseUrl).origin}/metrics`, init);
    const flag = res.ok ? /^flag\{name="search\.latencyOffset", value="([^"]*)"/m.exec(await res.text()) : null;
    const seconds = parseDurationSeconds(flag?.[1]);
    if (Number.isFinite(seconds)) return { latencyOffsetSeconds: seconds, from: 'flag' };
  } catch {
    // Not served here (a path-prefixed or proxied store): its default is the likely value.
  }
  return { latencyOffsetSeconds: VICTORIA_METRICS_DEFAULT_OFFSET_SECONDS, from: 'default' };
}
