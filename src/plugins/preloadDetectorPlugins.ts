import { DETECTOR_NAMES } from '../detectors/index.ts';
import { detectorPluginsLoaded } from './loadDetectorPlugins.ts';
import { pluginFiles } from './withDetectorPlugins.ts';

/**
 * Load the detector plugins a parameters file lists (its raw `detectors`, before validation)
 * and the `--detector-module` files, before the parameters are checked: the checks then know
 * the plugins' names and options as they know the built-ins' ("Its options are validated like
 * a built-in's"). Returns the plugin files that loaded, as absolute paths (undefined when none
 * is listed), to put in `detectors.plugins` of what is validated, and the problems of those that
 * did not, to list with the parameters' own mistakes (every mistake at once, under the
 * parameters file's name; thrown alone, they hid the others). A `plugins` that is not a list of
 * strings is left for the validation to report.
 */
export async function preloadDetectorPlugins(rawDetectors: unknown, baseDir: string, modules: readonly string[] = []): Promise<{ readonly plugins: string[] | undefined; readonly problems: readonly string[] }> {
  const isObject = rawDetectors !== null && typeof rawDetectors === 'object' && !Array.isArray(rawDetectors);
  const listed = isObject ? (rawDetectors as { plugins?: unknown }).plugins : undefined;
  const plugins = Array.isArray(listed) && listed.every((p) => typeof p === 'string') ? (listed as string[]) : [];
  const files = pluginFiles(plugins, baseDir, modules);
  if (files.length === 0) return { plugins: undefined, problems: [] };
  const { loaded, problems } = await detectorPluginsLoaded(files, baseDir, DETECTOR_NAMES);
  // Possibly empty: the raw list's relative paths must not reach the validation unloaded.
  return { plugins: loaded, problems };
}

/**
 * The raw `detectors` with the plugin files that loaded (preloadDetectorPlugins) as its `plugins`,
 * ready to validate; unchanged when none loaded, and when it is not an object (nor absent), for
 * the validation to report as it is.
 */
export function withLoadedPlugins<T>(rawDetectors: T, plugins: readonly string[] | undefined): T {
  if (plugins === undefined) return rawDetectors;
  const isObject = rawDetectors !== null && typeof rawDetectors === 'object' && !Array.isArray(rawDetectors);
  if (!isObject && rawDetectors !== undefined) return rawDetectors;
  return { ...(rawDetectors as object | undefined), plugins: [...plugins] } as T;
}
