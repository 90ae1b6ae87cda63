import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import { urlForMessage } from '../urlForMessage.ts';
import { parseDuration, parseTime } from '../import/parseTime.ts';
import { FlagProblems } from './flagProblems.ts';
import { numberFlag, parseFlags } from './parseFlags.ts';

export const IMPORT_HELP = `npm run import -- prometheus --url <url> --start <time> --end <time> --step <s> [flags]
npm run import -- csv <traffic.csv> [flags]

Build a run (run-format.md) from data recorded elsewhere, into experimental_data/<name>/
(or --out); an existing run is never overwritten.

prometheus: the store's past (Prometheus, Thanos, Mimir, VictoriaMetrics), read with the
  same queries, reporter rule and differencing as live recording: counters differenced per
  series, a counter that falls was reset (its new value is the traffic since), a step with
  no fresh sample in the store is a gap (never zero traffic), and so is the step after it.
  --url <url>             Prometheus-API base URL (auth: telemetry.prometheus in parameters.ts,
                          secrets from the environment variables named there)
  --start, --end <time>   RFC 3339 (2026-12-05T14:00:00Z), now, relative (-2h, now-30m)
                          or Unix seconds
  --step <s>              evaluation step = the run's interval (15, 15s, 1m)
  --namespace <ns>        only traffic with an end in this namespace
  --points-per-query <n>  points per series per range query (default 2000, at most 11000)
  --max-sample-age <s>    a step whose newest stored sample is older is a gap
                          (default: twice the longer of the step and the store's
                          scrape interval, telemetry.prometheus.scrapeIntervalSeconds:
                          1 s unless set)

csv: the inverse of npm run export: traffic.csv (t,src,dst,metric,value) and, when found
  beside it or given, intervals.csv (t,dt,gap) for the intervals and their gaps. Every bad
  row is reported with its line number, and nothing is written then.
  --intervals <file>      intervals.csv (default: the one beside traffic.csv, if any)
  --interval <s>          interval length without intervals.csv (default: the shortest step
                          between two t of traffic.csv that every step is a whole number
                          of, to 1%); every t must be a whole number of intervals after
                          the t before it, intervals without rows between them are silent

Both:
  --name <run>            run name (default derived from the source)
  --out <dir>             run directory instead of <outputDir>/<name>
  --events <file>         ground truth to copy into the run (events.ndjson form, validated)
  --parameters <file>     parameters module (default: ./parameters.ts when present):
                          outputDir, telemetry.metrics, telemetry.prometheus, aliases
  --quiet                 no progress on stderr
  --help                  this text
`;

export const IMPORT_FLAGS = {
  url: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  step: { type: 'string' },
  namespace: { type: 'string' },
  'points-per-query': { type: 'string' },
  'max-sample-age': { type: 'string' },
  intervals: { type: 'string' },
  interval: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  events: { type: 'string' },
  parameters: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const RUN_NAME = /^[A-Za-z0-9._-]+$/;

/** Where `import prometheus` reads: the store, the time range and step (Unix seconds, seconds). */
export interface PrometheusImport {
  readonly kind: 'prometheus';
  readonly url: URL;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly stepSeconds: number;
  readonly maxSampleAgeSeconds: number | undefined;
  readonly pointsPerQuery: number | undefined;
}

/** What `import csv` reads: traffic.csv, intervals.csv if any, else the interval length (seconds) if given. */
export interface CsvImport {
  readonly kind: 'csv';
  readonly trafficFile: string;
  readonly intervalsFile: string | undefined;
  readonly intervalSeconds: number | undefined;
}

/**
 * The import's command line, checked: every mistake at once (see FlagProblems), as one
 * UserError. `nowSeconds` resolves relative times (`--start -2h`).
 */
export function parseImportArgs(argv: readonly string[], nowSeconds: number) {
  // Unknown flags are listed with the other mistakes, in one error.
  const problems = new FlagProblems();
  const { values, positionals } = parseFlags(argv, IMPORT_FLAGS, true, problems);
  if (values.help) return { help: true as const };
  const [kind, ...rest] = positionals;
  if (kind !== 'prometheus' && kind !== 'csv') {
    problems.note(`expected prometheus or csv first (got ${kind === undefined ? 'nothing' : JSON.stringify(kind)}); see --help`);
    // Which flags are right depends on the kind: without one, the rest cannot be checked.
    problems.throwIfAny();
  }
  const only = (flags: readonly (keyof typeof values)[], what: string) => {
    const wrong = flags.filter((f) => values[f] !== undefined);
    if (wrong.length > 0) problems.note(`${wrong.map((f) => `--${String(f)}`).join(', ')} ${wrong.length === 1 ? 'goes' : 'go'} with ${what}`);
  };
  if (values.name !== undefined && !RUN_NAME.test(values.name)) problems.note(`--name: letters, digits, dot, dash and underscore only (got ${JSON.stringify(values.name)})`);
  // --out names the run's folder itself: another --name would not change it (the store's own message suggests --name).
  if (values.out !== undefined && existsSync(join(values.out, 'run.json'))) problems.note(`--out: ${values.out} holds a run already (choose another --out; an existing run is never overwritten)`);
  let source: PrometheusImport | CsvImport;
  if (kind === 'prometheus') {
    only(['intervals', 'interval'], 'csv');
    if (rest.length > 0) problems.note(`import prometheus takes no file (got ${rest.join(' ')})`);
    const missing = (['url', 'start', 'end', 'step'] as const).filter((f) => values[f] === undefined);
    if (missing.length > 0) problems.note(`import prometheus needs ${missing.map((f) => `--${f}`).join(', ')} (see --help)`);
    const startSeconds = values.start === undefined ? undefined : problems.check(() => parseTime('start', values.start!, nowSeconds));
    const endSeconds = values.end === undefined ? undefined : problems.check(() => parseTime('end', values.end!, nowSeconds));
    const stepSeconds = values.step === undefined ? undefined : problems.check(() => parseDuration('step', values.step!));
    const maxSampleAgeSeconds = values['max-sample-age'] === undefined ? undefined : problems.check(() => parseDuration('max-sample-age', values['max-sample-age']!));
    const url = values.url === undefined ? undefined : problems.check(() => parsedUrl(values.url!));
    const pointsPerQuery = problems.check(() => numberFlag('points-per-query', values['points-per-query']));
    problems.throwIfAny();
    // Each is given and parsed once no problem was noted.
    source = { kind, url: url!, startSeconds: startSeconds!, endSeconds: endSeconds!, stepSeconds: stepSeconds!, maxSampleAgeSeconds, pointsPerQuery };
  } else {
    only(['url', 'start', 'end', 'step', 'namespace', 'points-per-query', 'max-sample-age'], 'prometheus');
    if (rest.length !== 1) problems.note(`import csv takes one traffic.csv (got ${rest.length === 0 ? 'none' : rest.join(' ')})`);
    const trafficFile = rest[0];
    if (trafficFile !== undefined && rest.length === 1 && !existsSync(trafficFile)) problems.note(`${trafficFile}: no such file`);
    else if (trafficFile !== undefined && rest.length === 1 && statSync(trafficFile).isDirectory()) {
      problems.note(`${trafficFile} is a folder: import csv takes the traffic.csv file itself${existsSync(join(trafficFile, 'traffic.csv')) ? ` (${join(trafficFile, 'traffic.csv')}?)` : ''}`);
    }
    const beside = trafficFile === undefined ? undefined : join(dirname(trafficFile), 'intervals.csv');
    const intervalsFile = values.intervals ?? (beside !== undefined && existsSync(beside) ? beside : undefined);
    if (intervalsFile !== undefined && !existsSync(intervalsFile)) problems.note(`--intervals: ${intervalsFile}: no such file`);
    else if (intervalsFile !== undefined && statSync(intervalsFile).isDirectory()) problems.note(`--intervals: ${intervalsFile} is a folder: give the intervals.csv file itself`);
    const intervalSeconds = problems.check(() => numberFlag('interval', values.interval));
    if (intervalSeconds !== undefined && !(intervalSeconds > 0)) problems.note(`--interval: expected a positive number of seconds (got ${values.interval})`);
    // Taken silently, it would be written into run.json while every interval kept intervals.csv's dt.
    if (values.interval !== undefined && intervalsFile !== undefined) {
      problems.note(`--interval goes without intervals.csv; ${intervalsFile}${values.intervals === undefined ? ', found beside traffic.csv,' : ''} gives every interval's t and dt: leave --interval out`);
    }
    problems.throwIfAny();
    source = { kind: 'csv', trafficFile: trafficFile!, intervalsFile, intervalSeconds };
  }
  return { help: false as const, source, values };
}

/** --url as a URL; a user error naming the flag and value (credentials masked) when it is not one. */
function parsedUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new UserError(`--url: expected a URL such as http://127.0.0.1:9090 (got ${JSON.stringify(urlForMessage(text))})`);
  }
}
