import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadParameters, resolveParameters, type DetectorParameters, type ParametersInput } from '../config/index.ts';
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { formatSummaryTable } from '../evaluation/index.ts';
import { withDetectorPlugins } from '../plugins/index.ts';
import { formatAlert, ReplayProgress, runReplay } from '../replay/index.ts';
import { writeReport } from '../report/index.ts';
import { readEventsFile } from '../store/index.ts';
import { isSweepDir, replaySweepCommand } from '../sweep/index.ts';
import { parseReplayArgs, REPLAY_HELP } from './replayFlags.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<number> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  if (isSweepDir(args.dir)) {
    if (args.events !== undefined) throw new UserError('--events scores one run against another ground truth; it does not go with a sweep folder');
    return replaySweepCommand(args.dir, args);
  }
  const detectors = await detectorSettings(args.parameters, args.detectors, args.training, args.detectorModules);
  const outDir = args.out ?? join(args.dir, 'replay');
  const events = args.events === undefined ? undefined : await readEventsFile(args.events);
  const progress = new ReplayProgress(!args.quiet, `replaying ${args.dir}`);
  // Ctrl-C: stop reading, remove the unfinished files, keep any earlier results.
  const controller = new AbortController();
  const onSignal = () => controller.abort(new UserError('interrupted; no results written'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { summary } = await runReplay(args.dir, {
    outDir,
    detectors,
    signal: controller.signal,
    events,
    speed: args.speed,
    inject: args.inject,
    injectPath: args.injectPath,
    injectMetrics: args.injectMetrics,
    onProgress: (p) => progress.update(p),
    // Paced replays show alerts as a live run would; fast ones only summarise.
    onAlarm: args.speed === undefined || args.quiet ? undefined : (v, start) => progress.note(formatAlert(v, start)),
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  progress.clear();
  process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
  const out = shortPath(outDir);
  process.stdout.write(`written: ${join(out, 'summary.json')}, ${join(out, 'scores.csv')}, ${join(out, 'alerts.ndjson')}\n`);
  if (args.report) {
    const { htmlPath } = await writeReport({ runDir: args.dir, replayDir: outDir, parameters: { detectors }, progress: !args.quiet });
    process.stdout.write(`report: ${shortPath(htmlPath)}\n`);
  }
  return 0;
}

/** Relative to the working directory when inside it, absolute otherwise. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** Detector settings: the parameters module (or defaults), then the flags over it. */
async function detectorSettings(file: string | undefined, enabled: string[] | undefined, trainingSeconds: number | undefined, modules: readonly string[] = []): Promise<DetectorParameters> {
  let input: ParametersInput = {};
  let origin = 'defaults';
  let baseDir = process.cwd();
  const path = file ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  if (path !== undefined) {
    const module = await loadParameters(path);
    input = module.parameters;
    origin = relative(process.cwd(), module.file) || path;
    baseDir = dirname(module.file);
  }
  if (enabled !== undefined) input = { ...input, detectors: { ...input.detectors, enabled: enabled as NonNullable<ParametersInput['detectors']>['enabled'] } };
  // Detector plugins (issue 18) are loaded before the detectors are built.
  const resolved = await withDetectorPlugins(resolveParameters(input, origin).detectors, baseDir, modules);
  createDetectors(resolved, origin);
  // Applied after validation: the experiment's cross-checks (training shorter than its
  // duration) concern recording, not a replay of whatever length the run has.
  return trainingSeconds === undefined ? resolved : { ...resolved, trainingSeconds };
}

runCli(main);
