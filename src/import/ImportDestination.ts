import type { RunEvent } from '../types.ts';

/** Where and how every import writes its run (the fields `import prometheus` and `import csv` share). */
export interface ImportDestination {
  /** Run directory to write (refused when a run is already there). */
  readonly dir: string;
  /** Run name written to run.json. */
  readonly name: string;
  /** Ground truth to copy into events.ndjson (`--events`). */
  readonly events?: readonly RunEvent[] | undefined;
  /** Stops the import; what was written stays a readable, incomplete run. */
  readonly signal?: AbortSignal | undefined;
}
