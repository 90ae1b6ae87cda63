import { fromEvent, lastValueFrom, NEVER, takeUntil, tap, type Observable } from 'rxjs';
import { isAbort } from '../experiment/abort.ts';
import { assertNoRun, RUN_FORMAT, RunWriter } from '../store/index.ts';
import type { RunEvent, Snapshot } from '../types.ts';

export interface ImportedRunOptions {
  /** Run directory to create (refused when it holds a run already). */
  readonly dir: string;
  readonly name: string;
  readonly intervalSeconds: number;
  readonly metrics: readonly string[];
  /** run.json `source`: where the data came from (never credentials). */
  readonly source: Readonly<Record<string, unknown>>;
  /** Ground truth copied into events.ndjson (`--events`). */
  readonly events?: readonly RunEvent[] | undefined;
  /** Aborting stops after the interval in progress; the run keeps what was written, marked complete: false. */
  readonly signal?: AbortSignal | undefined;
  /** Every interval as it is written. */
  readonly onSnapshot?: ((s: Snapshot) => void) | undefined;
}

export interface ImportResult {
  /** The run's folder; not created when a complete import had no interval (intervals: 0). */
  readonly dir: string;
  readonly complete: boolean;
  readonly intervals: number;
  readonly gaps: number;
  /** Nodes seen, sorted (run.json `services`). */
  readonly services: readonly string[];
}

/**
 * Write a stream of intervals as a run, each line appended as it comes (so memory does not
 * grow with the run, and an interrupted import keeps what it wrote): run.json first with
 * complete: false, then snapshots.ndjson, the ground truth given, and run.json's final form.
 * The run is created with its first interval: a stream that ends with none (a wrong namespace,
 * a range before the mesh ran) leaves no folder behind, which would be listed as a run and
 * block a retry under the same name. An interrupted or failed one is still written.
 */
export async function writeImportedRun(snapshots: Observable<Snapshot>, options: ImportedRunOptions): Promise<ImportResult> {
  options.signal?.throwIfAborted();
  assertNoRun(options.dir);
  let created: RunWriter | undefined;
  const writer = (): RunWriter => {
    if (created) return created;
    created = RunWriter.create(options.dir, {
      format: RUN_FORMAT,
      name: options.name,
      createdAt: new Date().toISOString(),
      intervalSeconds: options.intervalSeconds,
      metrics: [...options.metrics],
      source: options.source,
    });
    for (const event of options.events ?? []) created.appendEvent(event);
    return created;
  };
  const nodes = new Set<string>();
  let complete = false;
  try {
    const stop$ = options.signal ? fromEvent(options.signal, 'abort') : NEVER;
    await lastValueFrom(
      snapshots.pipe(
        takeUntil(stop$),
        tap((s) => {
          writer().appendSnapshot(s);
          for (const e of s.edges) nodes.add(e.src).add(e.dst);
          options.onSnapshot?.(s);
        }),
      ),
      { defaultValue: undefined },
    );
    complete = !options.signal?.aborted;
  } catch (e) {
    if (!isAbort(e)) {
      const failed = writer();
      failed.finish({ complete: false, endedAt: new Date().toISOString(), intervals: failed.snapshotCount, gaps: failed.gapCount });
      throw e;
    }
  }
  if (complete && !created) return { dir: options.dir, complete, intervals: 0, gaps: 0, services: [] };
  const run = writer();
  const services = [...nodes].sort();
  run.finish({ complete, services, endedAt: new Date().toISOString(), intervals: run.snapshotCount, gaps: run.gapCount });
  return { dir: options.dir, complete, intervals: run.snapshotCount, gaps: run.gapCount, services };
}
