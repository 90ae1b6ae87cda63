import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadParameters, resolveParameters, type DetectorParameters, type ParametersInput } from '../config/index.ts';
import { formatSummaryTable } from '../evaluation/index.ts';
import { formatAlert, ReplayProgress, runReplay } from '../replay/index.ts';
import { parseReplayArgs, REPLAY_HELP } from './replayFlags.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<number> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const detectors = await detectorSettings(args.parameters, args.detectors, args.training);
  const outDir = args.out ?? join(args.dir, 'replay');
  const progress = new ReplayProgress(!args.quiet, `replaying ${args.dir}`);
  const { summary } = await runReplay(args.dir, {
    outDir,
    detectors,
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
  const out = relative(process.cwd(), outDir) || outDir;
  process.stdout.write(`written: ${join(out, 'summary.json')}, ${join(out, 'scores.csv')}, ${join(out, 'alerts.ndjson')}\n`);
  return 0;
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
  // Applied after validation: the experiment's cross-checks (training shorter than its
  // duration) concern recording, not a replay of whatever length the run has.
  return trainingSeconds === undefined ? resolved : { ...resolved, trainingSeconds };
}

runCli(main);
