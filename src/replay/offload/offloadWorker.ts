import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { UserError } from '../../errors.ts';
import { setLogSink, type LogLevel } from '../../logger.ts';
import type { Verdict } from '../../types.ts';
import { createDetectors, runDetectors, vectorize } from '../../detectors/index.ts';
import { replayRunAsRead } from '../replayRun.ts';
import { BATCH_FRAMES, MAX_LEAD_FRAMES, POSTED, TAKEN, type OffloadMessage, type OffloadWorkerData } from './offloadProtocol.ts';

/**
 * The replay's worker thread (`--threads 2`, see OffloadChannel): reads the run itself, builds the
 * same frames as the main thread (same metrics, same edge horizon) and runs the offloaded
 * detectors on them, posting their verdicts in batches of BATCH_FRAMES frames on the port it was
 * given. It waits while it is MAX_LEAD_FRAMES ahead of what the main thread has taken. Its log
 * messages travel with the verdicts (the main thread says them); an error ends it with one
 * `error` message. Reading the file twice costs a fraction of a core; handing frames over
 * would cost the main thread, the busier one, a copy of each.
 */
function run(data: OffloadWorkerData, port: MessagePort): void {
  const shared = new Int32Array(data.shared);
  let logs: { level: LogLevel; message: string }[] = [];
  setLogSink((level, message) => {
    if (level !== 'debug') logs.push({ level, message });
  });
  const perFrame = data.detectors.enabled.length;
  let verdicts: Verdict[] = [];
  let frames = 0;
  const post = (message: OffloadMessage): void => {
    port.postMessage(message);
    Atomics.add(shared, POSTED, 1);
    Atomics.notify(shared, POSTED);
  };
  const flush = (): void => {
    post({ kind: 'verdicts', verdicts, logs });
    verdicts = [];
    logs = [];
  };
  const fail = (e: unknown): void => {
    const error = e instanceof Error ? e : new Error(String(e));
    post({ kind: 'error', message: error.message, userError: error instanceof UserError, stack: error.stack });
  };
  try {
    const detectors = createDetectors(data.detectors);
    // The same stream as the main thread's (runReplay).
    replayRunAsRead(data.dir, data.vectorize.metrics ?? [])
      .pipe(vectorize(data.vectorize), runDetectors(detectors))
      .subscribe({
        next: (v) => {
          verdicts.push(v);
          if (verdicts.length % perFrame !== 0) return;
          frames++;
          if (verdicts.length >= BATCH_FRAMES * perFrame) flush();
          // Too far ahead: wait for the main thread (it says how far it got in TAKEN).
          for (let taken = Atomics.load(shared, TAKEN); frames - taken > MAX_LEAD_FRAMES; taken = Atomics.load(shared, TAKEN)) Atomics.wait(shared, TAKEN, taken, 1000);
        },
        error: fail,
        complete: () => {
          if (verdicts.length > 0) flush();
          post({ kind: 'done', logs });
        },
      });
  } catch (e) {
    fail(e);
  }
}

if (!isMainThread && parentPort !== null) {
  const data = workerData as OffloadWorkerData & { readonly port: MessagePort };
  run(data, data.port);
}
