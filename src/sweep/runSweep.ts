import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { InterruptedBeforeRun, runExperiment, type ExperimentHooks, type ExperimentResult } from '../experiment/index.ts';
import { log } from '../logger.ts';
import type { Snapshot } from '../types.ts';
import type { PlannedRun, SweepPlan } from './planSweep.ts';
import { resumeProblems } from './resumeProblems.ts';
import { SweepProgress } from './SweepProgress.ts';
import { buildSweepIndex, isSweepDir, readSweepIndex, writeSweepIndex, type SweepIndex, type SweepRunStatus } from './sweepIndex.ts';

/** Records one run (runExperiment; tests may substitute a stand-in). */
export type ExperimentRunner = (params: Parameters, runName: string, hooks: ExperimentHooks) => Promise<ExperimentResult>;

export interface RunSweepOptions {
  /** Aborting stops the current run cleanly (kept, complete: false) and starts no other; the sweep stays resumable. */
  readonly signal?: AbortSignal | undefined;
  /** Progress across runs and each run's own progress and alerts on stderr (default true). */
  readonly progress?: boolean | undefined;
  /** Every interval of every run as it is recorded. */
  readonly onSnapshot?: ((run: PlannedRun, snapshot: Snapshot) => void) | undefined;
  /** After each run recorded in this call. */
  readonly onRunEnd?: ((run: PlannedRun, result: ExperimentResult) => void) | undefined;
  /** Default runExperiment. */
  readonly runner?: ExperimentRunner | undefined;
  /** Clock for progress (default Date.now). */
  readonly now?: (() => number) | undefined;
}

export interface SweepResult {
  readonly dir: string;
  /** Every run of the plan is complete on disk. */
  readonly complete: boolean;
  readonly total: number;
  /** Runs recorded by this call (complete or not). */
  readonly recorded: number;
  /** Runs found complete and not recorded again. */
  readonly skipped: number;
  readonly index: SweepIndex;
}

/** Whether a run folder holds a finished run (run.json says complete: true). */
export function isRunComplete(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { complete?: unknown };
    return manifest.complete === true;
  } catch {
    return false;
  }
}

/**
 * Record every run of a sweep, one after the other, into <outputDir>/<sweep>/<run>/, keeping
 * sweep.json up to date after each. Resumable: a run whose run.json says complete: true is
 * skipped; any other folder of a planned run (interrupted, crashed, failed) is deleted and the
 * run recorded again. A folder holding a different sweep is refused (see resumeProblems).
 */
export async function runSweep(plan: SweepPlan, options: RunSweepOptions = {}): Promise<SweepResult> {
  const runner = options.runner ?? runExperiment;
  const showProgress = options.progress ?? true;
  let createdAt = new Date().toISOString();
  if (isSweepDir(plan.dir)) {
    const previous = readSweepIndex(plan.dir);
    const problems = resumeProblems(previous, plan);
    if (problems.length > 0) {
      throw new UserError(
        `${plan.dir} holds sweep "${previous.name}" recorded with other settings, so it cannot be continued:\n  ${problems.join('\n  ')}\n` +
          'give this sweep another name (sweep.name or --name), or delete the folder to start over',
      );
    }
    createdAt = previous.createdAt;
    const planned = new Set(plan.runs.map((r) => r.name));
    const dropped = previous.runs.filter((r) => !planned.has(r.name) && existsSync(join(plan.dir, r.name))).length;
    if (dropped > 0) log.warn(`sweep ${plan.sweep.name}: ${dropped} run folder(s) of the previous definition are no longer part of the sweep (kept, not replayed)`);
  } else if (existsSync(plan.dir) && readdirSync(plan.dir).length > 0) {
    throw new UserError(`${plan.dir} exists and is not a sweep folder (no sweep.json); give the sweep another name (sweep.name or --name)`);
  }
  mkdirSync(plan.dir, { recursive: true });

  const status = new Map<string, SweepRunStatus>();
  for (const run of plan.runs) status.set(run.name, isRunComplete(join(plan.dir, run.name)) ? 'complete' : 'pending');
  const save = (): SweepIndex => {
    const index = buildSweepIndex(plan, (name) => status.get(name) ?? 'pending', createdAt);
    writeSweepIndex(plan.dir, index);
    return index;
  };
  let index = save();

  const progress = new SweepProgress(showProgress, plan.sweep.name, plan.runs.length, options.now);
  const skipped = [...status.values()].filter((s) => s === 'complete').length;
  progress.skipped(skipped);
  let recorded = 0;
  for (const [i, run] of plan.runs.entries()) {
    if (status.get(run.name) === 'complete') continue;
    if (options.signal?.aborted) break;
    const runDir = join(plan.dir, run.name);
    // Whatever is there is an unfinished attempt: a run is recorded whole or not at all.
    if (existsSync(runDir)) rmSync(runDir, { recursive: true, force: true });
    const remaining = plan.runs.slice(i).reduce((sum, r) => sum + (status.get(r.name) === 'complete' ? 0 : r.parameters.durationSeconds), 0);
    progress.runStarting(i + 1, run.name, remaining);
    status.set(run.name, 'running');
    index = save();
    let result: ExperimentResult;
    try {
      result = await runner(run.parameters, run.name, {
        signal: options.signal,
        progress: showProgress,
        onSnapshot: options.onSnapshot ? (s) => options.onSnapshot!(run, s) : undefined,
      });
    } catch (e) {
      // Stopped before its folder existed (a cluster still starting): not recorded, so still to do.
      const stopped = e instanceof InterruptedBeforeRun;
      status.set(run.name, stopped ? 'pending' : 'failed');
      index = save();
      if (!stopped) throw e;
      log.warn(e.message);
      break;
    }
    recorded += 1;
    status.set(run.name, result.complete ? 'complete' : 'interrupted');
    index = save();
    progress.runEnded(run.parameters.durationSeconds, result.complete);
    options.onRunEnd?.(run, result);
    if (!result.complete) break;
  }
  const complete = plan.runs.every((r) => status.get(r.name) === 'complete');
  return { dir: plan.dir, complete, total: plan.runs.length, recorded, skipped, index };
}
