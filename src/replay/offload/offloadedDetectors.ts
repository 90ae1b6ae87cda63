import { defer, finalize, map, Observable, tap, type OperatorFunction } from 'rxjs';
import type { DetectorParameters } from '../../config/index.ts';
import { createDetectors, runDetectors, vectorize, type NamedDetector } from '../../detectors/index.ts';
import { currentLogSink, setLogSink } from '../../logger.ts';
import type { MetricKey, Snapshot, Verdict } from '../../types.ts';
import { OffloadChannel } from './offloadChannel.ts';

export interface OffloadSetup {
  /** The run's folder, which the worker reads itself. */
  readonly dir: string;
  /** The detectors the worker runs (enabled ones, built-ins: their options must be plain data). */
  readonly offloaded: readonly string[];
  /** The run's metric keys (vectorize's `metrics`). */
  readonly metrics: readonly MetricKey[] | undefined;
  /** The edge index's horizon (edgeHorizonSeconds of every enabled detector). */
  readonly forgetEdgesAfterSeconds: number;
}

/**
 * detectLive on two threads: the `offloaded` detectors run in a worker that reads the run
 * itself (OffloadChannel), every other one here, and the verdicts come out in the one-thread
 * order (frame by frame, detectors in the order enabled), the same verdicts: the worker builds
 * the same frames and runs the same code. A fresh worker per subscription; it stops when the
 * replay ends, fails or is stopped.
 */
export function offloadedDetectors(config: DetectorParameters, setup: OffloadSetup): OperatorFunction<Snapshot, Verdict> {
  const away = new Set(setup.offloaded);
  // Validates every detector's options here, as one thread does, and builds those that stay.
  const local = createDetectors({ ...config, enabled: config.enabled.filter((n) => !away.has(n)) });
  const vectorizeOptions =
    setup.metrics === undefined ? { forgetEdgesAfterSeconds: setup.forgetEdgesAfterSeconds } : { metrics: setup.metrics, forgetEdgesAfterSeconds: setup.forgetEdgesAfterSeconds };
  // Built-ins in the order enabled, once each (createDetectors' order; plugins come after them).
  const builtIn = config.enabled.filter((n, i, all) => all.indexOf(n) === i);
  const workerDetectors: DetectorParameters = {
    enabled: builtIn.filter((n) => away.has(n)),
    trainingSeconds: config.trainingSeconds,
    falseAlarmRate: config.falseAlarmRate,
    options: Object.fromEntries(Object.entries(config.options).filter(([n]) => away.has(n))),
  };
  return (snapshots) =>
    defer(() => {
      const channel = new OffloadChannel({ dir: setup.dir, detectors: workerDetectors, metrics: setup.metrics, forgetEdgesAfterSeconds: setup.forgetEdgesAfterSeconds });
      // The main thread's own messages are noted, so the worker's copies of them are not said twice.
      const below = currentLogSink();
      const restore = setLogSink((level, message) => {
        channel.noteSaid(message);
        below(level, message);
      });
      // Each offloaded detector in its place among the built-ins, the plugins after them.
      const ordered: NamedDetector[] = [];
      let next = 0;
      for (const name of builtIn) {
        if (away.has(name)) ordered.push({ name, operator: map((frame) => channel.next(name, frame.t)) });
        else ordered.push(local[next++]!);
      }
      ordered.push(...local.slice(next));
      const verdicts = snapshots.pipe(
        vectorize(vectorizeOptions),
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
