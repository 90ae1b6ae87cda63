import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import type { DetectorPlugin } from './DetectorPlugin.ts';
import { loadedDetectorPlugin, registerDetectorPlugin } from './pluginRegistry.ts';

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Import every module of `detectors.plugins` (paths relative to `baseDir`, the parameters
 * file's folder, or the working directory for flags), check that each default-exports a
 * DetectorPlugin whose name is new, and register it for createDetectors. Every problem of
 * every module is reported at once, naming the file.
 */
export async function loadDetectorPlugins(specifiers: readonly string[], baseDir: string, builtIns: readonly string[]): Promise<DetectorPlugin[]> {
  const { plugins, problems } = await detectorPluginsLoaded(specifiers, baseDir, builtIns);
  if (problems.length > 0) throw new UserError(`invalid detector plugins:\n  ${problems.join('\n  ')}`);
  return plugins;
}

/**
 * What loadDetectorPlugins does, its problems returned rather than thrown (one line each,
 * `detectors.plugins: <specifier>: ...`), so a command can list them with the parameters' own
 * mistakes; `loaded` holds the specifiers that loaded, registered.
 */
export async function detectorPluginsLoaded(specifiers: readonly string[], baseDir: string, builtIns: readonly string[]): Promise<{ plugins: DetectorPlugin[]; loaded: string[]; problems: string[] }> {
  const problems: string[] = [];
  const plugins: DetectorPlugin[] = [];
  const loaded: string[] = [];
  const names = new Map<string, string>();
  for (const specifier of specifiers) {
    const already = loadedDetectorPlugin(specifier);
    if (already) {
      plugins.push(already);
      loaded.push(specifier);
      names.set(already.name, specifier);
      continue;
    }
    const file = isAbsolute(specifier) ? specifier : resolve(baseDir, specifier);
    if (!existsSync(file)) {
      problems.push(`detectors.plugins: ${specifier}: no such file (looked for ${file})`);
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(file);
    } catch (e) {
      problems.push(`detectors.plugins: ${specifier}: cannot be loaded: ${loadFailure(e)}`);
      continue;
    }
    const exports = commonJsExports(mod);
    const plugin = exports['default'] ?? exports['detector'];
    const wrong = pluginProblems(plugin);
    if (wrong.length > 0) {
      problems.push(...wrong.map((w) => `detectors.plugins: ${specifier}: ${w}`));
      continue;
    }
    const p = plugin as DetectorPlugin;
    if (builtIns.includes(p.name)) problems.push(`detectors.plugins: ${specifier}: name "${p.name}" is a built-in detector's; choose another`);
    else if (names.has(p.name)) problems.push(`detectors.plugins: ${specifier}: name "${p.name}" is also the name of ${names.get(p.name)}`);
    else {
      names.set(p.name, specifier);
      plugins.push(p);
      loaded.push(specifier);
      // Under both names: parameters re-resolved later (a sweep's runs) may hold either.
      registerDetectorPlugin(specifier, p);
      registerDetectorPlugin(file, p);
    }
  }
  return { plugins, loaded, problems };
}

/**
 * The module's own exports. A `.ts` file in a package without `"type": "module"` (what
 * `npm init` writes) is CommonJS to Node, and tsx compiles its `export default {...}` to
 * `exports.default = {...}` with `__esModule` set: `import()` then gives the whole `exports`
 * object as `default`, so the plugin is at `.default.default`. Unwrapped as bundlers do: a
 * namespace whose default carries `__esModule` (or a `default` of its own) is that default.
 */
export function commonJsExports(mod: Record<string, unknown>): Record<string, unknown> {
  const inner = mod['default'];
  if (inner === null || typeof inner !== 'object') return mod;
  const cjs = inner as Record<string, unknown>;
  return cjs['__esModule'] === true || Object.hasOwn(cjs, 'default') ? cjs : mod;
}

/** What keeps a module's export from being a DetectorPlugin (empty when it is one). */
function pluginProblems(plugin: unknown): string[] {
  if (plugin === null || typeof plugin !== 'object') return ['exports no detector (expected `export default defineDetector({ name, optionsSchema, create })`)'];
  const p = plugin as Record<string, unknown>;
  const out: string[] = [];
  if (typeof p['name'] !== 'string' || !NAME.test(p['name'])) out.push(`name: expected lower-case letters, digits and dashes (got ${JSON.stringify(p['name'])})`);
  const schema = p['optionsSchema'] as { safeParse?: unknown } | undefined;
  if (schema === null || typeof schema !== 'object' || typeof schema.safeParse !== 'function') out.push('optionsSchema: expected a zod schema');
  if (typeof p['create'] !== 'function') out.push('create: expected a function (options, setup) => OperatorFunction<Frame, Verdict>');
  return out;
}

/** Lines of a load failure's message kept at most (esbuild lists each syntax error on its own line). */
const MAX_LOAD_LINES = 6;

/**
 * Why a module could not be imported, on a few lines. esbuild's "Transform failed with 1
 * error:" is followed by the line that matters (`file:5:28: ERROR: Expected ")" but found
 * "}"`), so the message is kept whole, each further line indented under the problem; Node's
 * "Require stack:" list that follows a missing import is munnin's own call chain, left out.
 */
function loadFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const lines = e.message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const stack = lines.indexOf('Require stack:');
  const kept = (stack >= 0 ? lines.slice(0, stack) : lines).slice(0, MAX_LOAD_LINES);
  return kept.join('\n    ');
}

/** A plain import when TypeScript is already loadable (node --import tsx), else through tsx's on-demand API. */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
