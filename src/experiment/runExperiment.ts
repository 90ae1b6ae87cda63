import { join } from 'node:path';
import { Subscription, defaultIfEmpty, lastValueFrom } from 'rxjs';
import { attacksPastTheEnd, checkAttacks, scheduleAttacks } from '../attacks/index.ts';
import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { scheduleExfiltration } from '../exfiltration/index.ts';
import { log, reportError } from '../logger.ts';
import { detectLive } from '../replay/index.ts';
import { assertNoRun, assertRunWritable, RUN_FORMAT, RunWriter } from '../store/index.ts';
import type { RunEvent, Snapshot, Target, TelemetrySource, TrafficGenerator, TrafficStats, Verdict } from '../types.ts';
import { isAbort } from './abort.ts';
import { InterruptedBeforeRun } from './InterruptedBeforeRun.ts';
import { checkPrometheusUrl } from './checkPrometheusUrl.ts';
import { chooseSource } from './chooseSource.ts';
import { chooseTraffic } from './chooseTraffic.ts';
import { ProgressLine } from './ProgressLine.ts';
import { recordSnapshots } from './recordSnapshots.ts';
import { startTarget } from './startTarget.ts';

export interface ExperimentResult {
  /** Run directory written. */
  readonly dir: string;
  /** False when interrupted. */
  readonly complete: boolean;
  /** Intervals recorded (gaps included). */
  readonly intervals: number;
  readonly gaps: number;
  /** Exfiltrations performed. */
  readonly exfiltrations: number;
  /** Scans and lateral movements performed (incomplete ones included). */
  readonly scans: number;
  readonly lateralMovements: number;
  /** Alarms raised by the live detectors. */
  readonly alarms: number;
}

export interface ExperimentHooks {
  /** Aborting stops the experiment cleanly and leaves a readable run marked complete: false. */
  readonly signal?: AbortSignal;
  /** Every interval as it is recorded (for the dashboard and tests). */
  readonly onSnapshot?: (snapshot: Snapshot) => void;
  /** Every live verdict. */
  readonly onVerdict?: (verdict: Verdict) => void;
  /** Every event as it is appended to events.ndjson (exfiltrations, traffic changes). */
  readonly onEvent?: (event: RunEvent) => void;
  /** Print progress and alerts (default true). */
  readonly progress?: boolean;
  /** The file the parameters came from, named in advice such as "choose another outputDir in …" (default parameters.ts). */
  readonly parametersFile?: string;
}

/**
 * One experiment, start to end: target up, traffic on, telemetry polled into differential
 * matrices (appended to the run as they come), exfiltrations, scans and lateral movements at their times, live detectors
 * printing alerts; then everything started is stopped, in reverse order, whatever happened.
 */
export async function runExperiment(params: Parameters, runName: string, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  // The same detectors replay runs; built (and their options checked) before anything starts,
  // so a typo does not cost a whole run.
  const detect = detectLive(params.detectors, { metrics: params.telemetry.metrics });
  const dir = join(params.outputDir, runName);
  assertNoRun(dir);
  // A read-only or unwritable output folder is found now, not after the mesh has started.
  assertRunWritable(dir, hooks.parametersFile);
  const progress = new ProgressLine(hooks.progress ?? true, params.durationSeconds, params.exfiltration.length, { scans: params.scan.length, lateralMovements: params.lateral.length });
  const cleanups: (() => Promise<unknown>)[] = [];
  let writer: RunWriter | undefined;
  let target: Target | undefined;
  let source: TelemetrySource | undefined;
  let traffic: TrafficGenerator | undefined;
  let trafficStats: TrafficStats | undefined;
  let exfiltrations = 0;
  let scans = 0;
  let lateralMovements = 0;
  let alarms = 0;
  let interrupted = hooks.signal?.aborted ?? false;
  // The run's files could not be written (disk full, folder gone read-only): the run stops with that error.
  let recordingFailure: unknown;
  // Any other failure: rethrown, and the run folder (if any) says complete: false, never true.
  let failed = false;
  const subscriptions = new Subscription();
  const appendEvent = (event: RunEvent) => {
    writer?.appendEvent(event);
    hooks.onEvent?.(event);
    if (event.kind === 'exfiltration') {
      exfiltrations += 1;
      progress.exfiltrationDone(event);
    } else if (event.kind === 'scan' || event.kind === 'lateral') {
      if (event.kind === 'scan') scans += 1;
      else lateralMovements += 1;
      progress.attackDone(event);
    }
  };

  try {
    // Before anything starts: an unreachable Prometheus of the user's is one error line, not a run of gaps.
    await checkPrometheusUrl(params, (m) => progress.note(m));
    // The run folder appears only once the target is up: a failed preflight leaves nothing behind.
    target = await startTarget(params, (m) => progress.note(m), hooks.signal);
    cleanups.push(() => target!.stop());
    checkCompromisable(params, target);
    // The embedded target's attacks were checked with the other parameters (its services and
    // topology are fixed); a cluster's are known only now.
    checkAttacks(params, target, hooks.parametersFile);
    // Tries due after the recording ends are not made (scheduleAttacks' endsAtSeconds): say so now.
    for (const warning of attacksPastTheEnd(params, target)) log.warn(warning);
    writer = RunWriter.create(dir, {
      format: RUN_FORMAT,
      name: runName,
      createdAt: new Date().toISOString(),
      intervalSeconds: params.intervalSeconds,
      metrics: params.telemetry.metrics,
      services: target.services,
      target: target.describe?.() ?? { kind: target.kind },
      parameters: params,
    });
    const run = writer;
    hooks.signal?.throwIfAborted();

    // A Ctrl-C while the managed Prometheus starts (it takes the Ctrl-C too) ends its start-up as an abort.
    const chosen = await chooseSource(params, target, (m) => progress.note(m), hooks.signal);
    source = chosen;
    cleanups.push(() => chosen.close());
    run.updateManifest({ source: source.describe() });
    hooks.signal?.throwIfAborted();

    traffic = await chooseTraffic(params, target, dir, appendEvent, (m) => progress.note(m));
    const trafficGen = traffic;
    cleanups.push(async () => {
      trafficStats = await trafficGen.stop();
    });
    run.updateManifest({ traffic: { generator: traffic.kind } });
    hooks.signal?.throwIfAborted();
    // Locust takes seconds to start its users: a Ctrl-C meanwhile must not start the recording and the attacks.
    try {
      await traffic.start();
    } catch (e) {
      // The Ctrl-C can reach Locust too (while it is being spawned, before it has its own
      // process group): its failure to start is then the stop munnin was asked for.
      hooks.signal?.throwIfAborted();
      throw e;
    }
    hooks.signal?.throwIfAborted();

    const snapshots = recordSnapshots(source, {
      intervalSeconds: params.intervalSeconds,
      intervals: Math.round(params.durationSeconds / params.intervalSeconds),
      metrics: params.telemetry.metrics,
      signal: hooks.signal,
      onStart: (t) => {
        progress.start(t);
        const exfil = scheduleExfiltration(params.exfiltration, { target: target!, startedAtSeconds: t, onEvent: appendEvent });
        cleanups.push(async () => {
          exfil.cancel();
          await exfil.done;
        });
        // The recording ends with its last interval: tries due later would be in none of them.
        const endsAtSeconds = t + Math.round(params.durationSeconds / params.intervalSeconds) * params.intervalSeconds;
        const attacks = scheduleAttacks(params, { target: target!, startedAtSeconds: t, endsAtSeconds, onEvent: appendEvent });
        cleanups.push(async () => {
          attacks.cancel();
          await attacks.done;
        });
      },
      onSnapshot: (snapshot) => {
        try {
          run.appendSnapshot(snapshot);
        } catch (e) {
          recordingFailure = e;
          throw e;
        }
        progress.interval(snapshot, run.snapshotCount, run.gapCount);
        hooks.onSnapshot?.(snapshot);
      },
    });
    subscriptions.add(
      snapshots.pipe(detect).subscribe({
        next: (verdict) => {
          hooks.onVerdict?.(verdict);
          if (verdict.alarm) {
            alarms += 1;
            progress.alarm(verdict);
          }
        },
        // A recording failure reaches this subscriber too; it is the run's error, not the detectors'.
        error: (e) => {
          if (e !== recordingFailure) reportError('live detectors', e);
        },
      }),
    );
    await lastValueFrom(snapshots.pipe(defaultIfEmpty(undefined)));
    if (hooks.signal?.aborted) interrupted = true;
  } catch (e) {
    if (e !== recordingFailure) {
      if (!isAbort(e)) {
        failed = true;
        throw e;
      }
      interrupted = true;
    }
  } finally {
    subscriptions.unsubscribe();
    progress.stop(interrupted);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        reportError('while stopping', e);
      }
    }
    try {
      if (trafficStats) writer?.writeJson('traffic-stats.json', trafficStats);
      writer?.finish({ complete: !interrupted && recordingFailure === undefined && !failed, endedAt: new Date().toISOString(), intervals: writer.snapshotCount, gaps: writer.gapCount });
    } catch (e) {
      // Already failing for the same reason: say what is kept rather than hide the first error.
      if (recordingFailure === undefined) recordingFailure = e;
      else log.warn(`${(e as Error).message}`);
    }
  }
  if (recordingFailure !== undefined) {
    const kept = writer ? `; the ${writer.snapshotCount} interval(s) recorded before it are kept in ${dir} (run.json says complete: false)` : '';
    throw recordingFailure instanceof UserError ? new UserError(`${recordingFailure.message}${kept}`) : recordingFailure;
  }
  // Only a stop gets here without a writer (any other failure before it was rethrown above).
  if (!writer) throw new InterruptedBeforeRun(dir);
  if (interrupted) log.warn(`interrupted: ${writer.snapshotCount} intervals kept in ${dir} (run.json says complete: false)`);
  return { dir, complete: !interrupted, intervals: writer.snapshotCount, gaps: writer.gapCount, exfiltrations, scans, lateralMovements, alarms };
}

/** `egress` from a workload the target cannot compromise would fail only when it fires, mid-run. */
function checkCompromisable(params: Parameters, target: Target): void {
  const allowed = target.compromisable;
  if (!allowed) return;
  params.exfiltration.forEach((x, i) => {
    if (x.method === 'egress' && !allowed.includes(x.workload)) {
      throw new UserError(`exfiltration[${i}].workload: the ${target.kind} target cannot compromise "${x.workload}" (choose one of ${allowed.join(', ')})`);
    }
  });
}
