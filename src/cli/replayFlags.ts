import { UserError } from '../errors.ts';
import { checkSpeed } from '../replay/checkSpeed.ts';
import type { InjectionSpec, ThreadsSetting } from '../replay/index.ts';
import { CLI_DETECTOR_NAMES } from './detectorNames.ts';
import { FlagProblems } from './flagProblems.ts';
import { listFlag, numberFlag, parseFlags } from './parseFlags.ts';

export const REPLAY_HELP = `npm run replay -- <run dir | sweep folder | folder of runs> [flags]

Stream a recorded run (run-format.md) through the detectors, score them against the run's
ground truth (events.ndjson) and write <out>/summary.json, scores.csv and alerts.ndjson.
Prints a table: TP FP TN FN, TPR FPR precision F1 and ROC AUC over the scored intervals,
attacks detected/total and their mean detection delay.

Flags:
  --out <dir>             output folder (default: <run dir>/replay)
  --detectors <a,b,...>   detectors to run (default: parameters' detectors.enabled, all):
                          ${CLI_DETECTOR_NAMES.join(', ')};
                          or a loaded plugin's name: then only the plugins named run
                          (else every plugin loaded runs too)
  --detector-module <f>   load a detector plugin as well (README "Writing a detector");
                          repeatable (detectors.plugins)
  --training <s>          leading seconds used only to train (detectors.trainingSeconds)
  --speed <x>             pace the replay: 1 = real time, 10 = ten times faster; alerts
                          are printed as they fire (default: as fast as possible)
  --inject <B@S-E,...>    add synthetic exfiltration (Mimir's method): B bytes per interval
                          during each window S-E, seconds after the run start (end
                          exclusive; each interval whose middle is in it is injected
                          whole). Repeatable.
                          e.g. --inject 50000@120-180,240-260
  --inject-path <a,b,..>  route of the injected data, where it is stored first and where
                          it leaves last (default: user-db,user,front-end,external);
                          a node or hop edge the run has not shown is warned about.
                          Hop a→b adds bytes to edge b→a (the caller) as bytes sent back:
                          tcp_sent_bytes when a is a *-db, response_bytes otherwise (the
                          other one if the run lacks it)
  --inject-metrics <m,..> metric of each hop instead (one per hop)
  --inject-requests <r>   bytes of requests the injected client sends per byte it pulls
                          (an API scrape asks a page at a time), added to the last hop's
                          edge as request_bytes (tcp_received_bytes on a TCP-only run),
                          with the requests they make at that edge's bytes per request
                          when it counts requests; default 0: the pulled bytes only
  --at-fpr <r,r,...>      operating points: per detector, the threshold and TPR at each
                          false-alarm rate, read off the ROC, added to the table
                          (summary.json and the report always hold 0.01 and 0.001, or these)
  --events <file>         score against this ground truth (events.ndjson form) instead of
                          the run's own; copied to <out>/events.ndjson
  --parameters <file>     parameters module for detector settings (default: ./parameters.ts
                          when present, else the settings recorded in the run's run.json,
                          else the defaults); only its \`detectors\` is read
  --threads <n>           1, 2 or auto (default): with 2, eigenspace runs in a second thread
                          that reads the run too; the same results, sooner where eigenspace
                          is a large share of the work (large graphs, e.g. a connection log)
                          and a core is free; auto takes 2 on a machine of 2 cores or more,
                          with eigenspace and another detector enabled, when the run's first
                          64 lines name 400 nodes or more, and more nodes than a line has
                          edges, in a run of 1,000 lines or more (and says so); one thread
                          with --inject or --speed
  --no-report             skip the HTML report and its charts (<out>/report.html)
  --quiet                 no progress on stderr
  --help                  this text

Given a sweep folder (one holding sweep.json), every run is replayed once per
detector-side value × injected rate (each --inject is one rate), and comparison.csv,
comparison.json and F1 charts are written to the folder (or --out); --speed does not apply.

Given a folder of runs (a folder without run.json or sweep.json: every folder in it holding
a run.json, or a link to one), every run is replayed with the same settings (flags apply to
each; its own replay/, or <folder>/runs/<run>/ when read-only, or <out>/runs/<run>/ with
--out) and one comparison is printed and written (comparison.json, comparison.csv,
tpr-by-bytes.png): per detector, attacks caught / attacks, false alarms / benign intervals,
ROC AUC and TPR at detectors.falseAlarmRate pooled over the runs, by exfiltrated bytes when
the runs' attacks differ in size. A run that cannot be replayed is reported at the end
(exit 1); --events and --speed do not apply.

Injected exfiltrations are added to the ground truth as events of kind "exfiltration"
with "method": "synthetic", over the intervals and with the bytes really injected (a window past the
run's end or over gaps is cut, one that injected nothing dropped, and either warned
about); the run's own files are never changed.
`;

export const REPLAY_FLAGS = {
  out: { type: 'string' },
  detectors: { type: 'string' },
  training: { type: 'string' },
  'detector-module': { type: 'string', multiple: true },
  speed: { type: 'string' },
  inject: { type: 'string', multiple: true },
  'inject-path': { type: 'string' },
  'inject-metrics': { type: 'string' },
  'inject-requests': { type: 'string' },
  'at-fpr': { type: 'string' },
  events: { type: 'string' },
  parameters: { type: 'string' },
  threads: { type: 'string' },
  'no-report': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `50000@120-180,240-260` → bytes per interval and windows. */
export function parseInjectFlag(text: string): InjectionSpec {
  const usage = `--inject: expected <bytes per interval>@<start>-<end>[,<start>-<end>...] in seconds after the run start, e.g. 50000@120-180 (got ${JSON.stringify(text)})`;
  const at = text.indexOf('@');
  if (at <= 0) throw new UserError(usage);
  const bytes = decimal(text.slice(0, at));
  if (bytes === undefined || bytes <= 0) throw new UserError(`--inject: bytes per interval must be a positive number (got ${JSON.stringify(text.slice(0, at))})`);
  const windows = text
    .slice(at + 1)
    .split(',')
    .map((w) => {
      const m = /^\s*([0-9.]+)\s*-\s*([0-9.]+)\s*$/.exec(w);
      const start = m ? decimal(m[1]!) : undefined;
      const end = m ? decimal(m[2]!) : undefined;
      if (start === undefined || end === undefined) throw new UserError(usage);
      if (!(end > start)) throw new UserError(`--inject: window ${JSON.stringify(w.trim())} must end after it starts`);
      return { startSeconds: start, endSeconds: end };
    });
  return { bytesPerInterval: bytes, at: windows };
}

/** `--threads`: 1, 2 or `auto` (the default), for replay and for the bench's replays; a mistake is noted in `problems`. */
export function threadsFlag(value: string | undefined, problems: FlagProblems): ThreadsSetting {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === '1' || value === '2') return value === '2' ? 2 : 1;
  problems.note(`--threads: expected 1, 2 or auto (got ${JSON.stringify(value)})`);
  return 'auto';
}

/** The run directory and flags, checked. */
export function parseReplayArgs(argv: readonly string[]) {
  // Unknown flags are listed with the known flags' mistakes, in one error.
  const problems = new FlagProblems();
  const { values, positionals } = parseFlags(argv, REPLAY_FLAGS, true, problems);
  if (values.help) return { help: true as const };
  if (positionals.length === 0) problems.note('expected a run directory: npm run replay -- <run dir> (see --help)');
  if (positionals.length > 1) problems.note(`expected one run directory (got ${positionals.length}: ${positionals.join(' ')})`);
  // Names are checked once the detector plugins are loaded (detectorSettings): a plugin's is one too.
  const detectors = problems.check(() => listFlag('detectors', values.detectors));
  const training = problems.check(() => numberFlag('training', values.training));
  if (training !== undefined && training < 0) problems.note(`--training: expected seconds ≥ 0 (got ${training})`);
  const speed = problems.check(() => numberFlag('speed', values.speed));
  problems.check(() => checkSpeed(speed, '--speed'));
  const injectPath = problems.check(() => listFlag('inject-path', values['inject-path']));
  if (injectPath !== undefined && injectPath.length < 2) problems.note(`--inject-path: expected at least two nodes (got ${JSON.stringify(values['inject-path'])})`);
  const injectMetrics = problems.check(() => listFlag('inject-metrics', values['inject-metrics']));
  const inject = (values.inject ?? []).flatMap((text) => problems.check(() => [parseInjectFlag(text)]) ?? []);
  const injectRequests = problems.check(() => numberFlag('inject-requests', values['inject-requests']));
  if (injectRequests !== undefined && !(injectRequests >= 0)) problems.note(`--inject-requests: expected bytes per byte pulled, ≥ 0 (got ${values['inject-requests']})`);
  const atFpr = problems
    .check(() => listFlag('at-fpr', values['at-fpr']))
    ?.flatMap((r) => {
      const x = decimal(r);
      if (x !== undefined && x > 0 && x < 1) return [x];
      problems.note(`--at-fpr: expected false-alarm rates between 0 and 1, e.g. 0.01,0.001 (got ${JSON.stringify(r)})`);
      return [];
    });
  const threads = threadsFlag(values.threads, problems);
  const injecting = (values.inject ?? []).length > 0;
  if (!injecting && (values['inject-path'] !== undefined || values['inject-metrics'] !== undefined || values['inject-requests'] !== undefined)) {
    problems.note('--inject-path, --inject-metrics and --inject-requests go with --inject');
  }
  problems.throwIfAny();
  return {
    help: false as const,
    dir: positionals[0]!,
    out: values.out,
    detectors,
    training,
    speed,
    inject,
    injectPath,
    injectMetrics,
    injectRequests,
    atFpr,
    parameters: values.parameters,
    events: values.events,
    detectorModules: values['detector-module'] ?? [],
    threads,
    quiet: values.quiet === true,
    report: values['no-report'] !== true,
  };
}

function decimal(s: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}

/** A replay's checked flags (not `--help`). */
export type ReplayArgs = Extract<ReturnType<typeof parseReplayArgs>, { help: false }>;
