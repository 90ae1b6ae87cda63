import type { DetectorParameters } from '../../config/index.ts';
import type { LogLevel } from '../../logger.ts';
import type { VectorizeOptions } from '../../detectors/index.ts';
import type { Verdict } from '../../types.ts';

/**
 * What the main thread and the replay's worker thread say to each other (see OffloadChannel and
 * offloadWorker): the worker reads the run itself and posts its detectors' verdicts in batches.
 */

/** Detectors moved to the worker with `--threads 2`: the costliest on large graphs (README "Benchmarks"). */
export const OFFLOADED_DETECTORS: readonly string[] = ['eigenspace'];

/** Frames per batch the worker posts (it also posts whatever it has at the end). */
export const BATCH_FRAMES = 64;

/**
 * How many frames the worker may run ahead of the main thread before it waits: its verdicts wait
 * in the port's queue until the main thread takes them, so this bounds their memory (~100 bytes a
 * verdict) whatever the run's length.
 */
export const MAX_LEAD_FRAMES = 4096;

/** Slots of the shared Int32Array: batches posted (worker → main), frames taken (main → worker). */
export const POSTED = 0;
export const TAKEN = 1;

/** What the worker is started with (workerData; the port travels in the transfer list). */
export interface OffloadWorkerData {
  /** The run's folder: the worker reads snapshots.ndjson itself. */
  readonly dir: string;
  /** The offloaded detectors' parameters (enabled: those only, no plugins). */
  readonly detectors: DetectorParameters;
  /** The main thread's vectorize options (the run's metrics, the edge horizon of every enabled detector): the same frames. */
  readonly vectorize: VectorizeOptions;
  /** [POSTED, TAKEN] counters (Int32Array over a SharedArrayBuffer). */
  readonly shared: SharedArrayBuffer;
}

/** One message from the worker. */
export type OffloadMessage =
  | {
      readonly kind: 'verdicts';
      /** Frame by frame, each offloaded detector's verdict in the order enabled. */
      readonly verdicts: readonly Verdict[];
      /** What the worker's detectors logged meanwhile, said by the main thread as it takes them. */
      readonly logs: readonly { readonly level: LogLevel; readonly message: string }[];
    }
  | { readonly kind: 'done'; readonly logs: readonly { readonly level: LogLevel; readonly message: string }[] }
  | { readonly kind: 'error'; readonly message: string; readonly userError: boolean; readonly stack: string | undefined };
