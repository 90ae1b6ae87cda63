import { DEFAULT_FALSE_ALARM_RATE } from '../detectors/defaults.ts';
import { UserError } from '../errors.ts';
import { detectorsSchema, exfiltrationSchema, lateralSchema, parametersSchema, scanSchema, trafficSchema, type DetectorParameters, type LateralSpec, type Parameters, type ScanSpec } from './schema.ts';
import { schemaProblems, show } from './schemaProblems.ts';
import { objectField } from '../objectField.ts';

/**
 * The checks a stage downstream of the schema makes, as one line per problem: the detectors'
 * own options (src/detectors validates them; config cannot import it without a cycle, so the
 * caller passes it in, see detectorOptionProblems.ts), and the scans and lateral movements
 * the target can run (src/mesh's embeddedAttackProblems for the embedded mesh).
 */
export interface ResolveOptions {
  readonly detectorOptionProblems?: ((detectors: DetectorParameters) => readonly string[]) | undefined;
  readonly attackProblems?: ((schedule: AttackSchedule) => readonly string[]) | undefined;
  /** The detector plugins that could not be loaded (preloadDetectorPlugins), listed with the rest. */
  readonly pluginProblems?: readonly string[] | undefined;
}

/**
 * The target and the scans and lateral movements the schema accepted, each at its own index:
 * the arrays are sparse, an entry the schema refused is a hole (its mistakes are reported
 * already), so the others are checked in the same round.
 */
export interface AttackSchedule {
  readonly target: Parameters['target'];
  readonly scan: readonly ScanSpec[];
  readonly lateral: readonly LateralSpec[];
}

/**
 * Apply defaults and validate. Every problem is reported at once, one line each, naming the
 * field, the bad value and what was expected, whatever stage finds it: the schema, the checks
 * across fields (made on every field that is itself valid, even when another is not) and the
 * detectors' options. `origin` (a file name) prefixes the message.
 */
export function resolveParameters(input: unknown, origin = 'parameters', options: ResolveOptions = {}): Parameters {
  const { data, problems } = parameterProblems(input, options);
  if (problems.length > 0 || data === undefined) throw invalid(origin, problems);
  return data;
}

/**
 * The detector settings alone, for replay: only `detectors` is read and validated (schema and
 * detector options). The rest of the file describes an experiment, and so do its checks across
 * fields: a replayed run has its own length, whatever `durationSeconds` says.
 */
export function resolveDetectorParameters(input: unknown, origin = 'parameters', options: ResolveOptions = {}): DetectorParameters {
  const { data, problems } = detectorParameterProblems(input, options);
  if (problems.length > 0 || data === undefined) throw invalid(origin, problems);
  return data;
}

/** Every problem of the detector settings alone (resolveDetectorParameters'), and the resolved settings when there is none. */
export function detectorParameterProblems(input: unknown, options: ResolveOptions = {}): { readonly data?: DetectorParameters; readonly problems: string[] } {
  const { data, problems } = schemaProblems(detectorsSchema, input ?? {}, 'detectors');
  problems.push(...(options.pluginProblems ?? []));
  if (data !== undefined && options.detectorOptionProblems) problems.push(...options.detectorOptionProblems(data));
  else if (data === undefined && options.detectorOptionProblems) problems.push(...optionsAlone(input, options));
  return problems.length === 0 && data !== undefined ? { data, problems } : { problems };
}

/** Every problem of a parameters object, and the resolved parameters when there is none. */
export function parameterProblems(input: unknown, options: ResolveOptions = {}): { readonly data?: Parameters; readonly problems: string[] } {
  const { data, problems } = schemaProblems(parametersSchema, input ?? {}, '');
  problems.push(...crossFieldProblems(input ?? {}));
  problems.push(...(options.pluginProblems ?? []));
  const schedule = options.attackProblems ? attackSchedule(input ?? {}) : undefined;
  if (schedule !== undefined) problems.push(...options.attackProblems!(schedule));
  if (options.detectorOptionProblems) {
    if (data !== undefined) problems.push(...options.detectorOptionProblems(data.detectors));
    else problems.push(...optionsAlone(objectField(input, 'detectors'), options));
  }
  return problems.length === 0 && data !== undefined ? { data, problems } : { problems };
}

function invalid(origin: string, problems: readonly string[]): UserError {
  return new UserError(`${origin}: invalid parameters:\n  ${problems.join('\n  ')}`);
}

/** Detector options checked even when another detectors field is wrong (a misspelt `enabled`). */
function optionsAlone(detectors: unknown, options: ResolveOptions): readonly string[] {
  const parsed = detectorsSchema.shape.options.safeParse(objectField(detectors, 'options'));
  if (!parsed.success || !options.detectorOptionProblems) return [];
  // The plugins too, when listed validly: a loaded plugin's options are checked, not an unknown detector.
  const plugins = valid<string[] | undefined>(detectorsSchema.shape.plugins, objectField(detectors, 'plugins'));
  return options.detectorOptionProblems({ enabled: [], trainingSeconds: 0, falseAlarmRate: DEFAULT_FALSE_ALARM_RATE, options: parsed.data, ...(plugins !== undefined ? { plugins } : {}) });
}

/** A field's value with its default applied, or undefined when the field itself is invalid. */
function valid<T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** The attacks of attackSchedule, or undefined when `target` itself is invalid. */
function attackSchedule(input: unknown): AttackSchedule | undefined {
  const target = valid<Parameters['target']>(parametersSchema.shape.target, objectField(input, 'target'));
  if (target === undefined) return undefined;
  const valids = <T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, list: unknown): T[] => {
    const out: T[] = [];
    if (Array.isArray(list)) list.forEach((x: unknown, i) => {
      const v = valid<T>(schema, x);
      if (v !== undefined) out[i] = v;
    });
    return out;
  };
  return { target, scan: valids<ScanSpec>(scanSchema, objectField(input, 'scan')), lateral: valids<LateralSpec>(lateralSchema, objectField(input, 'lateral')) };
}

/** Checks across fields, each made when the fields it compares are valid on their own. */
function crossFieldProblems(input: unknown): string[] {
  const out: string[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return out;
  const durationSeconds = valid<number>(parametersSchema.shape.durationSeconds, objectField(input, 'durationSeconds'));
  const intervalSeconds = valid<number>(parametersSchema.shape.intervalSeconds, objectField(input, 'intervalSeconds'));
  if (durationSeconds !== undefined && intervalSeconds !== undefined && intervalSeconds >= durationSeconds) {
    out.push(`intervalSeconds: must be shorter than durationSeconds (${durationSeconds}) (got ${intervalSeconds})`);
  }
  const telemetry = valid<{ source: string; prometheus: { url?: string; scrapeIntervalSeconds: number } }>(parametersSchema.shape.telemetry, objectField(input, 'telemetry'));
  if (telemetry !== undefined && intervalSeconds !== undefined) {
    const prom = telemetry.prometheus;
    if ((telemetry.source === 'prometheus' || prom.url !== undefined) && intervalSeconds < prom.scrapeIntervalSeconds) {
      // Intervals without a new scrape read unchanged counters (zero traffic), then one holds a
      // whole scrape's worth: a burst every scrape, an alarm storm.
      out.push(
        `intervalSeconds: must not be shorter than telemetry.prometheus.scrapeIntervalSeconds (${prom.scrapeIntervalSeconds}) when reading through Prometheus: intervals between two scrapes would show no traffic, the next a burst (got ${intervalSeconds})`,
      );
    }
  }
  // A cluster's sidecars are read through its Prometheus only (no endpoint of theirs is reachable
  // from here): refused now, not after the manifests are applied and the rollout awaited.
  if (telemetry?.source === 'scrape' && valid<string>(parametersSchema.shape.target, objectField(input, 'target')) === 'kubernetes') {
    out.push('telemetry.source: "scrape" reads the embedded mesh\'s sidecars directly; with target "kubernetes" telemetry is read through Prometheus (use "auto" or "prometheus") (got "scrape")');
  }
  const think = valid<[number, number]>(trafficSchema.shape.thinkTimeSeconds, objectField(objectField(input, 'traffic'), 'thinkTimeSeconds'));
  if (think !== undefined && think[0] > think[1]) out.push(`traffic.thinkTimeSeconds: minimum must not exceed maximum (got ${show(think)})`);
  if (durationSeconds === undefined) return out;
  const exfiltration = objectField(input, 'exfiltration');
  const schedule = exfiltration === undefined ? (valid<{ atSeconds: number }[]>(parametersSchema.shape.exfiltration, undefined) ?? []) : Array.isArray(exfiltration) ? exfiltration : [];
  // A default the user never wrote is said to be one, with how to change it: `durationSeconds:
  // 50` alone would otherwise be refused for values (90.1, 60) found nowhere in the file.
  const defaultSchedule = exfiltration === undefined ? ", the default schedule's: the parameters set no exfiltration; set your own, or [] for none" : '';
  schedule.forEach((x: unknown, i: number) => {
    const atSeconds = valid<number>(exfiltrationSchema.shape.atSeconds, objectField(x, 'atSeconds'));
    if (atSeconds !== undefined && atSeconds >= durationSeconds) {
      out.push(`exfiltration[${i}].atSeconds: must fall before durationSeconds (${durationSeconds}) (got ${atSeconds}${defaultSchedule})`);
    }
  });
  for (const kind of ['scan', 'lateral'] as const) {
    const attacks = objectField(input, kind);
    (Array.isArray(attacks) ? attacks : []).forEach((x: unknown, i: number) => {
      const atSeconds = valid<number>(exfiltrationSchema.shape.atSeconds, objectField(x, 'atSeconds'));
      if (atSeconds !== undefined && atSeconds >= durationSeconds) out.push(`${kind}[${i}].atSeconds: must fall before durationSeconds (${durationSeconds}) (got ${atSeconds})`);
    });
  }
  const trainingInput = objectField(objectField(input, 'detectors'), 'trainingSeconds');
  const trainingSeconds = valid<number>(detectorsSchema.shape.trainingSeconds, trainingInput);
  if (trainingSeconds !== undefined && trainingSeconds >= durationSeconds) {
    const defaultTraining = trainingInput === undefined ? ', the default: the parameters do not set it; set detectors.trainingSeconds shorter' : '';
    out.push(`detectors.trainingSeconds: must be shorter than durationSeconds (${durationSeconds}) (got ${trainingSeconds}${defaultTraining})`);
  }
  return out;
}
