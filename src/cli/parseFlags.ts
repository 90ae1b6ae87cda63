import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into one-line user errors naming the flag. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw new UserError(`${message} (see --help)`);
  }
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
