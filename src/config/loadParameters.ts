import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import type { ParametersInput } from './schema.ts';

/** The raw exports of a parameters module: its parameters and, optionally, a sweep. */
export interface ParametersModule {
  /** The base parameters (`export default` or `export const parameters`). */
  readonly parameters: ParametersInput;
  /** `export const sweep`, when the module defines one (validated by the sweep stage). */
  readonly sweep?: unknown;
  /** Absolute path of the module. */
  readonly file: string;
}

/** Import a parameters module (TypeScript or JavaScript). A missing file is a user error. */
export async function loadParameters(file: string): Promise<ParametersModule> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new UserError(`--parameters: no such file: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new UserError(`${file}: cannot be loaded: ${message}`);
  }
  const parameters = mod['parameters'] ?? mod['default'];
  if (parameters === undefined) {
    throw new UserError(`${file}: exports no parameters (expected \`export default\` or \`export const parameters\`)`);
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new UserError(`${file}: parameters must be an object (got ${Array.isArray(parameters) ? 'an array' : typeof parameters})`);
  }
  return { parameters: parameters as ParametersInput, sweep: mod['sweep'], file: absolute };
}
