import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { DetectorParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { compareRuns, POOLING_NOTE, runsComparisonCsv, type ReplayedRun, type ReplaySummary, type RunsComparison } from '../evaluation/index.ts';
import { log } from '../logger.ts';
import { terminalText } from '../terminalText.ts';
import type { MetricKey } from '../types.ts';
import { isWritableDir, listRunDirs, type RunDir } from './listRunDirs.ts';
import { ReplayProgress } from './ReplayProgress.ts';
import type { ThreadsSetting } from './offload/index.ts';
import { runReplay, type InjectionSpec } from './runReplay.ts';
import { StagedOutput } from './StagedOutput.ts';
import { warnOncePerMessage } from './warnOncePerMessage.ts';

export const RUNS_COMPARISON_FORMAT = 'munnin-runs-comparison/1';

export interface ReplayFolderOptions {
  /** Detector settings, the same for every run. */
  readonly detectors: DetectorParameters;
  /**
   * Folder for comparison.json, comparison.csv and the chart (default: the folder of runs).
   * When given, every run's outputs go to `<outDir>/runs/<run>/` as well; otherwise to the
   * run's own `replay/` (as a sweep's), or `<folder>/runs/<run>/` when the run's folder is read-only.
   */
  readonly outDir?: string | undefined;
  /** Synthetic exfiltrations added to every run. */
  readonly inject?: readonly InjectionSpec[] | undefined;
  readonly injectPath?: readonly string[] | undefined;
  readonly injectMetrics?: readonly MetricKey[] | undefined;
  /** Request bytes the injected client sends per byte pulled (see injectExfiltration). */
  readonly injectRequestBytesPerByte?: number | undefined;
  /** Operating points in each run's summary.json. */
  readonly atFpr?: readonly number[] | undefined;
  /** Threads per replay (see RunReplayOptions.threads; `auto` decides run by run). Default 1. */
  readonly threads?: ThreadsSetting | undefined;
  /** Throwing refuses a run's result (e.g. nothing scored): that run counts as failed. */
  readonly checkSummary?: ((runDir: string, summary: ReplaySummary, runSeconds: number) => void) | undefined;
  /** Progress on stderr (default true). */
  readonly progress?: boolean | undefined;
  /** Stops between or inside replays; the runs done keep their outputs, no comparison is written. */
  readonly signal?: AbortSignal | undefined;
  /** Draw charts (the caller's renderer; left out: none). */
  readonly drawCharts?: ((comparison: RunsComparison, outDir: string) => Promise<string[]>) | undefined;
}

export interface FailedRun {
  readonly run: string;
  readonly dir: string;
  readonly message: string;
}

export interface FolderReplay {
  readonly runs: readonly ReplayedRun[];
  /** Where each replayed run's outputs went. */
  readonly outputs: ReadonlyMap<string, string>;
  readonly failed: readonly FailedRun[];
  readonly comparison: RunsComparison;
  /** comparison.json, comparison.csv, then any chart. */
  readonly files: readonly string[];
}

/**
 * Replay every run of a folder of runs (recorded, imported, synthetic: any folder holding
 * run.json) with the same settings, then compare the detectors over all of them
 * (compareRuns): comparison.json, comparison.csv and the charts. A run that cannot be
 * replayed (a broken run.json, nothing scored) is reported and left out; the others go on.
 */
export async function replayFolder(dir: string, options: ReplayFolderOptions): Promise<FolderReplay> {
  const runDirs = listRunDirs(dir);
  const outDir = options.outDir ?? dir;
  const placeOf = (r: RunDir) => (options.outDir === undefined && isWritableDir(r.dir) ? join(r.dir, 'replay') : join(outDir, 'runs', r.name));
  if (!canWrite(outDir)) {
    throw new UserError(`${outDir}: cannot write the comparison there (read-only); choose another folder with --out`);
  }
  const runs: ReplayedRun[] = [];
  const outputs = new Map<string, string>();
  const failed: FailedRun[] = [];
  const show = options.progress ?? true;
  const restoreLog = warnOncePerMessage("this folder's runs");
  try {
    for (const [i, r] of runDirs.entries()) {
      options.signal?.throwIfAborted();
      const place = placeOf(r);
      if (show) log.info(`replaying ${i + 1}/${runDirs.length}: ${terminalText(r.name)}${place === join(r.dir, 'replay') ? '' : ` (outputs in ${place})`}`);
      const progress = new ReplayProgress(show, `  ${r.name}`);
      let staged: StagedOutput | undefined;
      try {
        staged = StagedOutput.begin(place);
        const result = await runReplay(r.dir, {
          outDir: staged.dir,
          detectors: options.detectors,
          inject: options.inject,
          injectPath: options.injectPath,
          injectMetrics: options.injectMetrics,
          injectRequestBytesPerByte: options.injectRequestBytesPerByte,
          atFpr: options.atFpr,
          threads: options.threads,
          signal: options.signal,
          onProgress: (p) => progress.update(p),
          checkSummary: options.checkSummary === undefined ? undefined : (summary, seconds) => options.checkSummary!(r.dir, summary, seconds),
        });
        staged.commit();
        runs.push({ run: r.name, summary: result.summary, scored: result.scored, injectedCopy: result.injectedCopy });
        outputs.set(r.name, place);
      } catch (e) {
        if (options.signal?.aborted) throw e;
        const message = e instanceof Error ? e.message : String(e);
        if (!(e instanceof UserError) && e instanceof Error && e.stack) log.debug(e.stack);
        log.warn(`${terminalText(r.name)}: not replayed: ${message}`);
        failed.push({ run: r.name, dir: r.dir, message });
      } finally {
        progress.clear();
        staged?.discard();
      }
    }
  } finally {
    restoreLog();
  }
  if (runs.length === 0) throw new UserError(`${dir}: none of its ${runDirs.length} run(s) could be replayed:\n  ${failed.map((f) => `${terminalText(f.run)}: ${f.message}`).join('\n  ')}`);

  const comparison = compareRuns(runs, options.detectors.falseAlarmRate);
  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, 'comparison.json');
  const document = {
    format: RUNS_COMPARISON_FORMAT,
    folder: dir,
    createdAt: new Date().toISOString(),
    pooling: POOLING_NOTE,
    ...comparison,
    runs: runs.map((r) => ({ run: r.run, summary: relative(outDir, join(outputs.get(r.run)!, 'summary.json')), attacks: r.summary.attacks.length, scoredIntervals: r.summary.scoredIntervals })),
    failed,
  };
  writeFileSync(jsonFile, `${JSON.stringify(document, null, 2)}\n`);
  const csvFile = join(outDir, 'comparison.csv');
  writeFileSync(csvFile, runsComparisonCsv(comparison, runs));
  const charts = options.drawCharts === undefined ? [] : await options.drawCharts(comparison, outDir);
  return { runs, outputs, failed, comparison, files: [jsonFile, csvFile, ...charts] };
}

/** A folder this process may write: writable as it is, or not there yet under a writable parent. */
function canWrite(dir: string): boolean {
  let path = resolve(dir);
  while (!existsSync(path)) {
    const up = dirname(path);
    if (up === path) return false;
    path = up;
  }
  return isWritableDir(path);
}
