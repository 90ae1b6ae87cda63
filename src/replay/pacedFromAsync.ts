import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { checkSpeed } from './checkSpeed.ts';

// Also in a file of its own: the commands check --speed without loading rxjs.
export { checkSpeed };

export interface PacingOptions<T> {
  /** Replay speed: 1 = real time, 10 = ten times faster. Undefined: as fast as the consumer takes items. */
  readonly speed?: number | undefined;
  /** Scheduler that times paced items (default asyncScheduler; a TestScheduler in tests). */
  readonly scheduler?: SchedulerLike | undefined;
  /** An item's time stamp in seconds (e.g. a snapshot's `t`). */
  readonly secondsOf: (item: T) => number;
}

/** Longest single timer Node keeps (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/**
 * An async iterable as an Observable that pulls one item at a time: the next item is read
 * only after the previous one was handed on, so a fast reader never piles items up in
 * memory ahead of a slow consumer (or of a paced schedule).
 *
 * With `speed`, item i is emitted (secondsOf(i) − secondsOf(first)) / speed seconds after
 * the first, on the scheduler; an item that is already late goes at once (no drift builds up).
 * Unsubscribing stops reading and releases the iterator.
 */
export function pacedFromAsync<T>(open: () => AsyncIterable<T>, options: PacingOptions<T>): Observable<T> {
  checkSpeed(options.speed);
  const speed = options.speed;
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<T>((subscriber) => {
    const iterator = open()[Symbol.asyncIterator]();
    let firstSeconds: number | undefined;
    let startMillis = 0;
    let pending: Subscription | undefined;

    const emit = (item: T): void => {
      pending = undefined;
      subscriber.next(item);
      pull();
    };
    const pull = (): void => {
      if (subscriber.closed) return;
      iterator.next().then(
        (result) => {
          if (subscriber.closed) return;
          if (result.done) {
            subscriber.complete();
            return;
          }
          const item = result.value;
          if (speed === undefined) return emit(item);
          const seconds = options.secondsOf(item);
          if (firstSeconds === undefined) {
            firstSeconds = seconds;
            startMillis = scheduler.now();
          }
          const dueMillis = startMillis + ((seconds - firstSeconds) * 1000) / speed;
          const wait = (): void => {
            const delayMillis = dueMillis - scheduler.now();
            if (delayMillis <= 0) return emit(item);
            // A far-off item (a long run, a slow pace) waits in steps a timer can hold.
            pending = scheduler.schedule(wait, Math.min(delayMillis, MAX_TIMER_MILLIS));
          };
          wait();
        },
        (error: unknown) => {
          if (!subscriber.closed) subscriber.error(error);
        },
      );
    };
    pull();
    return () => {
      pending?.unsubscribe();
      // A pending next() finishes first; return() then runs the generator's finally (closing files).
      iterator.return?.(undefined).catch(() => undefined);
    };
  });
}
