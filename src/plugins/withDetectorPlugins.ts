import { resolve } from 'node:path';
import type { DetectorParameters } from '../config/index.ts';
import { DETECTOR_NAMES } from '../detectors/index.ts';
import { loadDetectorPlugins } from './loadDetectorPlugins.ts';

/**
 * The detector settings with their plugins loaded: `detectors.plugins` (relative to the
 * parameters file's folder `baseDir`) and `--detector-module` flags (relative to the working
 * directory), as absolute paths, each once. Call before createDetectors / detectLive.
 */
export async function withDetectorPlugins(detectors: DetectorParameters, baseDir: string, modules: readonly string[] = []): Promise<DetectorParameters> {
  const files = pluginFiles(detectors.plugins ?? [], baseDir, modules);
  if (files.length === 0) return detectors;
  await loadDetectorPlugins(files, baseDir, DETECTOR_NAMES);
  return { ...detectors, plugins: files };
}

/** The plugin files of `detectors.plugins` and `--detector-module`, absolute, each once. */
export function pluginFiles(plugins: readonly string[], baseDir: string, modules: readonly string[]): string[] {
  return [...new Set([...plugins.map((p) => resolve(baseDir, p)), ...modules.map((m) => resolve(m))])];
}
