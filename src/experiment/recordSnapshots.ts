import { NEVER, concat, defer, fromEvent, ignoreElements, of, share, take, takeUntil, tap, type Observable, type SchedulerLike } from 'rxjs';
import { differentiate } from '../matrix/index.ts';
import { pollTelemetry } from '../telemetry/index.ts';
import type { Snapshot, TelemetrySource } from '../types.ts';

export interface RecordingOptions {
  /** Length of one interval. */
  readonly intervalSeconds: number;
  /** Intervals to record (the seeding read comes on top). */
  readonly intervals: number;
  /** Metric keys kept in the matrices. */
  readonly metrics: readonly string[];
  /** Aborting ends the recording after the interval in progress; already aborted, nothing is read. */
  readonly signal?: AbortSignal | undefined;
  /** Called once, with the time of the seeding read: the experiment's clock starts there. */
  readonly onStart: (tSeconds: number) => void;
  /** Every interval, in order, before any subscriber sees it (the run writer goes here). */
  readonly onSnapshot: (snapshot: Snapshot) => void;
  /** Clock of the reads (tests pass a virtual-time scheduler). Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * The recording stage: telemetry polled every interval, turned into differential matrices,
 * handed to `onSnapshot`, and shared, so the run writer and the live detectors see one stream
 * (and the sidecars are read once per interval, whoever listens).
 */
export function recordSnapshots(source: TelemetrySource, options: RecordingOptions): Observable<Snapshot> {
  const signal = options.signal;
  // An abort event is sent once: a signal aborted before the recording (a Ctrl-C during start-up)
  // must stop it before its first read, or the whole duration is recorded after a Ctrl-C.
  const abort$ = signal ? defer(() => (signal.aborted ? of(true) : fromEvent(signal, 'abort'))) : NEVER;
  let started = false;
  const poll = pollTelemetry(source, { intervalSeconds: options.intervalSeconds, ...(options.scheduler ? { scheduler: options.scheduler } : {}) });
  // The source warmed up first (see TelemetrySource.warmUp), so that the seeding read, whose time
  // starts the clock, is as quick as those after it and the first interval as long as the others.
  const warmUp = source.warmUp?.bind(source);
  const reads = warmUp ? concat(defer(() => warmUp().catch(() => undefined)).pipe(ignoreElements()), poll) : poll;
  return reads.pipe(
    take(options.intervals + 1),
    takeUntil(abort$),
    tap((read) => {
      if (started) return;
      started = true;
      options.onStart(read.t);
    }),
    // Faults from the first read on are gaps: the run's intervals cover the whole recording.
    differentiate({ metrics: options.metrics, leadingFaults: 'gap' }),
    tap(options.onSnapshot),
    share(),
  );
}
