import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadParameters, resolveParameters, type DetectorParameters, type ParametersInput } from '../config/index.ts';
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { formatSummaryTable } from '../evaluation/index.ts';
import { formatAlert, ReplayProgress, runReplay, StagedOutput } from '../replay/index.ts';
import { writeReport } from '../report/index.ts';
import { describeFsError, readManifest } from '../store/index.ts';
import { isSweepDir, replaySweepCommand } from '../sweep/index.ts';
import { parseReplayArgs, REPLAY_HELP } from './replayFlags.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<number> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  if (isSweepDir(args.dir)) return replaySweepCommand(args.dir, args);
  const detectors = await detectorSettings(args.parameters, args.detectors, args.training);
  const outDir = args.out ?? join(args.dir, 'replay');
  const progress = new ReplayProgress(!args.quiet, `replaying ${args.dir}`);
  // Everything is written aside and swapped in whole at the end: a replay stopped at any
  // point leaves the earlier outputs (report, images and summary) together, never mixed.
  await readManifest(args.dir); // a run to replay, before any folder is made beside it
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
      speed: args.speed,
      inject: args.inject,
      injectPath: args.injectPath,
      injectMetrics: args.injectMetrics,
      onProgress: (p) => progress.update(p),
      // Paced replays show alerts as a live run would; fast ones only summarise.
      onAlarm: args.speed === undefined || args.quiet ? undefined : (v, start) => progress.note(formatAlert(v, start)),
    });
    progress.clear();
    process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
    if (args.report) {
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

/** Relative to the working directory when inside it, absolute otherwise. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** Detector settings: the parameters module (or defaults), then the flags over it. */
async function detectorSettings(file: string | undefined, enabled: string[] | undefined, trainingSeconds: number | undefined): Promise<DetectorParameters> {
  let input: ParametersInput = {};
  let origin = 'defaults';
  const path = file ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  if (path !== undefined) {
    const module = await loadParameters(path);
    input = module.parameters;
    origin = relative(process.cwd(), module.file) || path;
  }
  if (enabled !== undefined) input = { ...input, detectors: { ...input.detectors, enabled: enabled as NonNullable<ParametersInput['detectors']>['enabled'] } };
  const resolved = resolveParameters(input, origin).detectors;
  createDetectors(resolved, origin);
  // Applied after validation: the experiment's cross-checks (training shorter than its
  // duration) concern recording, not a replay of whatever length the run has.
  return trainingSeconds === undefined ? resolved : { ...resolved, trainingSeconds };
}

runCli(main);
