import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IMPORT_HELP, parseImportArgs } from './importFlags.ts';
import { log } from '../logger.ts';
import { runCli } from './runCli.ts';

/** The import command, callable from tests with its own argv and output. Heavy modules are loaded only when used. */
export async function importMain(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t), signal?: AbortSignal): Promise<number> {
  const args = parseImportArgs(argv, Date.now() / 1000);
  if (args.help) {
    out(IMPORT_HELP);
    return 0;
  }
  const { source, values } = args;
  const { loadParameters, resolveParameters } = await import('../config/index.ts');
  const paramsFile = values.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  // Compiled commands import a .ts parameters module through tsx, registered only now.
  if (paramsFile !== undefined) await (await import('./typescriptOnDemand.ts')).allowTypeScriptImports(paramsFile);
  const module = paramsFile === undefined ? undefined : await loadParameters(paramsFile);
  // The experiment's schedule does not concern an import: only telemetry and outputDir are used.
  const params = resolveParameters({ ...(module?.parameters ?? {}), exfiltration: [] }, module ? relative(process.cwd(), module.file) || paramsFile : 'defaults');
  const { readEventsFile } = await import('../store/index.ts');
  const events = values.events === undefined ? undefined : await readEventsFile(values.events);
  const { ImportProgress, importCsv, importPrometheus, metricsNamedIn } = await import('../import/index.ts');
  const progress = new ImportProgress(values.quiet !== true, 'importing', 'steps');
  const runDir = (name: string) => values.out ?? join(params.outputDir, name);
  let result;
  if (source.kind === 'prometheus') {
    const { startSeconds, endSeconds, stepSeconds, maxSampleAgeSeconds, url, pointsPerQuery } = source;
    const name = values.name ?? `import-${url.hostname.replace(/[^A-Za-z0-9.-]/g, '_')}-${new Date(startSeconds * 1000).toISOString().replace(/[-:]|\.\d+/g, '')}`;
    const p = params.telemetry.prometheus;
    progress.note(`import: ${url.origin}${url.pathname.replace(/\/+$/, '')} from ${new Date(startSeconds * 1000).toISOString()} to ${new Date(endSeconds * 1000).toISOString()} every ${stepSeconds} s`);
    result = await importPrometheus({
      url: values.url!,
      startSeconds,
      endSeconds,
      stepSeconds,
      namespace: values.namespace,
      pointsPerQuery,
      maxSampleAgeSeconds,
      scrapeIntervalSeconds: p.scrapeIntervalSeconds,
      timeoutMillis: Math.max(p.timeoutMillis, 30_000),
      metrics: params.telemetry.metrics,
      aliases: params.telemetry.aliases,
      reporter: p.reporter,
      sourceLabel: p.sourceLabel,
      destinationLabel: p.destinationLabel,
      ...(p.bearerTokenEnv ? { bearerTokenEnv: p.bearerTokenEnv } : {}),
      ...(p.basicAuthUser ? { basicAuthUser: p.basicAuthUser } : {}),
      ...(p.basicAuthPasswordEnv ? { basicAuthPasswordEnv: p.basicAuthPasswordEnv } : {}),
      headers: p.headers,
      headersFromEnv: p.headersFromEnv,
      dir: runDir(name),
      name,
      events,
      signal,
      onProgress: (done, total) => progress.update(done, total),
    });
  } else {
    const { trafficFile, intervalsFile, intervalSeconds } = source;
    const folder = basename(dirname(trafficFile)) === 'export' ? basename(dirname(dirname(trafficFile))) : basename(trafficFile, '.csv');
    const name = values.name ?? `${folder.replace(/[^A-Za-z0-9._-]/g, '_')}-import`;
    if (intervalsFile) progress.note(`import: ${trafficFile} with ${intervalsFile}`);
    const knownMetrics = [...params.telemetry.metrics, ...metricsNamedIn(params.detectors.options)];
    result = await importCsv({ trafficFile, intervalsFile, intervalSeconds, knownMetrics, dir: runDir(name), name, events, signal, note: (m) => progress.note(m) });
  }
  progress.clear();
  const dir = relative(process.cwd(), result.dir) || result.dir;
  // A store that answers but holds none of the series asked for gives a run of nothing: say
  // so, and why it may be, rather than a run that replay then refuses ("no interval to replay");
  // no folder is left behind (writeImportedRun creates it with the first interval).
  if (result.intervals === 0 && result.complete) {
    const where = source.kind === 'prometheus' ? `the store held no Istio series of ${params.telemetry.metrics.join(', ')}${values.namespace ? ` for namespace ${values.namespace}` : ''} between --start and --end (check them, the namespace, and that Prometheus scrapes the sidecars)` : 'the file held no interval';
    log.warn(`${dir}: no interval imported: ${where}; nothing was written`);
    return 1;
  }
  out(
    `run written to ${dir}${result.complete ? '' : ' (interrupted: complete: false)'}\n` +
      `  ${result.intervals} intervals (${result.gaps} gaps), ${result.services.length} nodes${events ? `, ${events.length} events from ${values.events}` : ''}\n` +
      `replay it with:\n  npm run replay -- ${dir}\n`,
  );
  return result.complete ? 0 : 130;
}

// Run only as a program, not when a test imports importMain.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts === 1) controller.abort();
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runCli(() => importMain(process.argv.slice(2), undefined, controller.signal));
}
