import type { ExfiltrationSpec } from '../config/index.ts';
import { log, reportError } from '../logger.ts';
import { sleep } from '../traffic/index.ts';
import type { InformationalKind, RunEvent, Target } from '../types.ts';
import { ExfiltrationError, exfiltrateViaApi, type ExfiltrationResult } from './exfiltrateViaApi.ts';
import { exfiltrationPath } from './exfiltrationPath.ts';

export interface ExfiltrationScheduleOptions {
  /** The application: its front-end (api), its egress (egress) and its topology (for paths). */
  readonly target: Pick<Target, 'frontEndUrl' | 'topology' | 'egress'>;
  /** Unix seconds the schedule's atSeconds count from. */
  readonly startedAtSeconds: number;
  /** Receives each exfiltration's event when it finishes (to append to events.ndjson). */
  readonly onEvent: (event: RunEvent) => void;
  /** Unix seconds now (default Date.now() / 1000). */
  readonly now?: () => number;
  /** The `api` method (default exfiltrateViaApi; tests pass a fake). */
  readonly viaApi?: (frontEndUrl: string, bytes: number, options: { signal?: AbortSignal }) => Promise<ExfiltrationResult>;
  /** How long cancel() waits for an egress in flight (it cannot be aborted) before giving up on it (default 2000). */
  readonly cancelGraceMillis?: number;
}

export interface ExfiltrationHandle {
  /** Settles (never rejects) when every exfiltration has finished, failed or been cancelled. */
  readonly done: Promise<void>;
  /** Stop: the ones not yet begun never happen, `api` ones in flight are aborted. Idempotent. */
  cancel(): void;
}

const MIN_SPAN_SECONDS = 0.001;

/**
 * Run each exfiltration at startedAtSeconds + atSeconds (at once when that has passed) and,
 * as each finishes, report what really happened: kind `exfiltration` with the real start,
 * end, bytes moved, method, path and atSeconds. One that fails having moved nothing becomes
 * an informational `exfiltration-failed`; one that fails or is cancelled part-way is still
 * an `exfiltration` of the bytes that did move (with `incomplete: true`).
 */
export function scheduleExfiltration(schedule: readonly ExfiltrationSpec[], options: ExfiltrationScheduleOptions): ExfiltrationHandle {
  if (!Number.isFinite(options.startedAtSeconds)) throw new RangeError(`startedAtSeconds must be a number (got ${options.startedAtSeconds})`);
  const now = options.now ?? (() => Date.now() / 1000);
  const viaApi = options.viaApi ?? ((url, bytes, o) => exfiltrateViaApi(url, bytes, { ...o, now }));
  const graceMillis = options.cancelGraceMillis ?? 2000;
  const cancelled = new AbortController();
  const afterCancel = new Promise<void>((resolve) => cancelled.signal.addEventListener('abort', () => resolve(), { once: true }));

  const emit = (event: RunEvent) => {
    try {
      options.onEvent(event);
    } catch (e) {
      reportError('exfiltration: event listener', e);
    }
  };

  const egress = async (spec: ExfiltrationSpec): Promise<ExfiltrationResult> => {
    const start = now();
    const settled = new AbortController();
    // Target.egress cannot be aborted: after a cancel, wait for it a little, then give up on it.
    const abandoned = afterCancel.then(() => sleep(graceMillis, settled.signal)).then(() => 'abandoned' as const);
    let moved: { readonly bytes: number } | 'abandoned';
    try {
      moved = await Promise.race([options.target.egress(spec.workload, spec.bytes), abandoned]);
    } finally {
      settled.abort();
    }
    if (moved === 'abandoned') {
      throw new ExfiltrationError(`egress from ${spec.workload} still in flight ${graceMillis} ms after cancel; bytes moved unknown`, {
        bytes: 0,
        start,
        end: now(),
      });
    }
    // runOne widens a zero-length span to MIN_SPAN_SECONDS, as for every method.
    return { bytes: moved.bytes, start, end: now() };
  };

  const runOne = async (spec: ExfiltrationSpec): Promise<void> => {
    const delayMillis = (options.startedAtSeconds + spec.atSeconds - now()) * 1000;
    if (delayMillis > 0) await sleep(delayMillis, cancelled.signal);
    if (cancelled.signal.aborted) return;
    const detail = {
      method: spec.method,
      path: exfiltrationPath(spec, options.target.topology),
      atSeconds: spec.atSeconds,
      requestedBytes: spec.bytes,
      ...(spec.method === 'egress' ? { workload: spec.workload } : {}),
    };
    const begun = now();
    try {
      const r = spec.method === 'api' ? await viaApi(options.target.frontEndUrl, spec.bytes, { signal: cancelled.signal }) : await egress(spec);
      emit({ kind: 'exfiltration', start: r.start, end: Math.max(r.end, r.start + MIN_SPAN_SECONDS), bytes: r.bytes, ...detail });
      log.debug(`exfiltration (${spec.method}) at +${spec.atSeconds} s: ${r.bytes} bytes`);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const partial = e instanceof ExfiltrationError ? e.partial : { bytes: 0, start: begun, end: now() };
      const span = { start: partial.start, end: Math.max(partial.end, partial.start + MIN_SPAN_SECONDS) };
      if (partial.bytes > 0) {
        emit({ kind: 'exfiltration', ...span, bytes: partial.bytes, ...detail, incomplete: true, reason });
      } else {
        emit({ kind: 'exfiltration-failed' satisfies InformationalKind, ...span, bytes: 0, ...detail, reason });
      }
      if (!cancelled.signal.aborted) log.warn(`exfiltration (${spec.method}) at +${spec.atSeconds} s failed after ${partial.bytes} bytes: ${reason}`);
    }
  };

  const done = Promise.allSettled(
    schedule.map((spec) => runOne(spec).catch((e: unknown) => reportError(`exfiltration at +${spec.atSeconds} s`, e))),
  ).then(() => undefined);
  return { done, cancel: () => cancelled.abort() };
}
