import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.ts';
import { closestName } from '../closestName.ts';
import { FlagProblems } from './flagProblems.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs (strict), but every mistake of the command line is found, not the first
 * one only: unknown flags (with the known flag each most likely meant), a flag without its
 * value, a value given to a switch, an argument where none is taken. The arguments are read
 * first (a flag taking a value takes the next argument unless it is a flag: `-` alone and
 * negative numbers or times such as `-3`, `-.5`, `-2h` are values, anything starting with `--`
 * is a flag, so `--out --trainig 100` is --out without its value and a misspelt --training;
 * `--name=value`; `--` ends the flags), the mistaken ones are noted and left out, and
 * parseArgs then reads the rest as `--name=value`, so the values have its types. A flag taking
 * one value given twice is a mistake (parseArgs would keep the last, dropping the other without
 * a word); only a flag declared `multiple` (--inject, --detector-module, --base) repeats.
 *
 * With `problems`, the mistakes are noted there and the command goes on to check the values
 * of the flags that were right, listing everything in one error (FlagProblems.throwIfAny);
 * without, they are thrown at once, all of them.
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, allowPositionals = false, problems?: FlagProblems) {
  const found = problems ?? new FlagProblems();
  const kept = keptArguments(argv, options, allowPositionals, found);
  if (problems === undefined) found.throwIfAny();
  return parseArgs({ args: kept, options, allowPositionals, strict: true });
}

/** The arguments with the mistaken ones left out (noted in `problems`), flags as `--name=value`, positionals after `--`. */
function keptArguments(argv: readonly string[], options: Options, allowPositionals: boolean, problems: FlagProblems): string[] {
  const longNames = Object.keys(options);
  const shortNames = new Map(Object.entries(options).flatMap(([name, o]) => (o.short === undefined ? [] : [[o.short, name] as const])));
  const flags: string[] = [];
  const positionals: string[] = [];
  // The value each single-valued flag was first given, to name both when it is given again.
  const given = new Map<string, string>();
  const keep = (name: string, value: string) => {
    const first = given.get(name);
    if (first === undefined || options[name]!.multiple === true) {
      given.set(name, value);
      flags.push(`--${name}=${value}`);
    } else problems.note(`--${name} given more than once (got ${JSON.stringify(first)}, then ${JSON.stringify(value)}): it takes one value; give it once`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const raw = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const name = raw.startsWith('--') ? raw.slice(2) : shortNames.get(raw.slice(1));
    const option = name === undefined || !Object.hasOwn(options, name) ? undefined : options[name]!;
    const next = argv[i + 1];
    const nextIsValue = next !== undefined && isValue(next);
    if (option === undefined) {
      const guess = raw.startsWith('--') ? closestName(raw.slice(2), longNames) : undefined;
      problems.note(`unknown flag ${raw}${guess === undefined ? '' : ` (did you mean --${guess}?)`} (see --help)`);
      // `--trainig 100`: the value belongs to the misspelt flag, not to the positionals.
      if (inline === undefined && guess !== undefined && options[guess]!.type === 'string' && nextIsValue) i++;
      continue;
    }
    if (option.type === 'boolean') {
      if (inline !== undefined) problems.note(`${raw} takes no value (got ${JSON.stringify(inline)})`);
      else flags.push(`--${name}`);
      continue;
    }
    if (inline !== undefined) keep(name!, inline);
    else if (nextIsValue) keep(name!, argv[++i]!);
    // The next flag (even a misspelt one) is read as a flag: its own mistakes are reported too.
    else if (next === undefined || next.startsWith('--') || shortNames.has(next.slice(1))) problems.note(`${raw}: expected a value (see --help)`);
    else {
      // `--name -x`, -x no flag of the command: a value or a mistyped flag, so ask for the unambiguous form.
      problems.note(`${raw}: a value starting with a dash is written ${raw}=${next} (got ${raw} ${next})`);
      i++;
    }
  }
  if (!allowPositionals && positionals.length > 0) {
    problems.note(`unexpected argument${positionals.length > 1 ? 's' : ''} ${positionals.map((p) => JSON.stringify(p)).join(' ')}: this command takes flags only (see --help)`);
    return flags;
  }
  return [...flags, '--', ...positionals];
}

/** Whether `arg`, after a flag taking a value, is its value: no dash, `-` alone (stdin/stdout), or a negative number or time (`-3`, `-.5`, `-2h`). */
function isValue(arg: string): boolean {
  return !arg.startsWith('-') || arg === '-' || /^-[\d.]/.test(arg);
}

/** A numeric flag value, or undefined when the flag was not given. */
export function numberFlag(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new UserError(`--${name}: expected a number (got ${JSON.stringify(value)})`);
  return n;
}

/** A flag restricted to a set of words. */
export function choiceFlag<T extends string>(name: string, value: string | boolean | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new UserError(`--${name}: expected one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

/** A comma-separated list flag; empty items are mistakes. */
export function listFlag(name: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UserError(`--${name}: expected a comma-separated list without empty items (got ${JSON.stringify(value)})`);
  return items;
}
