import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadParameters, parameterProblems, type DetectorParameters, type ParametersInput } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { detectorFilesFrom } from '../detectors/index.ts';
import { log } from '../logger.ts';
import { builtInsNamed, namedDetectors, preloadDetectorPlugins, recordedPluginWarnings, unknownDetectorNames, withLoadedPlugins } from '../plugins/index.ts';
import { displayPath } from './displayPath.ts';
import type { InjectionSpec } from '../replay/index.ts';
import { formatComparisonTable } from './formatComparison.ts';
import { injectionsOf } from './planSweep.ts';
import { recordedDetectors, replaySweep, type ReplaySweepOptions } from './replaySweep.ts';
import { resolveSweep } from './resolveSweep.ts';
import { readSweepIndex, SWEEP_INDEX_FILE } from './sweepIndex.ts';

/** The replay command's parsed flags that matter for a sweep (the shape parseReplayArgs returns). */
export interface SweepReplayArgs {
  readonly out?: string | undefined;
  /** `--detectors`: the detectors to run. */
  readonly detectors?: readonly string[] | undefined;
  /** `--training` seconds. */
  readonly training?: number | undefined;
  readonly speed?: number | undefined;
  /** `--inject` flags: each one is one replay of every run (one rate of the comparison). */
  readonly inject?: readonly InjectionSpec[] | undefined;
  readonly injectPath?: readonly string[] | undefined;
  readonly injectMetrics?: readonly string[] | undefined;
  /** `--detector-module` files (relative to the working directory). */
  readonly detectorModules?: readonly string[] | undefined;
  /** `--parameters` file. */
  readonly parameters?: string | undefined;
  readonly quiet?: boolean | undefined;
}

/**
 * `npm run replay -- <sweep folder>`: replay every run of the sweep and print and write the
 * comparison. Settings, like a single run's replay: detectors from the parameters module
 * (`--parameters`, else ./parameters.ts when present); when that module exports a sweep, its
 * detector-side axes and injected rates are the ones swept (so they can change without new
 * experiments); without a module, the settings recorded in sweep.json. Flags go over either.
 */
export async function replaySweepCommand(dir: string, args: SweepReplayArgs, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  if (args.speed !== undefined) throw new UserError('--speed paces the replay of one run; it does not apply to a sweep (replay one of its runs instead)');
  const options: { -readonly [K in keyof ReplaySweepOptions]: ReplaySweepOptions[K] } = {
    outDir: args.out,
    trainingSeconds: args.training,
    inject: args.inject !== undefined && args.inject.length > 0 ? args.inject : undefined,
    injectPath: args.injectPath,
    injectMetrics: args.injectMetrics,
    progress: !args.quiet,
  };
  const path = args.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  // Plugins' names are not built-ins': --detectors picks them once they are loaded (namedDetectors).
  const named = (detectors: DetectorParameters) => (args.detectors === undefined ? detectors : namedDetectors(detectors, args.detectors));
  // Where the settings came from and the plugins they load, for the warning about runs recorded with others.
  let source: string;
  let loaded: readonly string[];
  if (path !== undefined) {
    const module = await loadParameters(path);
    const origin = relative(process.cwd(), module.file) || path;
    // Files the detectors' options name are read from the file's folder, as plugins are.
    let input: ParametersInput = { ...module.parameters, detectors: detectorFilesFrom(module.parameters.detectors, dirname(module.file)) as ParametersInput['detectors'] };
    if (args.detectors !== undefined) input = { ...input, detectors: { ...input.detectors, enabled: builtInsNamed(args.detectors) } };
    // Detector plugins (issue 18) are loaded before the parameters are checked, those that fail listed with the file's other mistakes.
    const { plugins, problems: pluginProblems } = await preloadDetectorPlugins(input.detectors, dirname(module.file), args.detectorModules);
    input = { ...input, detectors: withLoadedPlugins(input.detectors, plugins) };
    const { data: params, problems } = parameterProblems(input, { pluginProblems });
    throwMistakes(origin, problems, args.detectors === undefined ? [] : unknownDetectorNames('detectors', args.detectors, plugins));
    options.detectors = named(params!.detectors);
    options.origin = origin;
    source = origin;
    loaded = plugins ?? [];
    if (module.sweep !== undefined) {
      const sweep = resolveSweep(module.sweep, params!, { origin });
      options.detectorAxes = sweep.axes.filter((a) => a.side === 'detector');
      options.inject ??= injectionsOf(sweep.inject);
      options.injectPath ??= sweep.inject?.path;
      options.injectMetrics ??= sweep.inject?.metrics;
    }
    if (!args.quiet) log.info(`detector settings${module.sweep === undefined ? '' : ', detector-side axes and injected rates'} from ${origin}`);
  } else {
    // The settings the sweep was recorded with, its plugins loaded too (else they were "not loaded" when the detectors were built).
    const file = join(dir, SWEEP_INDEX_FILE);
    const recorded = recordedDetectors(readSweepIndex(dir), file);
    const withEnabled = args.detectors === undefined ? recorded : { ...recorded, enabled: builtInsNamed(args.detectors) };
    const { plugins, problems } = await preloadDetectorPlugins(withEnabled, dir, args.detectorModules);
    throwMistakes(file, problems, args.detectors === undefined ? [] : unknownDetectorNames('detectors', args.detectors, plugins));
    options.detectors = named(withLoadedPlugins(withEnabled, plugins));
    source = file;
    loaded = plugins ?? [];
  }
  // Runs recorded with plugins these settings do not load: said once per distinct set, naming the runs, as a folder replay says it.
  const recordedRuns = readSweepIndex(dir)
    .runs.map((r) => ({ name: r.name, dir: join(dir, r.name) }))
    .filter((r) => existsSync(join(r.dir, 'run.json')));
  for (const warning of await recordedPluginWarnings(source, recordedRuns, loaded)) log.warn(warning);
  const result = await replaySweep(dir, options);
  write(`\nsweep ${result.index.name}: ${result.replays.length} replays of ${result.replays.length === 0 ? 0 : new Set(result.replays.map((r) => r.run)).size} runs\n\n`);
  write(formatComparisonTable(result.rows, result.axisNames, result.withInject));
  write(`written: ${result.files.map(displayPath).join(', ')}\n`);
  return 0;
}

/**
 * The settings' mistakes (under `origin`) and --detectors' unknown names (the command line's)
 * in one UserError, as a single run's replay words them; nothing when there is none.
 */
function throwMistakes(origin: string, problems: readonly string[], unknown: readonly string[]): void {
  if (problems.length > 0) throw new UserError(`${origin}${unknown.length === 0 ? '' : ' and the command line'}: invalid parameters:\n  ${[...problems, ...unknown].join('\n  ')}`);
  if (unknown.length > 0) throw new UserError(unknown.length === 1 ? unknown[0]! : `${unknown.length} problems with the command line:\n  ${unknown.join('\n  ')}`);
}
