import { closestName } from '../closestName.ts';
import type { DetectorParameters } from '../config/index.ts';
import { DETECTOR_NAMES, type DetectorName } from '../detectors/index.ts';
import { loadedDetectorPlugin } from './pluginRegistry.ts';

/** The built-in detectors among `names` (replay's `--detectors`), in their order: what goes in `detectors.enabled`. */
export function builtInsNamed(names: readonly string[]): DetectorName[] {
  return names.filter((n): n is DetectorName => (DETECTOR_NAMES as readonly string[]).includes(n));
}

/**
 * The names of `--<flag>` that are neither a built-in detector nor a loaded plugin's (`plugins`:
 * the plugin files loaded, as preloadDetectorPlugins returns them), one line each, with the
 * nearest name and both lists. Checked once the plugins are loaded: before, a plugin's name
 * cannot be told from a typo.
 */
export function unknownDetectorNames(flag: string, names: readonly string[], plugins: readonly string[] = []): string[] {
  const loaded = pluginNames(plugins);
  const known = [...DETECTOR_NAMES, ...loaded];
  const choices = `choose from ${DETECTOR_NAMES.join(', ')}; plugins loaded: ${loaded.length === 0 ? 'none (detectors.plugins, --detector-module)' : loaded.join(', ')}`;
  return names
    .filter((n) => !known.includes(n))
    .map((n) => {
      const meant = closestName(n, known);
      return `--${flag}: unknown detector ${JSON.stringify(n)} (${meant === undefined ? '' : `did you mean ${JSON.stringify(meant)}? `}${choices})`;
    });
}

/**
 * The settings with only the detectors `names` lists running: its built-ins (`enabled`) and,
 * when it names a loaded plugin, only the plugins it names. Without a plugin's name every plugin
 * loaded still runs, after the built-ins named (as before plugins could be named: `--detectors
 * new-edge --detector-module x.ts` runs both). A plugin left out loses its options too, or they
 * would read as an unknown detector's when the detectors are built.
 */
export function namedDetectors(detectors: DetectorParameters, names: readonly string[]): DetectorParameters {
  const enabled = builtInsNamed(names);
  const files = detectors.plugins ?? [];
  const kept = files.filter((f) => names.includes(loadedDetectorPlugin(f)?.name ?? ''));
  if (kept.length === 0) return { ...detectors, enabled };
  const dropped = new Set(pluginNames(files.filter((f) => !kept.includes(f))));
  const options = Object.fromEntries(Object.entries(detectors.options).filter(([name]) => !dropped.has(name)));
  return { ...detectors, enabled, plugins: kept, options };
}

function pluginNames(files: readonly string[]): string[] {
  return files.flatMap((f) => {
    const plugin = loadedDetectorPlugin(f);
    return plugin === undefined ? [] : [plugin.name];
  });
}
