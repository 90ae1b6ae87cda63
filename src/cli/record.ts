import { join, relative } from 'node:path';
import { UserError } from '../errors.ts';
import { FlagProblems } from './flagProblems.ts';
import { numberFlag, parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

export const RECORD_HELP = `npm run record -- --prometheus-url <url> [flags]

Record the mesh you already run (Istio with Prometheus, Thanos, Mimir or VictoriaMetrics)
into experimental_data/<run>/: Istio's standard metrics read through the Prometheus API
with the same queries, reporter rule and differencing as npm run experiment, the live
detectors printing alerts. Nothing is deployed and no attack is made.

Flags (each overrides parameters.ts without editing it):
  --prometheus-url <url>  Prometheus-API base URL (telemetry.prometheus.url); credentials as
                          in parameters.ts (bearerTokenEnv, basicAuth*, headersFromEnv:
                          the secrets themselves stay in the environment)
  --namespace <ns>        only traffic with an end in this namespace
  --duration <s>          recorded length in seconds           (durationSeconds)
  --interval <s>          length of one interval in seconds    (intervalSeconds; a multiple
                          of the scrape interval, telemetry.prometheus.scrapeIntervalSeconds)
  --name <run>            run name (default: next free runN)   (name)
  --events <file>         ground truth to copy into the run (events.ndjson form, validated)
  --parameters <file>     parameters module (default: ./parameters.ts when present)
  --detector-module <f>   load a detector plugin (README "Writing a detector"); repeatable
  --quiet                 no progress or alerts on stderr
  --help                  this text

Ctrl-C stops cleanly: the run keeps everything recorded so far (run.json says
"complete": false).
`;

const FLAGS = {
  'prometheus-url': { type: 'string' },
  namespace: { type: 'string' },
  duration: { type: 'string' },
  interval: { type: 'string' },
  name: { type: 'string' },
  events: { type: 'string' },
  parameters: { type: 'string' },
  'detector-module': { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  // Unknown flags are listed with the known flags' bad values, in one error.
  const problems = new FlagProblems();
  const { values } = parseFlags(process.argv.slice(2), FLAGS, false, problems);
  if (values.help) {
    process.stdout.write(RECORD_HELP);
    return 0;
  }
  const duration = problems.check(() => numberFlag('duration', values.duration));
  const interval = problems.check(() => numberFlag('interval', values.interval));
  problems.throwIfAny();
  // Heavy modules are loaded only once the flags are known to be good.
  const { existsSync } = await import('node:fs');
  const { loadParameters, parameterProblems } = await import('../config/index.ts');
  const file = values.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  // Compiled commands import a .ts parameters module through tsx, registered only now.
  if (file !== undefined) await (await import('./typescriptOnDemand.ts')).allowTypeScriptImports(file);
  const module = file === undefined ? undefined : await loadParameters(file);
  const input = structuredClone((module?.parameters ?? {}) as Record<string, any>);
  // The experiment's attack schedule does not apply: nothing is attacked here.
  input['exfiltration'] = [];
  const set = (path: string[], value: unknown) => {
    if (value === undefined) return;
    let cur = input;
    for (const key of path.slice(0, -1)) cur = cur[key] ??= {};
    cur[path[path.length - 1]!] = value;
  };
  set(['durationSeconds'], duration);
  set(['intervalSeconds'], interval);
  set(['name'], values.name);
  set(['telemetry', 'prometheus', 'url'], values['prometheus-url']);
  const origin = module ? relative(process.cwd(), module.file) || file! : 'defaults';
  // Detector plugins are loaded before the parameters are checked, as experiment does
  // (experimentCommand.ts): their options are checked like the built-ins', and a plugin that
  // cannot be loaded is listed with the parameters' other mistakes instead of waiting for them.
  const { dirname } = await import('node:path');
  const { preloadDetectorPlugins, withLoadedPlugins } = await import('../plugins/index.ts');
  const { detectorOptionProblems } = await import('../config/detectorOptionProblems.ts');
  const { detectorFilesFrom } = await import('../detectors/index.ts');
  // Files the detectors' options name are read from the parameters file's folder, as plugins are.
  if (module) input['detectors'] = detectorFilesFrom(input['detectors'], dirname(module.file));
  const { plugins, problems: pluginProblems } = await preloadDetectorPlugins(input['detectors'], module ? dirname(module.file) : process.cwd(), values['detector-module']);
  if (plugins !== undefined) input['detectors'] = withLoadedPlugins(input['detectors'], plugins);
  // A flag's bad value (--duration -5) is named after the flag, not the file it is not in.
  const { data: params, problems: mistakes } = parameterProblems(input, { detectorOptionProblems, pluginProblems });
  const noUrl = 'record needs --prometheus-url <url> (or telemetry.prometheus.url in parameters.ts)';
  if (params === undefined) {
    // Also a missing Prometheus, when the parameters have other mistakes: every mistake at once.
    if (!input['telemetry']?.['prometheus']?.['url']) mistakes.push(`telemetry.prometheus.url: not set: ${noUrl}`);
    throw (await import('./parameterMistakes.ts')).parameterMistakes(mistakes, { duration: values.duration, interval: values.interval, name: values.name, 'prometheus-url': values['prometheus-url'] }, origin);
  }
  if (!params.telemetry.prometheus.url) throw new UserError(noUrl);
  const { createDetectors, detectorOptionWarnings } = await import('../detectors/index.ts');
  createDetectors(params.detectors, origin);
  // A detector setting with no effect beside another (falseAlarmRate beside a fixed k).
  const { log } = await import('../logger.ts');
  for (const warning of detectorOptionWarnings(params.detectors)) log.warn(`${origin}: ${warning}`);
  const { readEventsFile, nextRunName } = await import('../store/index.ts');
  const events = values.events === undefined ? undefined : await readEventsFile(values.events);
  const name = params.name ?? nextRunName(params.outputDir);

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('stopping (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The scrape source fetches every interval (see useCurrentUndici).
  await (await import('./currentUndici.ts')).useCurrentUndici();
  const { recordMesh } = await import('../record/index.ts');
  const result = await recordMesh(params, name, { namespace: values.namespace, events, signal: controller.signal, progress: !values.quiet });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const dir = relative(process.cwd(), result.dir) || result.dir;
  process.stdout.write(
    `\nrun written to ${dir}${result.complete ? '' : ' (interrupted: complete: false)'}\n` +
      `  ${result.intervals} intervals (${result.gaps} gaps), ${result.alarms} live alerts${events ? `, ${events.length} events from ${values.events}` : ''}\n` +
      `replay it with:\n  npm run replay -- ${join(dir)}\n`,
  );
  return result.complete ? 0 : 130;
}

runCli(main);
