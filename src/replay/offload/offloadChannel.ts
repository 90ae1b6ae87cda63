import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { UserError } from '../../errors.ts';
import { log } from '../../logger.ts';
import type { Verdict } from '../../types.ts';
import { offloadWorkerEntry } from './offloadWorkerEntry.ts';
import { POSTED, TAKEN, type OffloadMessage, type OffloadWorkerData } from './offloadProtocol.ts';

/** How long the main thread waits for a batch before it decides the worker is gone, in ms. */
const SILENCE_LIMIT_MS = 120_000;

/**
 * The main thread's end of a replay's worker thread (see offloadWorker): it starts the worker and
 * hands out the worker's verdicts frame by frame, in order. The replay's pipeline is synchronous
 * from one snapshot to the next detector, so a verdict not yet posted is waited for there and
 * then: `Atomics.wait` on the worker's batch counter, `receiveMessageOnPort` to take the batch
 * (no event-loop turn, so the verdicts keep the one-thread order exactly). Messages the worker
 * logged are said as their batch is taken, except any the main thread has said itself (reading
 * the run twice warns twice).
 */
export class OffloadChannel {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly shared: Int32Array;
  private batch: readonly Verdict[] = [];
  private index = 0;
  private batchesTaken = 0;
  private framesTaken = 0;
  private done = false;
  private closed = false;
  /** What was said already: the worker's messages and, through noteSaid, the main thread's own. */
  private readonly said = new Set<string>();

  constructor(data: Omit<OffloadWorkerData, 'shared'>) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const shared = new SharedArrayBuffer(8);
    this.shared = new Int32Array(shared);
    const { entry, eval: isScript } = offloadWorkerEntry();
    this.worker = new Worker(entry, { eval: isScript, workerData: { ...data, shared, port: port2 }, transferList: [port2], stdout: false, stderr: false });
    // The worker ends with its last message; an exit before that is found by the wait's silence.
    this.worker.on('error', () => {});
    this.worker.unref();
  }

  /** Batches the worker has posted so far (taken or not): how far ahead it is, for tests. */
  get batchesPosted(): number {
    return Atomics.load(this.shared, POSTED);
  }

  /** Note a message the main thread said, so the worker's copy of it is not said again. */
  noteSaid(message: string): void {
    this.said.add(message);
  }

  /** The next verdict, which must be `detector`'s for the frame at `t`: waits for the worker if need be. */
  next(detector: string, t: number): Verdict {
    while (this.index >= this.batch.length) this.take();
    const v = this.batch[this.index++]!;
    if (v.detector !== detector || v.t !== t) throw new Error(`replay worker: expected ${detector}'s verdict at t=${t}, got ${v.detector}'s at t=${v.t} (was the run still being written? replay it with --threads 1)`);
    return v;
  }

  /** Count one frame as taken (the worker may run MAX_LEAD_FRAMES ahead of it). */
  frameTaken(): void {
    this.framesTaken++;
    if ((this.framesTaken & 63) === 0) {
      Atomics.store(this.shared, TAKEN, this.framesTaken);
      Atomics.notify(this.shared, TAKEN);
    }
  }

  /** After the last frame: take the worker's last message (what it logged at the end), then stop it. */
  finish(): void {
    while (!this.done) this.take();
    this.close();
  }

  /** Stop the worker (at the end, on an error, or when the replay is stopped). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private take(): void {
    if (this.done) throw new Error('replay worker: it read fewer intervals than the main thread (was the run still being written? replay it with --threads 1)');
    let message = receiveMessageOnPort(this.port)?.message as OffloadMessage | undefined;
    const since = Date.now();
    while (message === undefined) {
      // The counter moves after each post: wait for it to pass the batches taken so far.
      Atomics.wait(this.shared, POSTED, this.batchesTaken, 1000);
      message = receiveMessageOnPort(this.port)?.message as OffloadMessage | undefined;
      if (message === undefined && Date.now() - since > SILENCE_LIMIT_MS) throw new Error(`replay worker: no verdicts for ${SILENCE_LIMIT_MS / 1000} s; it stopped (run again with --threads 1)`);
    }
    this.batchesTaken++;
    if (message.kind === 'error') {
      const error = message.userError ? new UserError(message.message) : new Error(message.message);
      if (!message.userError && message.stack !== undefined) error.stack = message.stack;
      throw error;
    }
    for (const { level, message: text } of message.logs) {
      if (this.said.has(text)) continue;
      this.said.add(text);
      log[level](text);
    }
    if (message.kind === 'done') {
      this.done = true;
      this.batch = [];
      this.index = 0;
      return;
    }
    this.batch = message.verdicts;
    this.index = 0;
  }
}
