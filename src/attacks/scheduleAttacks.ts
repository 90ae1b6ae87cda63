import type { LateralSpec, ScanSpec } from '../config/index.ts';
import { log, reportError } from '../logger.ts';
import { sleep } from '../traffic/sleep.ts';
import type { InformationalKind, ProbeTally, RunEvent, Target } from '../types.ts';
import { AttackError } from './AttackError.ts';
import { lateralPath, scanPath, scanTargets } from './attackPaths.ts';
import { roundMillis } from '../roundMillis.ts';

export interface AttackScheduleOptions {
  /** The application: it runs the attacks (scan, lateral) and names its services. */
  readonly target: Pick<Target, 'services' | 'scan' | 'lateral'>;
  /** Unix seconds the schedule's atSeconds count from. */
  readonly startedAtSeconds: number;
  /**
   * Unix seconds the recording ends (its last interval's end). Attacks still running then stop
   * before their next try and are recorded as cut short: a try made later (while the run shuts
   * down) would be in no recorded interval, yet counted in the event's `attempts`. Default: none.
   */
  readonly endsAtSeconds?: number;
  /** Receives each attack's event when it finishes (to append to events.ndjson). */
  readonly onEvent: (event: RunEvent) => void;
  /** Unix seconds now (default Date.now() / 1000). */
  readonly now?: () => number;
}

export interface AttackHandle {
  /** Settles (never rejects) when every attack has finished, failed or been cancelled. */
  readonly done: Promise<void>;
  /** Stop: attacks not yet begun never happen, those in flight stop before their next probe. Idempotent. */
  cancel(): void;
}

/** The run format wants end > start for a span; an attack over in no measurable time still took this long. */
const MIN_SPAN_SECONDS = 0.001;

type Planned = { readonly kind: 'scan'; readonly spec: ScanSpec } | { readonly kind: 'lateral'; readonly spec: LateralSpec };

/**
 * Run each scan and lateral movement at startedAtSeconds + atSeconds (at once when that has
 * passed) and, as each finishes, report it as the run format's `scan` (path [workload, "*"])
 * or `lateral` (path [workload, to]) event, with the real start and end, what it tried
 * (`attempts`) and what answered. One cut short by cancel() or a failure having tried
 * something is still reported, with `incomplete: true` and the reason; one that tried nothing
 * becomes the informational `scan-failed` / `lateral-failed`.
 */
export function scheduleAttacks(attacks: { readonly scan: readonly ScanSpec[]; readonly lateral: readonly LateralSpec[] }, options: AttackScheduleOptions): AttackHandle {
  if (!Number.isFinite(options.startedAtSeconds)) throw new RangeError(`startedAtSeconds must be a number (got ${options.startedAtSeconds})`);
  const now = options.now ?? (() => Date.now() / 1000);
  // One signal stops the attacks, for cancel() or the end of the recording (`endedFirst` says which came first).
  const stopping = new AbortController();
  const stopped = stopping.signal;
  let endedFirst = false;
  const endTimer =
    options.endsAtSeconds === undefined
      ? undefined
      : setTimeout(() => {
          endedFirst = !stopped.aborted;
          stopping.abort();
        }, Math.max(0, (options.endsAtSeconds - now()) * 1000));
  const { target } = options;

  const emit = (event: RunEvent) => {
    try {
      options.onEvent(event);
    } catch (e) {
      reportError('attack: event listener', e);
    }
  };

  const perform = (p: Planned): Promise<ProbeTally> => {
    const signal = stopped;
    if (p.kind === 'scan') {
      if (!target.scan) return Promise.reject(new AttackError('the target cannot run scans', { attempts: 0, answered: 0 }));
      return target.scan(p.spec.workload, scanTargets(p.spec, target), { secondsBetweenTargets: p.spec.secondsBetweenTargets, signal });
    }
    if (!target.lateral) return Promise.reject(new AttackError('the target cannot run lateral movements', { attempts: 0, answered: 0 }));
    return target.lateral(p.spec.workload, p.spec.to, { calls: p.spec.calls, secondsBetweenCalls: p.spec.secondsBetweenCalls, signal });
  };

  const detailOf = (p: Planned): Record<string, unknown> =>
    p.kind === 'scan'
      ? { path: scanPath(p.spec), atSeconds: p.spec.atSeconds, workload: p.spec.workload, secondsBetweenTargets: p.spec.secondsBetweenTargets, services: scanTargets(p.spec, target).map((t) => t.service), otherPorts: p.spec.otherPorts }
      : { path: lateralPath(p.spec), atSeconds: p.spec.atSeconds, workload: p.spec.workload, to: p.spec.to, calls: p.spec.calls };

  const runOne = async (p: Planned): Promise<void> => {
    const delayMillis = (options.startedAtSeconds + p.spec.atSeconds - now()) * 1000;
    if (delayMillis > 0) await sleep(delayMillis, stopped);
    if (stopped.aborted) return;
    const detail = detailOf(p);
    const start = now();
    const span = () => ({ start, end: Math.max(now(), start + MIN_SPAN_SECONDS) });
    try {
      const tally = await perform(p);
      emit({ kind: p.kind, ...span(), ...detail, attempts: tally.attempts, answered: tally.answered });
      log.debug(`${p.kind} from ${p.spec.workload} at +${p.spec.atSeconds} s: ${tally.attempts} attempts, ${tally.answered} answered`);
    } catch (e) {
      const reason = endedFirst
        ? `the recording ended at +${roundMillis(options.endsAtSeconds! - options.startedAtSeconds)} s: tries due later were not made (they would be in no recorded interval)`
        : e instanceof Error
          ? e.message
          : String(e);
      const partial = e instanceof AttackError ? e.partial : { attempts: 0, answered: 0 };
      const counts = { attempts: partial.attempts, answered: partial.answered };
      if (partial.attempts > 0) emit({ kind: p.kind, ...span(), ...detail, ...counts, incomplete: true, reason });
      else emit({ kind: `${p.kind}-failed` satisfies InformationalKind, ...span(), ...detail, ...counts, reason });
      // Cancelled or stopped at the end (warned about before the run, see attacksPastTheEnd): no failure.
      if (!stopped.aborted) log.warn(`${p.kind} from ${p.spec.workload} at +${p.spec.atSeconds} s failed after ${partial.attempts} attempts: ${reason}`);
    }
  };

  const planned: Planned[] = [...attacks.scan.map((spec) => ({ kind: 'scan' as const, spec })), ...attacks.lateral.map((spec) => ({ kind: 'lateral' as const, spec }))];
  const done = Promise.allSettled(planned.map((p) => runOne(p).catch((e: unknown) => reportError(`${p.kind} at +${p.spec.atSeconds} s`, e)))).then(() => clearTimeout(endTimer));
  return {
    done,
    cancel: () => {
      clearTimeout(endTimer);
      stopping.abort();
    },
  };
}
