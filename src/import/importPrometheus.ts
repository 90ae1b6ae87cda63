import { from } from 'rxjs';
import { differentiate } from '../matrix/index.ts';
import { assertNoRun } from '../store/index.ts';
import { defaultMaxSampleAgeSeconds, prometheusBaseUrl, parsePrometheusUrl, type IstioMappingOptions, type PrometheusAuthOptions } from '../telemetry/index.ts';
import type { Snapshot } from '../types.ts';
import { historyGrid } from './historyGrid.ts';
import { readPrometheusHistory } from './readPrometheusHistory.ts';
import { visibleEnd } from './visibleEnd.ts';
import { writeImportedRun, type ImportResult } from './writeImportedRun.ts';
import type { ImportDestination } from './ImportDestination.ts';

export interface PrometheusImportOptions extends IstioMappingOptions, PrometheusAuthOptions, ImportDestination {
  /** Prometheus-API base URL (Prometheus, Thanos, Mimir, VictoriaMetrics). */
  readonly url: string;
  /** First evaluation time, Unix seconds (it only seeds the counters). */
  readonly startSeconds: number;
  /** Last evaluation time at most, Unix seconds. */
  readonly endSeconds: number;
  /** Evaluation step = the run's intervalSeconds. */
  readonly stepSeconds: number;
  /** Only traffic with an end in this namespace. */
  readonly namespace?: string | undefined;
  /** Points per series per range query (≤ 11,000, the API's limit). Default 2,000: memory holds one chunk. */
  readonly pointsPerQuery?: number | undefined;
  /** How often the store scrapes the sidecars, seconds (telemetry.prometheus.scrapeIntervalSeconds). Default 1. */
  readonly scrapeIntervalSeconds?: number | undefined;
  /** A step whose newest stored sample is older is a gap. Default 2 × max(step, scrapeIntervalSeconds), as live. */
  readonly maxSampleAgeSeconds?: number | undefined;
  /** Time-out of one query. Default 30000 ms. */
  readonly timeoutMillis?: number | undefined;
  /** Points of the grid done, of the total, after each chunk. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  readonly onSnapshot?: ((s: Snapshot) => void) | undefined;
  /** The current time, Unix seconds (tests). Default: the clock's. */
  readonly nowSeconds?: number | undefined;
  /** Wait between retries (tests). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

export const DEFAULT_POINTS_PER_QUERY = 2000;

/**
 * `npm run import -- prometheus`: the store's past between two times as a run, read with the
 * live source's queries, differenced by the live pipeline's own differentiate (per-series
 * deltas, a fall is a reset, the first read after a fault is a gap), streamed to disk.
 * Nothing is created until the first chunk has been read: a store that cannot answer it is
 * a UserError naming the URL and the cause.
 */
export async function importPrometheus(options: PrometheusImportOptions): Promise<ImportResult> {
  const metrics = options.metrics ?? ['requests', 'request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes', 'tcp_connections'];
  // Checked as given first: a mistake in the flags is said before the store is asked anything.
  historyGrid(options.startSeconds, options.endSeconds, options.stepSeconds, options.pointsPerQuery ?? DEFAULT_POINTS_PER_QUERY);
  const url = prometheusBaseUrl(parsePrometheusUrl(options.url));
  assertNoRun(options.dir);
  const endSeconds = await visibleEnd(url, options.endSeconds, options.startSeconds, options, options.nowSeconds ?? Date.now() / 1000);
  const grid = historyGrid(options.startSeconds, endSeconds, options.stepSeconds, options.pointsPerQuery ?? DEFAULT_POINTS_PER_QUERY);
  // The live rule's default: a fixed floor (it was 30 s) let any shorter store outage import
  // as zero traffic, then its whole traffic in one step.
  const maxSampleAgeSeconds = options.maxSampleAgeSeconds ?? defaultMaxSampleAgeSeconds(options.stepSeconds, options.scrapeIntervalSeconds ?? 1);
  const history = readPrometheusHistory({
    ...options,
    metrics,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    grid,
    maxSampleAgeSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    onChunk: (done) => options.onProgress?.(done, grid.points),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  // The first chunk is read before the run is created, as record reads once first: an
  // unreachable or wrong URL is then one error line, and no empty run is left behind.
  const first = await history.next();
  const reads = (async function* () {
    if (first.done) return;
    yield first.value;
    yield* history;
  })();
  return writeImportedRun(from(reads).pipe(differentiate({ metrics })), {
    dir: options.dir,
    name: options.name,
    intervalSeconds: options.stepSeconds,
    metrics,
    source: {
      kind: 'prometheus-import',
      url,
      reporter: options.reporter ?? 'source',
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      start: new Date(options.startSeconds * 1000).toISOString(),
      end: new Date(endSeconds * 1000).toISOString(),
      stepSeconds: options.stepSeconds,
      maxSampleAgeSeconds,
      pointsPerQuery: grid.chunks[0] ? grid.chunks[0].to - grid.chunks[0].from + 1 : 0,
    },
    events: options.events,
    signal: options.signal,
    onSnapshot: options.onSnapshot,
  });
}
