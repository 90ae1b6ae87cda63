import type { Observable, SchedulerLike } from 'rxjs';
import { readManifest, readSnapshots, type ReadProgress } from '../store/index.ts';
import type { MetricKey, Snapshot } from '../types.ts';
import { pacedFromAsync } from './pacedFromAsync.ts';
import { staleMetricReads, type StaleMetricRead } from './staleMetricReads.ts';

export interface ReplayOptions {
  /** 1 = real time, 10 = ten times faster. Default: as fast as the consumer takes snapshots. */
  readonly speed?: number | undefined;
  /** Scheduler pacing the snapshots when `speed` is set (default asyncScheduler; TestScheduler in tests). */
  readonly scheduler?: SchedulerLike | undefined;
  /** Called after each line of snapshots.ndjson (for progress displays). */
  readonly progress?: ((p: ReadProgress) => void) | undefined;
  /** Told how many lines of snapshots.ndjson were bad, once it is read. */
  readonly onBadLines?: ((count: number) => void) | undefined;
}

/**
 * A recorded run as a stream of Snapshots, interval by interval, exactly as a live run
 * produced them: gaps stay gaps, metrics missing from a line are 0, unknown fields are
 * ignored, bad lines are reported (file:line) and skipped, a cut-off last line is tolerated.
 * The file is streamed, so memory does not grow with the run's length.
 *
 * Errors in run.json or a missing snapshots.ndjson reach the subscriber as UserErrors
 * naming the file and the field. Cold: each subscription reads the run afresh.
 */
export function replayRun(dir: string, options: ReplayOptions = {}): Observable<Snapshot> {
  async function* snapshots(): AsyncGenerator<Snapshot, void, undefined> {
    const manifest = await readManifest(dir);
    yield* readSnapshots(dir, manifest.metrics, { progress: options.progress, onBadLines: options.onBadLines });
  }
  return pacedFromAsync(snapshots, { speed: options.speed, scheduler: options.scheduler, secondsOf: (s) => s.t });
}

/**
 * The run as replay's detectors read it, in every thread: replayRun's snapshots, with a stale read
 * of one metric as a gap, its traffic in the next slice (staleMetricReads). `onStale` hears each.
 */
export function replayRunAsRead(dir: string, metrics: readonly MetricKey[], options: ReplayOptions & { readonly onStale?: (read: StaleMetricRead) => void } = {}): Observable<Snapshot> {
  return replayRun(dir, options).pipe(staleMetricReads(metrics, options.onStale));
}
