import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { detectorOptionProblems } from '../config/detectorOptionProblems.ts';
import { detectorParameterProblems, loadParameters, type DetectorParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { detectorFilesFrom, detectorOptionWarnings } from '../detectors/index.ts';
import { formatSummaryTable, type ReplaySummary } from '../evaluation/index.ts';
import { log } from '../logger.ts';
import { builtInsNamed, namedDetectors, pluginsNotLoaded, pluginsNotLoadedWarning, preloadDetectorPlugins, unknownDetectorNames, withLoadedPlugins } from '../plugins/index.ts';
import { formatAlert, ReplayProgress, runReplay, StagedOutput } from '../replay/index.ts';
import { checkWritableDir, describeFsError, readEventsFile, readManifest } from '../store/index.ts';
import { isSweepDir } from '../sweep/sweepIndex.ts';
import { commandLineError } from './flagProblems.ts';
import type { ReplayArgs } from './replayFlags.ts';
import { refuseSingleRunFlags } from './singleRunFlags.ts';
import { allowTypeScriptImports } from './typescriptOnDemand.ts';
import { objectField } from '../objectField.ts';

/** `npm run replay` after its flags are read: loaded only then (replay.ts keeps `--help` light). */
export async function replayCommand(args: ReplayArgs): Promise<number> {
  const parametersFile = args.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  if (parametersFile !== undefined) await allowTypeScriptImports(parametersFile);
  if (isSweepDir(args.dir)) {
    refuseSingleRunFlags(args, 'sweep');
    const { replaySweepCommand } = await import('../sweep/replaySweepCommand.ts');
    return replaySweepCommand(args.dir, args);
  }
  if (isFolderOfRuns(args.dir)) {
    const { replayFolderCommand } = await import('./replayFolderCommand.ts');
    return replayFolderCommand(args);
  }
  const settings = await detectorSettings(args.dir, args.parameters, args.detectors, args.training, args.detectorModules);
  const detectors = settings.detectors;
  process.stdout.write(`detector settings: ${settings.origin}\n`);
  if (settings.trainingWarning !== undefined) log.warn(settings.trainingWarning);
  if (settings.pluginWarning !== undefined) log.warn(settings.pluginWarning);
  for (const warning of settings.optionWarnings) log.warn(warning);
  const outDir = args.out ?? join(args.dir, 'replay');
  const events = args.events === undefined ? undefined : await readEventsFile(args.events);
  const progress = new ReplayProgress(!args.quiet, `replaying ${args.dir}`);
  // Everything is written aside and swapped in whole at the end: a replay stopped at any
  // point leaves the earlier outputs (report, images and summary) together, never mixed.
  const manifest = await readManifest(args.dir); // a run to replay, before any folder is made beside it
  // An interrupted run reads like a finished one otherwise (only the report's `complete` row said so).
  if (manifest.complete === false) log.warn(`${args.dir}: run.json says "complete": false: the recording stopped before its planned end (Ctrl-C or a failure); it is scored on what it recorded`);
  // A file at --out is refused before the replay runs (it would be moved aside for a folder).
  checkWritableDir(outDir, 'the replay output', 'choose another folder with --out');
  const staged = StagedOutput.begin(outDir);
  // Ctrl-C: stop reading, remove the unfinished files, keep any earlier results.
  const controller = new AbortController();
  const onSignal = () => controller.abort(new UserError('interrupted; no results written (earlier results kept)'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { summary } = await runReplay(args.dir, {
      outDir: staged.dir,
      detectors,
      signal: controller.signal,
      events,
      eventsFile: args.events,
      speed: args.speed,
      threads: args.threads,
      inject: args.inject,
      injectPath: args.injectPath,
      injectMetrics: args.injectMetrics,
      injectRequestBytesPerByte: args.injectRequests,
      atFpr: args.atFpr,
      onProgress: (p) => progress.update(p),
      // Paced replays show alerts as a live run would; fast ones only summarise.
      onAlarm: args.speed === undefined || args.quiet ? undefined : (v, start) => progress.note(formatAlert(v, start)),
      checkSummary: (summary, runSeconds) => refuseNothingScored(args.dir, summary, runSeconds, settings.training),
    }).finally(() => progress.clear());
    process.stdout.write(`\n${formatSummaryTable(summary, { operatingPoints: args.atFpr !== undefined })}\n`);
    if (args.report) {
      // The report's charts (chart.js on @napi-rs/canvas) load only when a report is written.
      const { writeReport } = await import('../report/writeReport.ts');
      await writeReport({ runDir: args.dir, replayDir: staged.dir, parameters: { detectors }, progress: !args.quiet }).catch((e: unknown) => {
        throw describeFsError(e, join(outDir, 'report.html'), 'write the report', 'free some space or choose another folder with --out');
      });
    }
    controller.signal.throwIfAborted();
    staged.commit();
  } finally {
    staged.discard();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const out = shortPath(outDir);
  process.stdout.write(`written: ${join(out, 'summary.json')}, ${join(out, 'scores.csv')}, ${join(out, 'alerts.ndjson')}\n`);
  if (args.report) process.stdout.write(`report: ${join(out, 'report.html')}\n`);
  return 0;
}

/** A folder that is not a run itself (no run.json): a folder of runs, replayed one by one and compared. */
function isFolderOfRuns(dir: string): boolean {
  if (existsSync(join(dir, 'run.json'))) return false;
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Relative to the working directory when inside it, absolute otherwise. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

export interface DetectorSettings {
  readonly detectors: DetectorParameters;
  /** Where they came from, as printed: `parameters.ts`, `--parameters x.ts`, the run's run.json, defaults. */
  readonly origin: string;
  /** Where they came from, as warnings name it: the file, the run's run.json, `the defaults`. */
  readonly source: string;
  /** The detector plugins loaded (absolute), also those --detectors leaves out. */
  readonly pluginsLoaded: readonly string[];
  /** Where the training stretch came from, for the message when it covers the whole run. */
  readonly training: string;
  /** Said when a parameters file's training stretch differs from the one the run recorded (its detectors trained that long live). */
  readonly trainingWarning?: string;
  /** Said when the run was recorded with detector plugins that these settings do not load (their detectors are not replayed). */
  readonly pluginWarning?: string;
  /** Settings with no effect beside another (detectorOptionWarnings), each naming the file: said once, before replaying. */
  readonly optionWarnings: readonly string[];
}

/**
 * Detector settings, from the first of: --parameters, ./parameters.ts, the settings recorded in
 * the run's run.json (when a run is given), the defaults; then --detectors and --training over
 * them. Only the `detectors` part is read and validated: the rest describes an experiment, not a replay.
 */
export async function detectorSettings(runDir: string | undefined, file: string | undefined, enabled: string[] | undefined, trainingSeconds: number | undefined, modules: readonly string[] = []): Promise<DetectorSettings> {
  let input: unknown;
  let origin: string;
  let source: string;
  let baseDir = process.cwd();
  let recordedTraining: unknown;
  let recordedPlugins: unknown;
  const path = file ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  if (path !== undefined) {
    const module = await loadParameters(path);
    source = relative(process.cwd(), module.file) || path;
    baseDir = dirname(module.file);
    // Files the detectors' options name are read from the file's folder, as plugins are (a run's recorded settings hold the paths it read).
    input = detectorFilesFrom((module.parameters as { detectors?: unknown }).detectors, baseDir);
    origin = file === undefined ? `${source} (found in the working directory)` : `${source} (--parameters)`;
    // A run.json that cannot be read is reported by the replay itself, after the file's mistakes.
    const recorded = runDir === undefined ? undefined : await readManifest(runDir).then((m) => recordedDetectors(m.parameters), () => undefined);
    recordedTraining = objectField(recorded, 'trainingSeconds');
    recordedPlugins = objectField(recorded, 'plugins');
  } else {
    const recorded = runDir === undefined ? undefined : recordedDetectors((await readManifest(runDir)).parameters);
    source = runDir === undefined ? 'the defaults' : join(runDir, 'run.json');
    input = recorded;
    origin = recorded === undefined ? `defaults (no parameters.ts here${runDir === undefined ? '' : ', none recorded in the run'})` : `recorded with the run (${source})`;
    if (recorded === undefined) source = 'the defaults';
  }
  // --detectors over the file's list (a `detectors` that is not an object is left to be reported).
  const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
  // Its plugins' names are not built-ins': they are picked once the plugins are loaded (namedDetectors).
  const merged = enabled === undefined ? input : isObject || input === undefined ? { ...(input as object | undefined), enabled: builtInsNamed(enabled) } : input;
  // Detector plugins (issue 18) are loaded first, so their options are checked like the built-ins'.
  // Those that fail to load are listed with the file's other mistakes.
  const { plugins, problems: pluginProblems } = await preloadDetectorPlugins(isObject || merged === undefined ? merged : undefined, baseDir, modules);
  const withPlugins = withLoadedPlugins(merged, plugins);
  // A name --detectors gives that is neither a built-in nor a loaded plugin's: the command line's mistake, listed with the file's.
  const unknown = enabled === undefined ? [] : unknownDetectorNames('detectors', enabled, plugins);
  const { data: resolved, problems } = detectorParameterProblems(withPlugins, { detectorOptionProblems, pluginProblems });
  if (resolved === undefined) throw new UserError(`${source}${unknown.length === 0 ? '' : ' and the command line'}: invalid parameters:\n  ${[...problems, ...unknown].join('\n  ')}`);
  if (unknown.length > 0) throw commandLineError(unknown);
  const over = [enabled === undefined ? '' : `--detectors ${enabled.join(',')}`, trainingSeconds === undefined ? '' : `--training ${trainingSeconds}`].filter(Boolean);
  const named = enabled === undefined ? resolved : namedDetectors(resolved, enabled);
  const detectors = trainingSeconds === undefined ? named : { ...named, trainingSeconds };
  // The file's training over the run's own (no --training given): live and replay verdicts then
  // differ, an attack may fall in training (as runReplay then says); say why, and how to match.
  const differs = trainingSeconds === undefined && typeof recordedTraining === 'number' && recordedTraining !== resolved.trainingSeconds;
  // Plugins the run was recorded with that the file does not load: detectors whose live alerts
  // the user saw would vanish from the replay without a word.
  const dropped = pluginsNotLoaded(recordedPlugins, resolved.plugins ?? []);
  return {
    detectors,
    origin: over.length === 0 ? origin : `${origin}, with ${over.join(' ')}`,
    optionWarnings: detectorOptionWarnings(resolved).map((w) => `${source}: ${w}`),
    source,
    pluginsLoaded: resolved.plugins ?? [],
    ...(dropped.length > 0 ? { pluginWarning: pluginsNotLoadedWarning(source, dropped, [{ name: basename(runDir!), dir: runDir! }], 1) } : {}),
    training: trainingSeconds === undefined ? `detectors.trainingSeconds ${resolved.trainingSeconds} s from ${source}` : `--training ${trainingSeconds}`,
    ...(differs
      ? {
          trainingWarning: `${source}: detectors.trainingSeconds is ${resolved.trainingSeconds} s, but the run was recorded training ${recordedTraining} s (${join(runDir!, 'run.json')}, parameters.detectors.trainingSeconds): the replay's verdicts will differ from the live run's; replay with --training ${recordedTraining} to train as it did`,
        }
      : {}),
  };
}

/** run.json's `parameters.detectors` when munnin recorded them (other writers record their own things). */
function recordedDetectors(parameters: unknown): unknown {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return undefined;
  return (parameters as Record<string, unknown>)['detectors'];
}

/**
 * A replay that scores no interval is no result: a table of zeros would read as detectors that
 * saw nothing. Say why, and how to fix it, in one line.
 */
export function refuseNothingScored(runDir: string, summary: ReplaySummary, runSeconds: number, training: string): void {
  if (summary.scoredIntervals > 0) return;
  if (summary.intervals === 0) throw new UserError(`${runDir}: the run has no interval to replay; nothing scored, no results written`);
  if (summary.gapIntervals >= summary.intervals) throw new UserError(`${runDir}: every interval is a gap (telemetry unreadable); nothing scored, no results written`);
  const suggest = Math.max(0, Math.floor(runSeconds / 2));
  throw new UserError(
    `${runDir}: nothing to score: the training stretch (${training}) covers the whole run (${round(runSeconds)} s); no results written. ` +
      `Replay with a shorter one, e.g. --training ${suggest}`,
  );
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
