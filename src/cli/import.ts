import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import { IMPORT_FLAGS, IMPORT_HELP } from './importFlags.ts';
import { FlagProblems } from './flagProblems.ts';
import { numberFlag, parseFlags } from './parseFlags.ts';
import { runCli } from './runCli.ts';

const RUN_NAME = /^[A-Za-z0-9._-]+$/;

/** The import command, callable from tests with its own argv and output. Heavy modules are loaded only when used. */
export async function importMain(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t), signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(relativeTimes(argv), IMPORT_FLAGS, true);
  if (values.help) {
    out(IMPORT_HELP);
    return 0;
  }
  const [kind, ...rest] = positionals;
  if (kind !== 'prometheus' && kind !== 'csv') throw new UserError(`expected prometheus or csv first (got ${kind === undefined ? 'nothing' : JSON.stringify(kind)}); see --help`);
  // Every mistake of the command line at once (see FlagProblems).
  const problems = new FlagProblems();
  const only = (flags: readonly (keyof typeof values)[], what: string) => {
    const wrong = flags.filter((f) => values[f] !== undefined);
    if (wrong.length > 0) problems.note(`${wrong.map((f) => `--${String(f)}`).join(', ')} ${wrong.length === 1 ? 'goes' : 'go'} with ${what}`);
  };
  if (values.name !== undefined && !RUN_NAME.test(values.name)) problems.note(`--name: letters, digits, dot, dash and underscore only (got ${JSON.stringify(values.name)})`);
  const { parseDuration, parseTime } = await import('../import/index.ts');
  const now = Date.now() / 1000;
  let prometheusArgs: { startSeconds: number; endSeconds: number; stepSeconds: number; maxAge: number | undefined; url: URL; pointsPerQuery: number | undefined } | undefined;
  let csvArgs: { trafficFile: string; intervalsFile: string | undefined; interval: number | undefined } | undefined;
  if (kind === 'prometheus') {
    only(['intervals', 'interval'], 'csv');
    if (rest.length > 0) problems.note(`import prometheus takes no file (got ${rest.join(' ')})`);
    const missing = (['url', 'start', 'end', 'step'] as const).filter((f) => values[f] === undefined);
    if (missing.length > 0) problems.note(`import prometheus needs ${missing.map((f) => `--${f}`).join(', ')} (see --help)`);
    const startSeconds = values.start === undefined ? undefined : problems.check(() => parseTime('start', values.start!, now));
    const endSeconds = values.end === undefined ? undefined : problems.check(() => parseTime('end', values.end!, now));
    const stepSeconds = values.step === undefined ? undefined : problems.check(() => parseDuration('step', values.step!));
    const maxAge = values['max-sample-age'] === undefined ? undefined : problems.check(() => parseDuration('max-sample-age', values['max-sample-age']!));
    const url = values.url === undefined ? undefined : problems.check(() => parsedUrl(values.url!));
    const pointsPerQuery = problems.check(() => numberFlag('points-per-query', values['points-per-query']));
    problems.throwIfAny();
    prometheusArgs = { startSeconds: startSeconds!, endSeconds: endSeconds!, stepSeconds: stepSeconds!, maxAge, url: url!, pointsPerQuery };
  } else {
    only(['url', 'start', 'end', 'step', 'namespace', 'points-per-query', 'max-sample-age'], 'prometheus');
    if (rest.length !== 1) problems.note(`import csv takes one traffic.csv (got ${rest.length === 0 ? 'none' : rest.join(' ')})`);
    const trafficFile = rest[0];
    if (trafficFile !== undefined && rest.length === 1 && !existsSync(trafficFile)) problems.note(`${trafficFile}: no such file`);
    const beside = trafficFile === undefined ? undefined : join(dirname(trafficFile), 'intervals.csv');
    const intervalsFile = values.intervals ?? (beside !== undefined && existsSync(beside) ? beside : undefined);
    if (intervalsFile !== undefined && !existsSync(intervalsFile)) problems.note(`--intervals: ${intervalsFile}: no such file`);
    const interval = problems.check(() => numberFlag('interval', values.interval));
    problems.throwIfAny();
    csvArgs = { trafficFile: trafficFile!, intervalsFile, interval };
  }

  const { loadParameters, resolveParameters } = await import('../config/index.ts');
  const paramsFile = values.parameters ?? (existsSync('parameters.ts') ? 'parameters.ts' : undefined);
  // Compiled commands import a .ts parameters module through tsx, registered only now.
  if (paramsFile !== undefined) await (await import('./typescriptOnDemand.ts')).allowTypeScriptImports(paramsFile);
  const module = paramsFile === undefined ? undefined : await loadParameters(paramsFile);
  // The experiment's schedule does not concern an import: only telemetry and outputDir are used.
  const params = resolveParameters({ ...(module?.parameters ?? {}), exfiltration: [] }, module ? relative(process.cwd(), module.file) || paramsFile : 'defaults');
  const { readEventsFile } = await import('../store/index.ts');
  const events = values.events === undefined ? undefined : await readEventsFile(values.events);
  const { ImportProgress, importCsv, importPrometheus } = await import('../import/index.ts');
  const progress = new ImportProgress(values.quiet !== true, 'importing', 'steps');
  const runDir = (name: string) => values.out ?? join(params.outputDir, name);
  let result;
  if (prometheusArgs !== undefined) {
    const { startSeconds, endSeconds, stepSeconds, maxAge, url, pointsPerQuery } = prometheusArgs;
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
      maxSampleAgeSeconds: maxAge,
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
    const { trafficFile, intervalsFile, interval } = csvArgs!;
    const folder = basename(dirname(trafficFile)) === 'export' ? basename(dirname(dirname(trafficFile))) : basename(trafficFile, '.csv');
    const name = values.name ?? `${folder.replace(/[^A-Za-z0-9._-]/g, '_')}-import`;
    if (intervalsFile) progress.note(`import: ${trafficFile} with ${intervalsFile}`);
    result = await importCsv({ trafficFile, intervalsFile, intervalSeconds: interval, dir: runDir(name), name, events, signal, note: (m) => progress.note(m) });
  }
  progress.clear();
  const dir = relative(process.cwd(), result.dir) || result.dir;
  out(
    `run written to ${dir}${result.complete ? '' : ' (interrupted: complete: false)'}\n` +
      `  ${result.intervals} intervals (${result.gaps} gaps), ${result.services.length} nodes${events ? `, ${events.length} events from ${values.events}` : ''}\n` +
      `replay it with:\n  npm run replay -- ${dir}\n`,
  );
  return result.complete ? 0 : 130;
}

/** --url as a URL; a user error naming the flag and value when it is not one. */
function parsedUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new UserError(`--url: expected a URL such as http://127.0.0.1:9090 (got ${JSON.stringify(text)})`);
  }
}

/** `--start -2h` as `--start=-2h`: node's parseArgs takes a value starting with a dash for a flag. */
function relativeTimes(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if ((arg === '--start' || arg === '--end') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
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
