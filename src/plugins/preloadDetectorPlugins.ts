import type { DetectorParameters } from '../config/index.ts';
import { withDetectorPlugins } from './withDetectorPlugins.ts';

/**
 * Load the detector plugins a parameters file lists (its raw `detectors`, before validation)
 * and the `--detector-module` files, before the parameters are checked: the checks then know
 * the plugins' names and options as they know the built-ins' ("Its options are validated like
 * a built-in's"). Returns the plugin files as absolute paths (undefined when there are none),
 * to put in `detectors.plugins` of what is validated. A `plugins` that is not a list of
 * strings is left for the validation to report.
 */
export async function preloadDetectorPlugins(rawDetectors: unknown, baseDir: string, modules: readonly string[] = []): Promise<string[] | undefined> {
  const isObject = rawDetectors !== null && typeof rawDetectors === 'object' && !Array.isArray(rawDetectors);
  const listed = isObject ? (rawDetectors as { plugins?: unknown }).plugins : undefined;
  const plugins = Array.isArray(listed) && listed.every((p) => typeof p === 'string') ? (listed as string[]) : [];
  const loaded = await withDetectorPlugins({ plugins } as unknown as DetectorParameters, baseDir, modules);
  return loaded.plugins === undefined || loaded.plugins.length === 0 ? undefined : [...loaded.plugins];
}
