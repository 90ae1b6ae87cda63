import type { DetectorPlugin } from './DetectorPlugin.ts';

/**
 * The detector plugins loaded in this process, by the module specifier as written in
 * `detectors.plugins`. Loading is asynchronous (a module import) and building the detectors
 * is not, so the commands load first (loadDetectorPlugins) and createDetectors looks here.
 */
const loaded = new Map<string, DetectorPlugin>();

export function registerDetectorPlugin(specifier: string, plugin: DetectorPlugin): void {
  loaded.set(specifier, plugin);
}

/** The plugin loaded for this specifier, if any. */
export function loadedDetectorPlugin(specifier: string): DetectorPlugin | undefined {
  return loaded.get(specifier);
}
