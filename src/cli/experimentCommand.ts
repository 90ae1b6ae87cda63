import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { detectorOptionProblems } from '../config/detectorOptionProblems.ts';
import { attacksInTraining, attacksNearIntervalEnds, loadParameters, parameterProblems, scanDuplicates, type ParametersInput } from '../config/index.ts';
import { createDetectors, detectorFilesFrom, detectorOptionWarnings } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { InterruptedBeforeRun, runExperiment } from '../experiment/index.ts';
import { log } from '../logger.ts';
import { embeddedAttackProblems } from '../mesh/index.ts';
import { preloadDetectorPlugins, withLoadedPlugins } from '../plugins/index.ts';
import { nextRunName } from '../store/index.ts';
import { applyFlags, type ExperimentFlagValues } from './experimentFlags.ts';
import { labelledProblems, parameterMistakes } from './parameterMistakes.ts';
import { allowTypeScriptImports } from './typescriptOnDemand.ts';
import { useCurrentUndici } from './currentUndici.ts';

/**
 * `npm run experiment` after its flags are read: loaded only then (experiment.ts keeps
 * `--help` light). The dashboard and the sweep machinery load only with --dashboard and --sweep.
 */
export async function experimentCommand(values: ExperimentFlagValues): Promise<number> {
  const file = values.parameters ?? 'parameters.ts';
  if (values.parameters === undefined && !existsSync(file)) {
    throw new UserError(`parameters.ts: no such file in ${process.cwd()} (npm run experiment reads ./parameters.ts: run it from the repository, or name a parameters file with --parameters <file>)`);
  }
  await allowTypeScriptImports(file);
  // Every mistake at once, also when some parameters are not plain data (a Date, a function).
  const module = await loadParameters(file, { problemsBeside: (plain) => labelledProblems(parameterProblems(flagsOver(plain, values), { detectorOptionProblems, attackProblems: embeddedAttackProblems }).problems, values) });
  const origin = relative(process.cwd(), module.file) || file;
  // Detector plugins (issue 18) are loaded before the parameters are checked, so their options
  // are checked like the built-ins' (checked first, a plugin's options were an unknown detector).
  // Files the detectors' options name are read from the parameters file's folder, as plugins are.
  const flagged = applyFlags(module.parameters, values);
  const input = { ...flagged, detectors: detectorFilesFrom(flagged.detectors, dirname(module.file)) as typeof flagged.detectors };
  const { plugins, problems: pluginProblems } = await preloadDetectorPlugins(input.detectors, dirname(module.file), values['detector-module']);
  // Every mistake at once: the schema's, across fields, in the detectors' options, the plugins'
  // and, on the embedded mesh, in the scans and lateral movements; a flag's bad value named after the flag.
  const { data: params, problems } = parameterProblems({ ...input, detectors: withLoadedPlugins(input.detectors, plugins) }, { detectorOptionProblems, attackProblems: embeddedAttackProblems, pluginProblems });
  if (params === undefined) {
    throw parameterMistakes(problems, values, origin, `(--duration shortens the run but keeps the exfiltration schedule and training of ${file}: shorten those too, or use --parameters with a file of its own)`);
  }
  // An attack starting where the telemetry may not show it yet would be scored as missed.
  for (const warning of attacksNearIntervalEnds(params)) log.warn(warning);
  // One in training is learnt as normal and not scored.
  for (const warning of attacksInTraining(params)) log.warn(warning);
  // A scan's repeated service or port is kept once (by the schema): said, as the file lists it more often.
  for (const warning of scanDuplicates(input)) log.warn(warning);
  // A detector setting with no effect beside another (falseAlarmRate beside a fixed k). A sweep's
  // detector-side axes are said when it is replayed, where they apply.
  for (const warning of detectorOptionWarnings(params.detectors)) log.warn(`${origin}: ${warning}`);
  // Detector options are checked by the detectors themselves: before anything is started.
  createDetectors(params.detectors, origin);
  const name = params.name ?? nextRunName(params.outputDir);
  // The shoppers, the scrape source and the readiness probes fetch all run long (see useCurrentUndici).
  await useCurrentUndici();

  // First Ctrl-C: stop cleanly and keep the run. Second: leave at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts === 1) {
      log.warn('stopping (Ctrl-C again to quit at once)...');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (values.sweep) {
    const { experimentSweep } = await import('../sweep/experimentSweep.ts');
    const { code } = await experimentSweep(module.sweep, params, { origin, name: values.name, signal: controller.signal, quiet: values.quiet });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return code;
  }

  const dashboard = values.dashboard ? await (await import('../dashboard/experimentDashboard.ts')).startExperimentDashboard({ params, runName: name, host: values.host, port: values.port }) : undefined;
  if (dashboard) log.info(`dashboard: ${dashboard.dashboard.url}`);
  let result;
  try {
    result = await runExperiment(params, name, { signal: controller.signal, progress: !values.quiet, parametersFile: origin, ...dashboard?.hooks });
  } catch (e) {
    dashboard?.end(undefined, e);
    await dashboard?.dashboard.close();
    if (!(e instanceof InterruptedBeforeRun)) throw e;
    // Stopped while a cluster was still starting: interrupted, as a stop after the folder exists.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log.warn(e.message);
    return 130;
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const dir = relative(process.cwd(), result.dir) || result.dir;
  process.stdout.write(
    `\nrun written to ${dir}${result.complete ? '' : ' (interrupted: complete: false)'}\n` +
      `  ${result.intervals} intervals (${result.gaps} gaps), ${result.exfiltrations} exfiltrations${result.scans > 0 ? `, ${result.scans} scan${result.scans === 1 ? '' : 's'}` : ''}${result.lateralMovements > 0 ? `, ${result.lateralMovements} lateral movement${result.lateralMovements === 1 ? '' : 's'}` : ''}, ${result.alarms} live alerts\n` +
      `replay it with:\n  npm run replay -- ${join(dir)}\n`,
  );
  if (dashboard) {
    dashboard.end(result);
    // Interrupted: Ctrl-C meant "stop"; completed: the results stay on screen until Ctrl-C.
    if (result.complete) await dashboard.serveUntilInterrupted();
    else await dashboard.dashboard.close();
  }
  return result.complete ? 0 : 130;
}

/** The flags over the parameters, or the parameters alone when a flag is wrong (reported later, with the rest). */
function flagsOver(parameters: ParametersInput, values: ExperimentFlagValues): ParametersInput {
  try {
    return applyFlags(parameters, values);
  } catch (e) {
    if (e instanceof UserError) return parameters;
    throw e;
  }
}
