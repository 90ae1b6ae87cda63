import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toError, UserError } from '../errors.ts';
import { compiledModuleUrl } from './compiledModule.ts';
import { formatPlainDataProblem, isAbout, plainDataProblems } from './plainDataProblems.ts';
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

export interface LoadParametersOptions {
  /**
   * Longest wait for the module to finish loading (default 10000 ms). A module awaiting
   * something that never comes would otherwise leave the command to exit silently, with
   * nothing done.
   */
  readonly timeoutMillis?: number;
  /**
   * The caller's own checks of the parameters (its schema, with its flags applied), as one
   * line per problem. Made here only when some parameters are not plain data, on the rest of
   * them, so that those mistakes and the schema's are listed in one error; otherwise the
   * caller makes them itself, after loading.
   */
  readonly problemsBeside?: (plainParameters: ParametersInput) => readonly string[];
}

/**
 * Import a parameters module (TypeScript or JavaScript). A missing file, a module that
 * throws (whatever it throws) or does not finish loading in time, and parameters that are
 * not plain data are user errors naming the file (and the fields).
 */
export async function loadParameters(file: string, options: LoadParametersOptions = {}): Promise<ParametersModule> {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new UserError(`--parameters: no such file: ${file}`);
  const timeoutMillis = options.timeoutMillis ?? 10_000;
  let mod: Record<string, unknown>;
  let timer: NodeJS.Timeout | undefined;
  try {
    // The timer is not unref'd: it is what keeps the process alive to say what went wrong.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UserError(`${file}: did not finish loading within ${timeoutMillis / 1000} s (does it await something that never comes, such as a promise never resolved or a server that does not answer?)`)), timeoutMillis);
    });
    // The kept JavaScript bundle when the command compiled one (see compileTypeScriptModule).
    const url = compiledModuleUrl(absolute) ?? pathToFileURL(absolute).href;
    mod = (await Promise.race([import(url), timeout])) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot be loaded: ${toError(e).message}`);
  } finally {
    clearTimeout(timer);
  }
  const parameters = mod['parameters'] ?? mod['default'];
  if (parameters === undefined) {
    throw new UserError(`${file}: exports no parameters (expected \`export default\` or \`export const parameters\`)`);
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new UserError(`${file}: parameters must be an object (got ${Array.isArray(parameters) ? 'an array' : typeof parameters})`);
  }
  const { plain, problems } = plainDataProblems(parameters);
  if (problems.length > 0) {
    // A field already refused as not plain data is not also reported missing or mistyped.
    const refused = problems.map((p) => p.path);
    const beside = refused.includes('') ? [] : (options.problemsBeside?.(plain as ParametersInput) ?? []);
    const lines = [...problems.map(formatPlainDataProblem), ...beside.filter((b) => !refused.some((path) => isAbout(b, path)))];
    throw new UserError(`${file}: invalid parameters:\n  ${lines.join('\n  ')}`);
  }
  return { parameters: parameters as ParametersInput, sweep: mod['sweep'], file: absolute };
}
