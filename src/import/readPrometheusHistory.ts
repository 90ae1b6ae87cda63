import { toError, UserError } from '../errors.ts';
import { log } from '../logger.ts';
import {
  createIstioMapper,
  createRangeQuery,
  describePrometheusFailure,
  downTargetsExpr,
  downTargetsReason,
  istioQueries,
  newestSampleExpr,
  parsePrometheusUrl,
  prometheusAuth,
  prometheusBaseUrl,
  staleSamplesReason,
  TelemetryDataError,
  type IstioMappingOptions,
  type IstioQueryOptions,
  type PrometheusAuthOptions,
  type RangeQuery,
} from '../telemetry/index.ts';
import type { CounterSample, TelemetryRead } from '../types.ts';
import { gridTime, type HistoryGrid } from './historyGrid.ts';

export interface HistoryOptions extends IstioMappingOptions, PrometheusAuthOptions, IstioQueryOptions {
  /** Prometheus-API base URL. */
  readonly url: string;
  readonly grid: HistoryGrid;
  /**
   * A step whose newest stored sample (over every queried metric) is older than this is a
   * gap: the store was not scraping then, and its query would answer with the last values
   * before the outage (Prometheus looks back 5 minutes). Seconds.
   */
  readonly maxSampleAgeSeconds: number;
  /** Time-out of one query, milliseconds. Default 30000. */
  readonly timeoutMillis?: number;
  /** Attempts per query before its chunk's steps become gaps (the first chunk's: an error). Default 3. */
  readonly attempts?: number;
  /** After each chunk: points done so far. */
  readonly onChunk?: (pointsDone: number) => void;
  /** Stops before the next chunk. */
  readonly signal?: AbortSignal;
  /** Wait between attempts (tests pass a quick one). Default: 1 s, then 2 s. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The store's past as the reads live recording would have made: one TelemetryRead per
 * evaluation time of the grid, built from range queries of the same expressions the live
 * Prometheus source asks (same mapper, same series identities), one query per metric and
 * chunk, plus the newest sample time for the live source's freshness rule (sampleFreshness.ts)
 * and the live
 * source's down-targets query (downTargets.ts: a step with one is a gap). Yields chunk by
 * chunk, so memory holds one chunk, whatever the range. A step the store has nothing fresh
 * for, or whose answer cannot be counters, is a fault (a gap once differenced), never zeros.
 * A later chunk whose queries keep failing is faults too; the first one throws a UserError
 * naming the URL and the cause (the caller reads it before creating anything).
 */
export async function* readPrometheusHistory(options: HistoryOptions): AsyncGenerator<TelemetryRead, void, undefined> {
  const endpoint = parsePrometheusUrl(options.url);
  const auth = prometheusAuth(options);
  const mapper = createIstioMapper(options);
  const queries = istioQueries(mapper, options);
  const newestExpr = newestSampleExpr(queries);
  const downExpr = downTargetsExpr(queries);
  const range: RangeQuery = createRangeQuery({ endpoint, auth, timeoutMillis: options.timeoutMillis ?? 30_000 });
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { grid } = options;
  const shown = prometheusBaseUrl(endpoint);

  const ask = async (expr: string, from: number, to: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await range(expr, gridTime(grid, from), gridTime(grid, to), grid.stepSeconds);
      } catch (e) {
        if (attempt >= attempts) throw new Error(auth.redact(describePrometheusFailure(e)));
        await sleep(1000 * 2 ** (attempt - 1));
      }
    }
  };

  let readYet = false;
  for (const chunk of grid.chunks) {
    options.signal?.throwIfAborted();
    const n = chunk.to - chunk.from + 1;
    const indexOf = (t: number) => Math.round((t - grid.startSeconds) / grid.stepSeconds) - chunk.from;
    let answers;
    try {
      answers = await Promise.all([
        ...queries.map((q) => ask(q.expr, chunk.from, chunk.to)),
        ask(newestExpr, chunk.from, chunk.to),
        ask(downExpr, chunk.from, chunk.to),
      ]);
    } catch (e) {
      const cause = toError(e).message;
      // The first chunk is the import's first read: a store that cannot answer it (down, a
      // wrong URL or path) is a mistake to report, not a run of gaps marked complete.
      if (chunk.from === 0) throw new UserError(`cannot read ${shown}: ${cause}`);
      const reason = `range query failed: ${cause}`;
      const from = new Date(gridTime(grid, chunk.from) * 1000).toISOString();
      // Before the first readable step there is nothing to difference against: differentiate
      // drops those faults, and the run starts later. Said as it is, not as gaps.
      const fate = readYet ? 'recorded as gaps' : 'left out (no readable step before them: the run starts after them)';
      log.warn(`prometheus import (${shown}): ${reason}; ${n} steps from ${from} ${fate}`);
      for (let i = 0; i < n; i++) yield { kind: 'fault', t: gridTime(grid, chunk.from + i), reason };
      options.onChunk?.(chunk.to + 1);
      continue;
    }
    const samples: CounterSample[][] = Array.from({ length: n }, () => []);
    const problems: (string | undefined)[] = new Array(n);
    const seen: Set<string>[] = Array.from({ length: n }, () => new Set());
    const newest = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    queries.forEach((q, j) => {
      for (const series of answers[j] ?? []) {
        for (const [t, value] of series.points) {
          const i = indexOf(t);
          if (i < 0 || i >= n || problems[i] !== undefined) continue;
          try {
            const sample = mapper.toSample(q.istioName, series.labels, value, 'prometheus');
            if (!sample) continue;
            if (seen[i]!.has(sample.series)) throw new TelemetryDataError(`series returned twice: ${sample.series}`);
            seen[i]!.add(sample.series);
            samples[i]!.push(sample);
          } catch (e) {
            problems[i] = toError(e).message;
          }
        }
      }
    });
    for (const series of answers[queries.length] ?? []) {
      for (const [t, value] of series.points) {
        const i = indexOf(t);
        if (i >= 0 && i < n && value > newest[i]!) newest[i] = value;
      }
    }
    const down: Record<string, string>[][] = Array.from({ length: n }, () => []);
    for (const series of answers[queries.length + 1] ?? []) {
      for (const [t] of series.points) {
        const i = indexOf(t);
        if (i >= 0 && i < n) down[i]!.push({ ...series.labels });
      }
    }
    for (let i = 0; i < n; i++) {
      const t = gridTime(grid, chunk.from + i);
      const targetsDown = downTargetsReason(down[i]!);
      const stale = staleSamplesReason(t, newest[i]!, options.maxSampleAgeSeconds);
      if (problems[i] !== undefined) yield { kind: 'fault', t, reason: problems[i]! };
      else if (targetsDown !== undefined) yield { kind: 'fault', t, reason: targetsDown };
      else if (stale !== undefined) yield { kind: 'fault', t, reason: stale };
      else {
        readYet = true;
        yield { kind: 'read', t, samples: samples[i]! };
      }
      samples[i] = [];
    }
    options.onChunk?.(chunk.to + 1);
  }
}
