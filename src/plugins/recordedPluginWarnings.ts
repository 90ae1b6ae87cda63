import { join, resolve } from 'node:path';
import { readManifest } from '../store/index.ts';
import { objectField } from '../objectField.ts';

/** A run whose recorded plugins are compared with those loaded: its name and folder. */
export interface RecordedRun {
  readonly name: string;
  readonly dir: string;
}

/** Runs named in a warning at most; more are counted. */
const MAX_NAMED = 5;

/**
 * The detector plugins a run's run.json records (`parameters.detectors.plugins`, as munnin
 * writes it: absolute paths) that the replay's settings do not load (`loaded`, absolute).
 */
export function pluginsNotLoaded(recorded: unknown, loaded: readonly string[]): string[] {
  if (!Array.isArray(recorded)) return [];
  return recorded.filter((p): p is string => typeof p === 'string' && !loaded.includes(resolve(p)));
}

/**
 * What a replay says when runs were recorded with detector plugins its settings (from `source`)
 * do not load: detectors whose live alerts the user saw would vanish from the replay without a
 * word. One run replayed alone is named with its run.json; runs of a folder or a sweep that
 * share the same missing plugins are named together (or counted, beyond MAX_NAMED), once.
 */
export function pluginsNotLoadedWarning(source: string, missing: readonly string[], runs: readonly RecordedRun[], total: number): string {
  const load = `which it does not load: their detectors are not replayed; load them with ${missing.map((p) => `--detector-module ${p}`).join(' ')} (or list them in detectors.plugins)`;
  if (total === 1 && runs.length === 1) {
    return `${source}: the run was recorded with detector plugin(s) ${missing.join(', ')} (${join(runs[0]!.dir, 'run.json')}, parameters.detectors.plugins), ${load}`;
  }
  const names = runs.slice(0, MAX_NAMED).map((r) => r.name);
  const listed = runs.length > MAX_NAMED ? `${names.join(', ')} and ${runs.length - MAX_NAMED} more` : names.join(', ');
  const which = runs.length === 1 ? `run ${listed} was` : `${runs.length === total ? `all ${total}` : `${runs.length} of the ${total}`} runs (${listed}) were`;
  return `${source}: ${which} recorded with detector plugin(s) ${missing.join(', ')} (run.json, parameters.detectors.plugins), ${load}`;
}

/**
 * The warnings for a replay of many runs (a folder, a sweep): each run's run.json is read, and
 * each distinct set of recorded plugins not loaded is said once, naming its runs. A run.json
 * that cannot be read is left to the replay, which reports it.
 */
export async function recordedPluginWarnings(source: string, runs: readonly RecordedRun[], loaded: readonly string[]): Promise<string[]> {
  const bySet = new Map<string, { missing: string[]; runs: RecordedRun[] }>();
  for (const run of runs) {
    const manifest = await readManifest(run.dir).catch(() => undefined);
    const missing = pluginsNotLoaded(objectField(objectField(manifest?.parameters, 'detectors'), 'plugins'), loaded);
    if (missing.length === 0) continue;
    const key = JSON.stringify(missing);
    const group = bySet.get(key) ?? { missing, runs: [] };
    group.runs.push(run);
    bySet.set(key, group);
  }
  return [...bySet.values()].map((g) => pluginsNotLoadedWarning(source, g.missing, g.runs, runs.length));
}
