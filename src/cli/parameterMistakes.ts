import { UserError } from '../errors.ts';
import { commandLineError } from './flagProblems.ts';

/** A command's flags as parsed (experiment's, record's): only the names of FLAG_FIELDS are read. */
type FlagValues = Readonly<Record<string, unknown>>;

/** The parameters field each flag of experiment and record sets (applyFlags), for naming the flag in a mistake about its value. */
const FLAG_FIELDS: readonly (readonly [string, string])[] = [
  ['duration', 'durationSeconds'],
  ['interval', 'intervalSeconds'],
  ['name', 'name'],
  ['source', 'telemetry.source'],
  ['prometheus-url', 'telemetry.prometheus.url'],
  ['traffic', 'traffic.generator'],
  ['target', 'target'],
  ['context', 'kubernetes.context'],
  ['namespace', 'kubernetes.namespace'],
];

/**
 * The parameters' problems split by where the bad value came from: a line about a field a
 * flag set is named after the flag (`--duration: Too small: expected number to be >0 (got -5)`),
 * since the value is not in the file, and a line under the file's name would send the user
 * looking for it there; the others stay the file's.
 */
function bySource(problems: readonly string[], values: FlagValues): { readonly flags: string[]; readonly file: string[] } {
  const flags: string[] = [];
  const file: string[] = [];
  for (const line of problems) {
    const flag = FLAG_FIELDS.find(([name, field]) => values[name] !== undefined && line.startsWith(`${field}: `));
    if (flag === undefined) file.push(line);
    else flags.push(`--${flag[0]}${line.slice(flag[1].length)}`);
  }
  return { flags, file };
}

/** The problem lines with those about a flag's value named after the flag, the file's first. */
export function labelledProblems(problems: readonly string[], values: FlagValues): string[] {
  const { flags, file } = bySource(problems, values);
  return [...file, ...flags];
}

/**
 * The parameter mistakes of a command with flags over a parameters file as one UserError: the
 * file's under its name (`origin`), the flags' named after them; with flags only, worded as the
 * command line's own mistakes are (FlagProblems). `durationHint` follows a line comparing a
 * field of the file with a --duration the user gave (the experiment's: a shorter run keeps the
 * file's schedule and training; say so rather than leave the user puzzled). A default's line
 * says so itself (resolveParameters).
 */
export function parameterMistakes(problems: readonly string[], values: FlagValues, origin: string, durationHint?: string): UserError {
  const { flags, file } = bySource(problems, values);
  if (file.length === 0) return commandLineError(flags);
  const where = flags.length === 0 ? origin : `${origin} and the command line`;
  const hint = durationHint !== undefined && values['duration'] !== undefined && file.some((line) => /must (fall before|be shorter than) durationSeconds/.test(line) && !line.includes(', the default')) ? `\n${durationHint}` : '';
  return new UserError(`${where}: invalid parameters:\n  ${[...file, ...flags].join('\n  ')}${hint}`);
}
