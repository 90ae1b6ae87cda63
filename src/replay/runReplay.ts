import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromEvent, lastValueFrom, map, takeUntil, tap, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { DetectorParameters } from '../config/index.ts';
import { Evaluator, ReplayFiles, withFalseAlarmPromises, type ReplaySummary, type ScoredIntervals } from '../evaluation/index.ts';
import { readEvents, readManifest, type ReadProgress } from '../store/index.ts';
import type { MetricKey, RunEvent, Snapshot, Verdict } from '../types.ts';
import { AfterGap } from '../afterGap.ts';
import { intervalStart, isBefore } from '../intervalBounds.ts';
import { log } from '../logger.ts';
import { terminalText } from '../terminalText.ts';
import { detectLive } from './detectLive.ts';
import { replayThreads, type ThreadsSetting } from './offload/index.ts';
import { EventsBetweenIntervals } from './EventsBetweenIntervals.ts';
import { attacksInTraining } from './attacksInTraining.ts';
import { eventsOutsideRun } from './eventsOutsideRun.ts';
import { DEFAULT_INJECTION_PATH, injectionEdges, type InjectionWindow } from './injectExfiltration.ts';
import { injectionWarnings, type InjectionReport } from './injectionWarnings.ts';
import { replayRunAsRead } from './replayRun.ts';
import { STALE_METRIC_MIN_EDGES, type StaleMetricRead } from './staleMetricReads.ts';
import { injectionSteps, writeReplayInjection, type ReplayInjection } from './replayInjection.ts';
import { uncalibratedWarnings } from './uncalibratedWarnings.ts';
import { unseenPathWarning, watchInjectionPath } from './watchInjectionPath.ts';

/** One synthetic exfiltration schedule (a `--inject` flag). */
export interface InjectionSpec {
  /** Bytes per interval while a window is open. */
  readonly bytesPerInterval: number;
  /** Windows in seconds after the run start. */
  readonly at: readonly InjectionWindow[];
}

export interface RunReplayOptions {
  /** Folder for summary.json, scores.csv and alerts.ndjson. */
  readonly outDir: string;
  /** Detectors to run and their settings (resolved parameters' `detectors`). */
  readonly detectors: DetectorParameters;
  /** 1 = real time, 10 = ten times faster; default as fast as possible. */
  readonly speed?: number | undefined;
  /** Scheduler pacing the replay when `speed` is set. */
  readonly scheduler?: SchedulerLike | undefined;
  /** Synthetic exfiltrations added to the replayed traffic (with their ground truth). */
  readonly inject?: readonly InjectionSpec[] | undefined;
  /** Nodes the injected data flows through (default user-db,user,front-end,external). */
  readonly injectPath?: readonly string[] | undefined;
  /** Metric of each injected hop (default: by hop, see hopMetric). */
  readonly injectMetrics?: readonly MetricKey[] | undefined;
  /** Request bytes the injected client sends per byte pulled (see injectExfiltration's requestBytesPerByte; default 0). */
  readonly injectRequestBytesPerByte?: number | undefined;
  /** After each interval, with how far reading has got. */
  readonly onProgress?: ((p: ReadProgress & { readonly intervals: number }) => void) | undefined;
  /**
   * Threads to use: 2 runs OFFLOADED_DETECTORS (eigenspace) in a worker thread that reads the
   * run too (same verdicts, same files; faster where those detectors are a large share of the
   * work and a core is free); `auto` (the command line's default) decides by the run's first
   * lines (autoThreads). Not with `inject` or `speed`, which keep one thread. Default 1.
   */
  readonly threads?: ThreadsSetting | undefined;
  /** Stops the replay: it rejects with the signal's reason and leaves no unfinished files. */
  readonly signal?: AbortSignal | undefined;
  /** False-alarm rates at which summary.json gives each detector's operating point (default 0.01, 0.001). */
  readonly atFpr?: readonly number[] | undefined;
  /**
   * Ground truth to score against instead of the run's events.ndjson (`--events`); written to
   * outDir/events.ndjson so the report and anyone reading the results see which one was used.
   */
  readonly events?: readonly RunEvent[] | undefined;
  /** The file `events` came from, as warnings about them name it (default: the run's events.ndjson). */
  readonly eventsFile?: string | undefined;
  /** Each alarm as it fires, with the run's start (Unix seconds) to show times relative to it. */
  readonly onAlarm?: ((v: Verdict, runStartSeconds: number) => void) | undefined;
  /**
   * Called with the summary and the run's length (seconds from its start to its last interval's
   * end) before any file is put in place: throwing refuses the result, leaving earlier results
   * as they were (e.g. nothing was scored).
   */
  readonly checkSummary?: ((summary: ReplaySummary, runSeconds: number) => void) | undefined;
}

export interface ReplayResult {
  readonly summary: ReplaySummary;
  /** Unix seconds of the run's start (first interval's t − dt); NaN for an empty run. */
  readonly startSeconds: number;
  /** Per detector, its scored intervals on the threshold's scale: what a comparison of runs pools. */
  readonly scored: ReadonlyMap<string, ScoredIntervals>;
  /** The run is a copy of another with attacks written in (`npm run replay -- --inject … --write`): run.json's `injected`. */
  readonly injectedCopy: boolean;
}

/**
 * Replay a run through the detectors and score them against its ground truth (plus any
 * injected exfiltration): replayRun → [injectExfiltration] → detectLive → Evaluator, with
 * scores and alerts streamed to outDir and summary.json written at the end.
 */
export async function runReplay(dir: string, options: RunReplayOptions): Promise<ReplayResult> {
  const manifest = await readManifest(dir, { warn: (m) => log.warn(m) });
  const badLines = { snapshots: 0, events: 0 };
  const events: RunEvent[] = options.events ? [...options.events] : await readEvents(dir, { onBadLines: (n) => (badLines.events = n) });
  const runName = typeof manifest.name === 'string' ? manifest.name : (dir.split(/[\\/]/).filter(Boolean).pop() ?? dir);
  const evaluator = new Evaluator(runName, events, options.atFpr);
  const between = new EventsBetweenIntervals(events);
  const injected: RunEvent[] = [];
  const injectionReports: InjectionReport[] = [];
  // What is injected, kept as injection.json (the report, dashboard and export redo it from there with the same steps).
  const inject = options.inject ?? [];
  const injection: ReplayInjection | undefined =
    inject.length === 0 ? undefined : { inject, path: options.injectPath ?? null, metrics: options.injectMetrics ?? null, requestBytesPerByte: options.injectRequestBytesPerByte ?? 0 };
  const injections: MonoTypeOperatorFunction<Snapshot>[] =
    injection === undefined
      ? []
      : injectionSteps(injection, manifest, undefined, (spec) => ({
          onEvent: (e) => evaluator.addEvent(e),
          onRevised: (previous, revised) => evaluator.reviseEvent(previous, revised),
          onSettled: (windows) => injectionReports.push({ bytesPerInterval: spec.bytesPerInterval, windows }),
        }));
  // Path nodes and hop edges the run has not shown by the first injected interval: said once the replay is done.
  const injectPath = options.injectPath ?? DEFAULT_INJECTION_PATH;
  const firstInjected = Math.min(...inject.flatMap((spec) => spec.at.map((w) => w.startSeconds)));
  let unseenPath: string | undefined;
  if (Number.isFinite(firstInjected)) {
    injections.unshift(
      watchInjectionPath(injectPath, injectionEdges(injectPath), firstInjected, (missing, missingEdges, outside) => (unseenPath = unseenPathWarning(injectPath, options.injectPath === undefined, firstInjected, missing, missingEdges, outside))),
    );
  }
  const changedBy = inject.length > 0 ? '--inject' : options.speed !== undefined ? '--speed' : undefined;
  const offload = replayThreads({ threads: options.threads, dir, enabled: options.detectors.enabled, changedBy });
  const detect = detectLive(options.detectors, { metrics: manifest.metrics, offloadFrom: offload ? dir : undefined });
  let read: ReadProgress = { lines: 0, bytesRead: 0, totalBytes: 0 };
  let intervals = 0;
  let startSeconds = Number.NaN;
  let endSeconds = Number.NaN;
  // Scores that overflowed, per detector: written as NaN, and said.
  const infinite = new Map<string, number>();
  // Intervals right after a gap, which no detector learns and most do not judge (detectorOperator):
  // counted, and said, with the detectors that judged them (as a mean: DetectorCore.judgeOnly).
  const afterGapEnds = new Set<number>();
  const judgedAfterGap = new Set<string>();
  const afterGap = new AfterGap();
  // Slices read stale in one metric (staleMetricReads): the detectors see gaps there, but the
  // file does not mark them gaps, so they are counted as run-format.md counts every interval but
  // gaps: scored, NaN, judged with the detector's last threshold. Said once the replay is done.
  const staleMetric: StaleMetricRead[] = [];
  const readAsGap = new Set<number>();
  const lastThreshold = new Map<string, number>();
  const files = new ReplayFiles(options.outDir);
  try {
    let snapshots = replayRunAsRead(dir, manifest.metrics, {
      speed: options.speed,
      scheduler: options.scheduler,
      progress: (p) => (read = p),
      onBadLines: (n) => (badLines.snapshots = n),
      onStale: (r) => {
        staleMetric.push(r);
        readAsGap.add(r.t);
      },
    });
    for (const inject of injections) snapshots = snapshots.pipe(inject);
    const verdicts = snapshots.pipe(
      tap((s) => {
        if (intervals === 0) startSeconds = intervalStart(s.t, s.dt);
        endSeconds = s.t;
        intervals += 1;
        evaluator.addSnapshot(readAsGap.has(s.t) ? { ...s, gap: false } : s);
        between.addInterval(s.t, s.dt);
        // Past training (as detectorOperator decides it): there it would have been judged.
        if (afterGap.next(s.gap) && isBefore(startSeconds + options.detectors.trainingSeconds, s.t)) afterGapEnds.add(s.t);
        // A literal, not a spread of `read`: spreading into a new object costs ~1 µs, per interval.
        options.onProgress?.({ lines: read.lines, bytesRead: read.bytesRead, totalBytes: read.totalBytes, intervals });
      }),
      detect,
      map((v) => {
        if (!v.gap && !v.training) lastThreshold.set(v.detector, v.threshold);
        return v.gap && readAsGap.has(v.t) ? { ...v, gap: false, threshold: lastThreshold.get(v.detector) ?? Number.NaN } : v;
      }),
      tap((v) => {
        if ((v.score === Infinity || v.score === -Infinity) && !v.training && !v.gap) infinite.set(v.detector, (infinite.get(v.detector) ?? 0) + 1);
        if (afterGapEnds.size > 0 && !Number.isNaN(v.score) && afterGapEnds.has(v.t)) judgedAfterGap.add(v.detector);
        // The evaluator already looks at the attacks for each verdict: its answer labels the alert.
        files.addVerdict(v, evaluator.addVerdict(v));
        if (v.alarm) options.onAlarm?.(v, startSeconds);
      }),
    );
    const signal = options.signal;
    signal?.throwIfAborted();
    // Stopping unsubscribes the whole chain, which closes snapshots.ndjson.
    await lastValueFrom(signal ? verdicts.pipe(takeUntil(fromEvent(signal, 'abort'))) : verdicts, { defaultValue: undefined });
    signal?.throwIfAborted();
  } catch (e) {
    files.abort();
    throw e;
  }
  // The injected attacks as really injected (the evaluator has them already, through onRevised).
  for (const { windows } of injectionReports) for (const w of windows) if (w.injected !== undefined) injected.push(w.injected);
  // Each detector's false alarms against the rate it was calibrated to (falseAlarmPromise.ts).
  const summary: ReplaySummary = withFalseAlarmPromises({ ...evaluator.summary(), badLines }, options.detectors);
  try {
    // First: a replay that scored nothing is refused in one line, before any other remark.
    options.checkSummary?.(summary, intervals === 0 ? 0 : endSeconds - startSeconds);
  } catch (e) {
    files.abort();
    throw e;
  }
  // Warnings name the file the ground truth came from: --events', not the run's own.
  const eventsFile = options.events ? (options.eventsFile ?? 'the ground truth given (events)') : `${dir.replace(/[\\/]+$/, '')}/events.ndjson`;
  const outside = eventsOutsideRun(events, startSeconds, endSeconds, eventsFile);
  if (outside !== undefined) log.warn(outside);
  const inHoles = between.warning(eventsFile);
  if (inHoles !== undefined) log.warn(inHoles);
  if (unseenPath !== undefined) log.warn(unseenPath);
  const inTraining = attacksInTraining(events, startSeconds, options.detectors.trainingSeconds, eventsFile);
  if (inTraining !== undefined) log.warn(inTraining);
  const runSeconds = intervals === 0 ? 0 : endSeconds - startSeconds;
  for (const warning of injectionWarnings(injectionReports, runSeconds, options.detectors.trainingSeconds, manifest.intervalSeconds)) log.warn(warning);
  const span = { runStart: startSeconds, runSeconds, trainingSeconds: options.detectors.trainingSeconds, intervalSeconds: manifest.intervalSeconds };
  for (const warning of uncalibratedWarnings(summary, evaluator.uncalibratedAttacks(), span)) log.warn(warning);
  if (staleMetric.length > 0) log.warn(staleMetricNotice(staleMetric));
  if (afterGapEnds.size > 0) log.warn(afterGapNotice(afterGapEnds.size, [...judgedAfterGap]));
  for (const [detector, n] of infinite) log.warn(`${terminalText(detector)}: ${n} interval(s) scored ±Infinity (its arithmetic overflowed); written as NaN in scores.csv, their alarms as the detector decided`);
  files.finish(summary);
  // The ground truth scored against, when it is not the run's own events.ndjson (`--events`, or
  // `--inject`'s attacks added to it): the report and any reader see what was used.
  const replacedEvents = join(options.outDir, 'events.ndjson');
  if (options.events || injected.length > 0) writeFileSync(replacedEvents, [...events, ...injected].map((e) => `${JSON.stringify(e)}\n`).join(''));
  else rmSync(replacedEvents, { force: true });
  // What was injected, so the report, dashboard and export show the traffic the detectors saw.
  writeReplayInjection(options.outDir, injection);
  return { summary, startSeconds, scored: evaluator.scoredIntervals(), injectedCopy: manifest['injected'] !== undefined };
}

/** What the intervals right after a gap (learnt by none, judged by few: detectorOperator) do to the figures. */
function afterGapNotice(n: number, judgedBy: readonly string[]): string {
  const unjudged = 'score NaN in scores.csv, no alarm; counted as benign, or missed where an attack was';
  const why = "such an interval may hold the gap's traffic as well as its own (a writer that differences counters across an outage puts it there)";
  if (judgedBy.length === 0) return `${n} interval(s) right after a gap not judged by any detector (${unjudged}): ${why}`;
  return (
    `${n} interval(s) right after a gap, learnt by no detector and judged by ${judgedBy.map(terminalText).join(', ')} only, as the mean of the intervals each may hold; ` +
    `not judged by the others (${unjudged}): ${why}`
  );
}

/**
 * What staleMetricReads did, in one line that is the same for alike runs (a folder's replays say
 * it once, then count it: warnOncePerMessage): how many slices and which metrics.
 */
function staleMetricNotice(reads: readonly StaleMetricRead[]): string {
  const slices = new Set(reads.map((r) => r.t)).size;
  const metrics = [...new Set(reads.map((r) => r.metric))].sort().map(terminalText).join(', ');
  return (
    `${slices} slice(s) read one metric as 0 on every edge while its companion read traffic on ${STALE_METRIC_MIN_EDGES} or more (${metrics}): ` +
    "stale reads of that metric alone: the detectors read each as a gap, with all its traffic carried into the next readable slice; " +
    "not a gap in the file, it still counts as a scored interval (score NaN in scores.csv, no alarm; benign, or missed where an attack was)"
  );
}
