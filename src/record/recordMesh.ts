import { join } from 'node:path';
import { defaultIfEmpty, lastValueFrom, Subscription } from 'rxjs';
import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { isAbort } from '../experiment/abort.ts';
import { ProgressLine } from '../experiment/ProgressLine.ts';
import { recordSnapshots } from '../experiment/recordSnapshots.ts';
import { log, reportError } from '../logger.ts';
import { detectLive } from '../replay/index.ts';
import { assertNoRun, RUN_FORMAT, RunWriter } from '../store/index.ts';
import { probePrometheusOnce, prometheusApiSource } from '../telemetry/index.ts';
import { storeScrapeInterval } from './storeScrapeInterval.ts';
import { victoriaMetricsDelay } from './victoriaMetricsDelay.ts';
import type { RunEvent, Snapshot, Verdict } from '../types.ts';
import { edgeKey } from '../edgeKey.ts';

export interface RecordOptions {
  /** Only traffic with an end in this Kubernetes namespace (label matchers in every query). */
  readonly namespace?: string | undefined;
  /** Ground truth copied into events.ndjson before recording starts (`--events`). */
  readonly events?: readonly RunEvent[] | undefined;
  /** Aborting stops after the interval in progress and leaves the run marked complete: false. */
  readonly signal?: AbortSignal | undefined;
  /** Print progress and alerts (default true). */
  readonly progress?: boolean | undefined;
  readonly onSnapshot?: ((s: Snapshot) => void) | undefined;
  readonly onVerdict?: ((v: Verdict) => void) | undefined;
}

export interface RecordResult {
  readonly dir: string;
  readonly complete: boolean;
  readonly intervals: number;
  readonly gaps: number;
  readonly alarms: number;
}

/**
 * `npm run record`: an existing mesh, read through its Prometheus with the experiment's own
 * source (same queries, reporter rule, differencing, auth), the live detectors on, written
 * as a run. Nothing is deployed, no traffic made, no attack performed. One read is made
 * first, so an unreachable or empty Prometheus is an error before any folder is created; the
 * store's scrape interval is read from its configuration first (storeScrapeInterval).
 */
export async function recordMesh(params: Parameters, runName: string, options: RecordOptions = {}): Promise<RecordResult> {
  const t = params.telemetry;
  const p = t.prometheus;
  if (!p.url) throw new UserError('record needs a Prometheus: --prometheus-url <url> (or telemetry.prometheus.url in parameters.ts)');
  const detect = detectLive(params.detectors, { metrics: t.metrics });
  const dir = join(params.outputDir, runName);
  assertNoRun(dir);
  const scrape = await storeScrapeInterval(params, p.url);
  const vm = await victoriaMetricsDelay(params, p.url, scrape.seconds ?? p.scrapeIntervalSeconds);
  const source = prometheusApiSource(params, p.url, {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(scrape.seconds !== undefined ? { scrapeIntervalSeconds: scrape.seconds } : {}),
    ...(vm.evaluationDelaySeconds !== undefined ? { evaluationDelaySeconds: vm.evaluationDelaySeconds } : {}),
  });
  const progress = new ProgressLine(options.progress ?? true, params.durationSeconds, 0);
  const samples = await probePrometheusOnce(source);
  // Said only now: a store that then refused the read would have an error, not a warning first.
  for (const note of [...scrape.notes, ...vm.notes]) progress.note(note);
  for (const warning of [...scrape.warnings, ...vm.warnings]) log.warn(warning);
  const seen = new Set(samples.map((s) => edgeKey(s.src, s.dst)));
  progress.note(`telemetry: Prometheus API at ${String(source.describe()['url'])}: ${seen.size} edges${options.namespace ? ` in namespace ${options.namespace}` : ''}`);
  if (samples.length === 0) log.warn(`no Istio series${options.namespace ? ` for namespace ${options.namespace}` : ''} at ${String(source.describe()['url'])} yet: recording anyway (check the namespace and that Prometheus scrapes the sidecars)`);

  const writer = RunWriter.create(dir, {
    format: RUN_FORMAT,
    name: runName,
    createdAt: new Date().toISOString(),
    intervalSeconds: params.intervalSeconds,
    metrics: t.metrics,
    target: { kind: 'existing-mesh', ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) },
    source: source.describe(),
    parameters: { intervalSeconds: params.intervalSeconds, durationSeconds: params.durationSeconds, telemetry: params.telemetry, detectors: params.detectors },
  });
  for (const event of options.events ?? []) writer.appendEvent(event);
  const nodes = new Set<string>();
  let alarms = 0;
  let interrupted = options.signal?.aborted ?? false;
  const subscriptions = new Subscription();
  try {
    const snapshots = recordSnapshots(source, {
      intervalSeconds: params.intervalSeconds,
      intervals: Math.round(params.durationSeconds / params.intervalSeconds),
      metrics: t.metrics,
      signal: options.signal,
      onStart: (start) => progress.start(start),
      onSnapshot: (snapshot) => {
        writer.appendSnapshot(snapshot);
        for (const e of snapshot.edges) nodes.add(e.src).add(e.dst);
        progress.interval(snapshot, writer.snapshotCount, writer.gapCount);
        options.onSnapshot?.(snapshot);
      },
    });
    subscriptions.add(
      snapshots.pipe(detect).subscribe({
        next: (verdict) => {
          options.onVerdict?.(verdict);
          if (verdict.alarm) {
            alarms += 1;
            progress.alarm(verdict);
          }
        },
        error: (e) => reportError('live detectors', e),
      }),
    );
    await lastValueFrom(snapshots.pipe(defaultIfEmpty(undefined)));
    if (options.signal?.aborted) interrupted = true;
  } catch (e) {
    if (!isAbort(e)) throw e;
    interrupted = true;
  } finally {
    subscriptions.unsubscribe();
    progress.stop(interrupted);
    await source.close();
    writer.finish({ complete: !interrupted, services: [...nodes].sort(), endedAt: new Date().toISOString(), intervals: writer.snapshotCount, gaps: writer.gapCount });
  }
  if (interrupted) log.warn(`interrupted: ${writer.snapshotCount} intervals kept in ${dir} (run.json says complete: false)`);
  return { dir, complete: !interrupted, intervals: writer.snapshotCount, gaps: writer.gapCount, alarms };
}
