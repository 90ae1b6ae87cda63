import type { ParametersInput } from '../config/index.ts';
import { FlagProblems } from './flagProblems.ts';
import { choiceFlag, numberFlag, parseFlags } from './parseFlags.ts';

export const EXPERIMENT_HELP = `npm run experiment -- [flags]

Stand up the target application, drive background traffic, perform the scheduled
exfiltrations and record per-interval traffic matrices to experimental_data/<run>/.

Flags (each overrides parameters.ts without editing it):
  --duration <s>          recorded length in seconds           (durationSeconds)
  --interval <s>          length of one interval in seconds    (intervalSeconds)
  --name <run>            run name (default: next free runN)   (name)
  --parameters <file>     parameters module (default: ./parameters.ts)
  --source <kind>         auto | scrape | prometheus            (telemetry.source)
  --prometheus-url <url>  read an existing Prometheus-API endpoint (telemetry.prometheus.url)
  --traffic <kind>        auto | builtin | locust               (traffic.generator)
  --target <kind>         embedded | kubernetes                 (target)
  --context <name>        kubeconfig context, with --target kubernetes
  --namespace <name>      Sock Shop namespace, with --target kubernetes
  --detector-module <f>   load a detector plugin (README "Writing a detector"); repeatable
                          (detectors.plugins)
  --quiet                 no progress or alerts on stderr
  --sweep                 record every run of parameters.ts' \`sweep\` into
                          <outputDir>/<sweep name>/<run>/ (--name names the sweep);
                          run again to resume: complete runs are skipped
  --dashboard             serve the live dashboard while it runs (http://127.0.0.1:5001/),
                          and after it until Ctrl-C
  --port <n>              dashboard port (default 5001), with --dashboard
  --host <addr>           dashboard interface (default 127.0.0.1), with --dashboard
  --help                  this text

Ctrl-C stops cleanly: every process started is stopped, and the run keeps everything
recorded so far (run.json says "complete": false).
`;

export const EXPERIMENT_FLAGS = {
  duration: { type: 'string' },
  interval: { type: 'string' },
  name: { type: 'string' },
  parameters: { type: 'string' },
  source: { type: 'string' },
  'prometheus-url': { type: 'string' },
  traffic: { type: 'string' },
  target: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string' },
  'detector-module': { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
  sweep: { type: 'boolean' },
  dashboard: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The experiment command's flags as parsed. */
export type ExperimentFlagValues = ReturnType<typeof parseFlags<typeof EXPERIMENT_FLAGS>>['values'];

/** Apply the flags over the parameters module's values (validation comes after, once). */
export function applyFlags(base: ParametersInput, values: ExperimentFlagValues): ParametersInput {
  const p = structuredClone(base) as Record<string, any>;
  const set = (path: string[], value: unknown) => {
    if (value === undefined) return;
    let cur = p;
    for (const key of path.slice(0, -1)) {
      const next = (cur[key] ??= {}) as unknown;
      // Not an object (`telemetry: 'oops'`): validation reports the field; the flag has nowhere to go.
      if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
      cur = next as Record<string, any>;
    }
    cur[path[path.length - 1]!] = value;
  };
  // Every flag's mistake at once (a value the parameters' validation then refuses is reported by it, with the others it finds).
  const problems = new FlagProblems();
  if ((values.context || values.namespace) && (values.target ?? (base as { target?: string }).target) !== 'kubernetes') {
    problems.note('--context and --namespace go with --target kubernetes');
  }
  if (!values.dashboard && (values.port !== undefined || values.host !== undefined)) problems.note('--port and --host go with --dashboard');
  if (values.sweep && values.dashboard) problems.note('--dashboard follows one run; it does not go with --sweep');
  set(['durationSeconds'], problems.check(() => numberFlag('duration', values.duration)));
  set(['intervalSeconds'], problems.check(() => numberFlag('interval', values.interval)));
  set(['name'], values.name);
  set(['telemetry', 'source'], problems.check(() => choiceFlag('source', values.source, ['auto', 'scrape', 'prometheus'])));
  set(['telemetry', 'prometheus', 'url'], values['prometheus-url']);
  set(['traffic', 'generator'], problems.check(() => choiceFlag('traffic', values.traffic, ['auto', 'builtin', 'locust'])));
  set(['target'], problems.check(() => choiceFlag('target', values.target, ['embedded', 'kubernetes'])));
  set(['kubernetes', 'context'], values.context);
  set(['kubernetes', 'namespace'], values.namespace);
  problems.throwIfAny();
  return p as ParametersInput;
}
