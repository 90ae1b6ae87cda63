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
                          (default: the larger of 2 steps and 30 s)

csv: the inverse of npm run export: traffic.csv (t,src,dst,metric,value) and, when found
  beside it or given, intervals.csv (t,dt,gap) for the intervals and their gaps. Every bad
  row is reported with its line number, and nothing is written then.
  --intervals <file>      intervals.csv (default: the one beside traffic.csv, if any)
  --interval <s>          interval length without intervals.csv (default: the smallest
                          step between two t of traffic.csv)

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
