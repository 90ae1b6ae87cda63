import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadParameters, resolveParameters, type DetectorParameters, type ParametersInput } from '../config/index.ts';
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { formatSummaryTable } from '../evaluation/index.ts';
import { formatAlert, ReplayProgress, runReplay } from '../replay/index.ts';
import { isSweepDir } from '../sweep/sweepIndex.ts';
import type { ReplayArgs } from './replayFlags.ts';
import { allowTypeScriptImports } from './typescriptOnDemand.ts';

/** `npm run replay` after its flags are read: loaded only then (replay.ts keeps `--help` light). */
export async function replayCommand(args: ReplayArgs): Promise<number> {
  const parametersFile = args.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  if (parametersFile !== undefined) await allowTypeScriptImports(parametersFile);
  if (isSweepDir(args.dir)) {
    const { replaySweepCommand } = await import('../sweep/replaySweepCommand.ts');
    return replaySweepCommand(args.dir, args);
  }
  const detectors = await detectorSettings(parametersFile, args.detectors, args.training);
  const outDir = args.out ?? join(args.dir, 'replay');
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
    // The report's charts (chart.js on @napi-rs/canvas) load only when a report is written.
    const { writeReport } = await import('../report/writeReport.ts');
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
async function detectorSettings(path: string | undefined, enabled: readonly string[] | undefined, trainingSeconds: number | undefined): Promise<DetectorParameters> {
  let input: ParametersInput = {};
  let origin = 'defaults';
  if (path !== undefined) {
    const module = await loadParameters(path);
    input = module.parameters;
    origin = relative(process.cwd(), module.file) || path;
  }
  if (enabled !== undefined) input = { ...input, detectors: { ...input.detectors, enabled: [...enabled] as NonNullable<ParametersInput['detectors']>['enabled'] } };
  const resolved = resolveParameters(input, origin).detectors;
  createDetectors(resolved, origin);
  // Applied after validation: the experiment's cross-checks (training shorter than its
  // duration) concern recording, not a replay of whatever length the run has.
  return trainingSeconds === undefined ? resolved : { ...resolved, trainingSeconds };
}
