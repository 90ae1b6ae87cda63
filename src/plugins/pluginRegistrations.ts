import type { OperatorFunction } from 'rxjs';
import type { z } from 'zod';
import { DEFAULT_TRAINING_SECONDS } from '../detectors/detector.ts';
import { DEFAULT_FALSE_ALARM_RATE } from '../detectors/defaults.ts';
import { optionProblems } from '../detectors/options.ts';
import { UserError } from '../errors.ts';
import type { Frame, Verdict } from '../types.ts';
import { guardPluginOperator, notAnOperator, pluginFailure } from './pluginFailure.ts';
import { loadedDetectorPlugin } from './pluginRegistry.ts';

/** A plugin in the shape of createDetectors' registry entries: its schema, and a factory that checks its own options. */
export interface PluginRegistration {
  readonly schema: z.ZodType;
  create(options: unknown, setup: { readonly name?: string; readonly trainingSeconds?: number; readonly falseAlarmRate?: number }): OperatorFunction<Frame, Verdict>;
}

/**
 * The loaded plugins named by `detectors.plugins`, by detector name, for createDetectors. A
 * specifier not loaded yet is a problem added to `problems` (a command must call
 * loadDetectorPlugins first).
 */
export function pluginRegistrations(specifiers: readonly string[] | undefined, problems: string[]): Map<string, PluginRegistration> {
  const out = new Map<string, PluginRegistration>();
  for (const specifier of specifiers ?? []) {
    const plugin = loadedDetectorPlugin(specifier);
    if (!plugin) {
      problems.push(`detectors.plugins: ${specifier} has not been loaded (load it with loadDetectorPlugins before building the detectors)`);
      continue;
    }
    out.set(plugin.name, {
      schema: plugin.optionsSchema,
      create(options, setup) {
        const checked = optionProblems(plugin.optionsSchema, options, `detectors.options.${plugin.name}`);
        if (checked.problems.length > 0) throw new UserError(`invalid detector options:\n  ${checked.problems.join('\n  ')}`);
        const name = setup.name ?? plugin.name;
        const trainingSeconds = setup.trainingSeconds ?? DEFAULT_TRAINING_SECONDS;
        let operator: OperatorFunction<Frame, Verdict>;
        try {
          operator = plugin.create(checked.data, { name, trainingSeconds, falseAlarmRate: setup.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE });
        } catch (e) {
          throw pluginFailure(e, name, specifier);
        }
        // Anything else fails at the first frame as "operator is not a function" in rxjs's code.
        if (typeof operator !== 'function') throw notAnOperator(operator, name, specifier);
        // The plugin's exceptions are its author's to fix, not munnin's bug: named as such.
        return guardPluginOperator(operator, name, specifier, trainingSeconds);
      },
    });
  }
  return out;
}
