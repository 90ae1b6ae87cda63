import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { displayPath } from './displayPath.ts';
import { injectionsOf, planSweep, planVariants } from './planSweep.ts';
import { resolveSweep } from './resolveSweep.ts';
import { formatDuration } from './SweepProgress.ts';
import { runSweep, type RunSweepOptions, type SweepResult } from './runSweep.ts';

export interface ExperimentSweepOptions {
  /** The parameters file, for messages. */
  readonly origin: string;
  /** `--name`: the sweep's folder name, over the sweep's own name. */
  readonly name?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** No progress on stderr. */
  readonly quiet?: boolean | undefined;
  /** Where the summary lines go (default stdout). */
  readonly write?: ((text: string) => void) | undefined;
  /** Passed to runSweep (tests). */
  readonly runner?: RunSweepOptions['runner'];
}

/**
 * `npm run experiment -- --sweep`: check the parameters module's sweep against the (flag-
 * adjusted, resolved) base parameters, say what will run, record the runs (resuming an earlier
 * attempt), and say how to replay. Exit code 0 when every run is complete, 130 when stopped.
 */
export async function experimentSweep(definition: unknown, base: Parameters, options: ExperimentSweepOptions): Promise<{ code: number; result: SweepResult }> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  if (definition === undefined) {
    throw new UserError(`${options.origin} exports no sweep: add \`export const sweep = defineSweep({ axes: { ... } })\` (README "Sweeps")`);
  }
  const sweep = resolveSweep(definition, base, { origin: options.origin, name: options.name });
  const plan = planSweep(sweep);
  const experimentAxes = sweep.axes.filter((a) => a.side === 'experiment');
  const detectorAxes = sweep.axes.filter((a) => a.side === 'detector');
  const shape = [...experimentAxes.map((a) => `${a.name} ${a.values.length}`), `${sweep.repeats} repeat${sweep.repeats === 1 ? '' : 's'}`].join(' × ');
  const recordedSeconds = plan.runs.reduce((sum, r) => sum + r.parameters.durationSeconds, 0);
  const dir = displayPath(plan.dir);
  const replayTime = [
    ...detectorAxes.map((a) => `${a.name} (${a.values.length} values)`),
    ...(sweep.inject ? [`inject (${sweep.inject.bytesPerInterval.length} rates)`] : []),
  ];
  write(
    `sweep ${sweep.name}: ${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} (${shape}) into ${dir}, at least ${formatDuration(recordedSeconds * 1000)} of recording\n` +
      (replayTime.length > 0 ? `  swept when replaying, ${planVariants(sweep.axes, injectionsOf(sweep.inject)).length} replays per run: ${replayTime.join(', ')}\n` : ''),
  );
  const result = await runSweep(plan, { signal: options.signal, progress: !options.quiet, runner: options.runner });
  const complete = result.index.runs.filter((r) => r.status === 'complete').length;
  write(
    `\nsweep written to ${dir}: ${complete}/${result.total} runs complete` +
      (result.skipped > 0 ? ` (${result.skipped} from before)` : '') +
      (result.complete ? '\n' : `; run the same command again to record the rest\n`) +
      `replay and compare with:\n  npm run replay -- ${dir}\n`,
  );
  return { code: result.complete ? 0 : 130, result };
}
