import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { UserError, toError } from '../errors.ts';
import { log, reportError } from '../logger.ts';
import type { TelemetryRead, TelemetrySource } from '../types.ts';

export interface PollOptions {
  /** Seconds between two reads (the matrix interval). */
  readonly intervalSeconds: number;
  /** Scheduler of the interval timer (tests pass a virtual-time scheduler). Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** A read still unresolved after this many seconds is given up as a fault, so a hung source cannot stall the stream. Default: 5 intervals. */
  readonly readDeadlineSeconds?: number;
}

/** A source whose read(t) reports counters as of `t - lagSeconds` (e.g. a Prometheus evaluated behind its scrapes). */
export interface LaggingTelemetrySource extends TelemetrySource {
  /** Seconds by which a read's `t` trails the time it was requested for. */
  readonly lagSeconds: number;
}

/**
 * The pipeline's first stage: one read per interval boundary, the first (the seed) at
 * subscription, boundaries at t0 + k·interval on the scheduler's clock (no drift).
 *
 * Never more than one read at a time: a boundary that comes while a read is outstanding
 * starts no read; it becomes a fault "read still pending", emitted right after the
 * outstanding read, so every boundary yields exactly one TelemetryRead, in order of t,
 * and intervals stay even; but a fault whose boundary the outstanding read's own label
 * already passed (a source labelling at answer time) is dropped, its time covered by that
 * read (see deliver), so t only ever increases. A boundary the timer missed by a whole
 * interval (a blocked event loop) is a fault too. A read unresolved after readDeadlineSeconds becomes a fault and its
 * late answer is dropped. Never errors: a source that throws or rejects (it should not)
 * yields a fault and the error goes to the logger. Faults made here are labelled
 * `boundary - lagSeconds` for a LaggingTelemetrySource, like that source's own reads.
 */
export function pollTelemetry(source: TelemetrySource, options: PollOptions): Observable<TelemetryRead> {
  const intervalSeconds = options.intervalSeconds;
  if (typeof intervalSeconds !== 'number' || !(intervalSeconds > 0) || !Number.isFinite(intervalSeconds)) {
    throw new UserError(`intervalSeconds must be a positive number of seconds, not ${JSON.stringify(intervalSeconds)}`);
  }
  const deadlineSeconds = options.readDeadlineSeconds ?? 5 * intervalSeconds;
  if (!(deadlineSeconds > 0) || !Number.isFinite(deadlineSeconds)) {
    throw new UserError(`readDeadlineSeconds must be a positive number of seconds, not ${JSON.stringify(deadlineSeconds)}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  const lagValue = (source as Partial<LaggingTelemetrySource>).lagSeconds;
  const lagSeconds = typeof lagValue === 'number' && Number.isFinite(lagValue) ? lagValue : 0;

  return new Observable<TelemetryRead>((subscriber) => {
    const t0Millis = Math.round(scheduler.now());
    const boundaryMillis = (k: number) => t0Millis + Math.round(k * intervalSeconds * 1000);
    const label = (k: number) => Math.round(boundaryMillis(k) - lagSeconds * 1000) / 1000;
    let next = 0;
    let outstanding: { readonly k: number; readonly deadline: Subscription } | undefined;
    const waiting: TelemetryRead[] = [];
    let skipped = 0;
    let lastT = Number.NEGATIVE_INFINITY;

    /**
     * Pass a read on, in order of t. A fault whose t does not come after the last read's has no
     * interval left: a source that labels a read when it answered (scrape does) and answered
     * after the next boundary already covers that boundary, so the "read still pending" fault
     * made for it would go back in time (the reader skips such a line; the recording lost an
     * interval of the duration and recorded a gap where nothing was missing). It is dropped,
     * and the boundary after it is read as usual.
     */
    const deliver = (read: TelemetryRead) => {
      if (read.kind === 'fault' && !(read.t > lastT)) return;
      if (read.t > lastT) lastT = read.t;
      subscriber.next(read);
    };

    const emit = (read: TelemetryRead) => {
      if (outstanding) waiting.push(read);
      else deliver(read);
    };

    const settle = (k: number, read: TelemetryRead) => {
      if (outstanding?.k !== k || subscriber.closed) return;
      outstanding.deadline.unsubscribe();
      outstanding = undefined;
      deliver(read);
      for (const queued of waiting.splice(0)) deliver(queued);
    };

    const startRead = (k: number) => {
      const requested = boundaryMillis(k) / 1000;
      const deadline = scheduler.schedule(() => {
        settle(k, { kind: 'fault', t: label(k), reason: `read did not finish within ${deadlineSeconds} s` });
      }, deadlineSeconds * 1000);
      outstanding = { k, deadline };
      let reading: Promise<TelemetryRead>;
      try {
        reading = Promise.resolve(source.read(requested));
      } catch (e) {
        reading = Promise.reject(e);
      }
      reading
        .then(
          (read) => settle(k, checked(read, label(k))),
          (e: unknown) => {
            reportError(`telemetry ${source.kind} read`, e);
            settle(k, { kind: 'fault', t: label(k), reason: `read failed: ${toError(e).message}` });
          },
        )
        .catch((e: unknown) => reportError('telemetry poll', e));
    };

    const onBoundary = () => {
      const due = Math.max(next, Math.floor((scheduler.now() - t0Millis) / (intervalSeconds * 1000) + 1e-9));
      for (; next < due; next++) {
        emit({ kind: 'fault', t: label(next), reason: `boundary missed: the timer fired ${((scheduler.now() - boundaryMillis(next)) / 1000).toFixed(1)} s late` });
      }
      const k = next++;
      if (outstanding) {
        // Warned once: a source slower than the interval would otherwise warn every other interval.
        if (skipped++ === 0) log.warn(`telemetry ${source.kind}: a read took longer than the ${intervalSeconds} s interval; boundaries reached while it is pending are recorded as gaps (unless the read's own time comes after them)`);
        emit({ kind: 'fault', t: label(k), reason: `read still pending (the read for t=${label(outstanding.k)} has not finished)` });
        return;
      }
      startRead(k);
    };

    const timer = scheduler.schedule(function tick() {
      try {
        onBoundary();
      } catch (e) {
        reportError('telemetry poll', e);
      }
      this.schedule(undefined, Math.max(0, boundaryMillis(next) - scheduler.now()));
    }, 0);

    return () => {
      timer.unsubscribe();
      outstanding?.deadline.unsubscribe();
      outstanding = undefined;
    };
  });
}

/** A source's answer, made sure to be a TelemetryRead (a bad one becomes a fault). */
function checked(read: TelemetryRead, t: number): TelemetryRead {
  if (read && read.kind === 'read' && typeof read.t === 'number' && Array.isArray(read.samples)) return read;
  if (read && read.kind === 'fault' && typeof read.t === 'number') return read;
  reportError('telemetry read', new Error(`source answered ${JSON.stringify(read)?.slice(0, 200)}, not a TelemetryRead`));
  return { kind: 'fault', t, reason: 'source answered something that is not a telemetry read' };
}
