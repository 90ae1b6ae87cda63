import { defer, finalize, map, Observable, tap, type OperatorFunction } from 'rxjs';
import type { DetectorParameters } from '../../config/index.ts';
import { createDetectors, runDetectors, vectorize, type VectorizeOptions } from '../../detectors/index.ts';
import { currentLogSink, setLogSink } from '../../logger.ts';
import type { Snapshot, Verdict } from '../../types.ts';
import { OffloadChannel } from './offloadChannel.ts';

export interface OffloadSetup {
  /** The run's folder, which the worker reads itself. */
  readonly dir: string;
  /** The detectors the worker runs (enabled ones, built-ins: their options must be plain data). */
  readonly offloaded: readonly string[];
  /** detectLive's vectorize options (the run's metrics, the edge horizon): the worker builds its frames with them too. */
  readonly vectorize: VectorizeOptions;
}

/**
 * detectLive on two threads: the `offloaded` detectors run in a worker that reads the run
 * itself (OffloadChannel), every other one here, and the verdicts come out in the one-thread
 * order (frame by frame, detectors in createDetectors' order), the same verdicts: the worker
 * builds the same frames and runs the same code. A fresh worker per subscription; it stops when
 * the replay ends, fails or is stopped.
 */
export function offloadedDetectors(config: DetectorParameters, setup: OffloadSetup): OperatorFunction<Snapshot, Verdict> {
  const away = new Set(setup.offloaded);
  // Every detector as one thread builds them (options validated, the order kept); an offloaded
  // one's operator is never subscribed here (a detector's state is made on subscription).
  const all = createDetectors(config);
  const workerDetectors: DetectorParameters = {
    enabled: all.filter((d) => away.has(d.name)).map((d) => d.name),
    trainingSeconds: config.trainingSeconds,
    falseAlarmRate: config.falseAlarmRate,
    options: Object.fromEntries(Object.entries(config.options).filter(([n]) => away.has(n))),
  };
  return (snapshots) =>
    defer(() => {
      const channel = new OffloadChannel({ dir: setup.dir, detectors: workerDetectors, vectorize: setup.vectorize });
      // The main thread's own messages are noted, so the worker's copies of them are not said twice.
      const below = currentLogSink();
      const restore = setLogSink((level, message) => {
        channel.noteSaid(message);
        below(level, message);
      });
      // Each offloaded detector in its place, its verdicts taken from the worker.
      const ordered = all.map((d) => (away.has(d.name) ? { name: d.name, operator: map((frame: { t: number }) => channel.next(d.name, frame.t)) } : d));
      const verdicts = snapshots.pipe(
        vectorize(setup.vectorize),
        tap(() => channel.frameTaken()),
        runDetectors(ordered),
      );
      // At the end, the worker's last message (what it logged at the end) before completing; its error is the replay's.
      return new Observable<Verdict>((subscriber) =>
        verdicts.subscribe({
          next: (v) => subscriber.next(v),
          error: (e: unknown) => subscriber.error(e),
          complete: () => {
            try {
              channel.finish();
            } catch (e) {
              subscriber.error(e);
              return;
            }
            subscriber.complete();
          },
        }),
      ).pipe(
        finalize(() => {
          restore();
          channel.close();
        }),
      );
    });
}
