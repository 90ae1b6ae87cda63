import type { OperatorFunction } from 'rxjs';
import type { z } from 'zod';
import type { DetectorParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Frame, Verdict } from '../types.ts';
import { controlChart, controlChartOptionsSchema } from './control-chart/index.ts';
import { cusum, cusumOptionsSchema } from './cusum/index.ts';
import type { DetectorSetup } from './detector.ts';
import { eigenspace, eigenspaceIgnoredOptions, eigenspaceOptionsSchema } from './eigenspace/index.ts';
import { ewma, ewmaOptionsSchema } from './ewma/index.ts';
import { graphLasso, graphLassoOptionsSchema } from './graph-lasso/index.ts';
import { midas, midasOptionsSchema } from './midas/index.ts';
import { newEdge, newEdgeOptionsSchema } from './new-edge/index.ts';
import { FIXED_K_RULES, ignoredOptionWarnings, type IgnoredOptionRules } from './ignoredOptions.ts';
import { resolveFileOptions } from './fileOptions.ts';
import { optionProblems } from './options.ts';
import { pairRatio, pairRatioOptionsSchema } from './pair-ratio/index.ts';
import { path, pathOptionsSchema } from './path/index.ts';
import { pcaSubspace, pcaSubspaceIgnoredOptions, pcaSubspaceOptionsSchema } from './pca-subspace/index.ts';
import { threeTier, threeTierOptionsSchema } from './three-tier/index.ts';
// PLUGINS (issue 18): detectors loaded from detectors.plugins (src/plugins/), looked up beside the built-ins.
import { pluginRegistrations } from '../plugins/pluginRegistrations.ts';

/** A detector the parameters can enable. */
export type DetectorName = DetectorParameters['enabled'][number];

/** One enabled detector, ready to apply to a frame stream. */
export interface NamedDetector {
  readonly name: DetectorName;
  readonly operator: OperatorFunction<Frame, Verdict>;
}

interface Registration {
  readonly schema: z.ZodType;
  create(options: never, setup: DetectorSetup): OperatorFunction<Frame, Verdict>;
  /** Option combinations where one setting has no effect (said by detectorOptionWarnings). */
  readonly ignored?: IgnoredOptionRules;
  /** Options naming a file: a relative path is read from the parameters file's folder (detectorFilesFrom). */
  readonly files?: readonly string[];
}

const registry: Readonly<Record<DetectorName, Registration>> = {
  'control-chart': { schema: controlChartOptionsSchema, create: controlChart, ignored: FIXED_K_RULES },
  ewma: { schema: ewmaOptionsSchema, create: ewma, ignored: FIXED_K_RULES },
  'pair-ratio': { schema: pairRatioOptionsSchema, create: pairRatio, ignored: FIXED_K_RULES },
  'three-tier': { schema: threeTierOptionsSchema, create: threeTier, ignored: FIXED_K_RULES },
  'new-edge': { schema: newEdgeOptionsSchema, create: newEdge, files: ['policyFile'] },
  eigenspace: { schema: eigenspaceOptionsSchema, create: eigenspace, ignored: eigenspaceIgnoredOptions },
  'pca-subspace': { schema: pcaSubspaceOptionsSchema, create: pcaSubspace, ignored: pcaSubspaceIgnoredOptions },
  cusum: { schema: cusumOptionsSchema, create: cusum },
  path: { schema: pathOptionsSchema, create: path },
  midas: { schema: midasOptionsSchema, create: midas },
  'graph-lasso': { schema: graphLassoOptionsSchema, create: graphLasso },
};

/** Detector names in the order they run. */
export const DETECTOR_NAMES = Object.keys(registry) as DetectorName[];

/**
 * Validate every detector's options (also of detectors not enabled, so a typo does not wait
 * for the day it is enabled) and build the enabled ones, in the order given. All problems are
 * reported at once, each naming its field, e.g. `detectors.options.ewma.lambda: ...`, after
 * `origin` (the parameters file) when given.
 */
export function createDetectors(config: DetectorParameters, origin?: string): NamedDetector[] {
  const problems: string[] = [];
  // PLUGINS (issue 18): the loaded plugins' registrations, by name.
  const plugins = pluginRegistrations(config.plugins, problems);
  for (const [name, options] of Object.entries(config.options)) {
    const registration = Object.hasOwn(registry, name) ? registry[name as DetectorName] : plugins.get(name); // PLUGINS (issue 18): was `: undefined`
    if (registration === undefined) {
      problems.push(`detectors.options.${name}: unknown detector "${name}" (known: ${[...DETECTOR_NAMES, ...plugins.keys()].join(', ')})`); // PLUGINS (issue 18): plugin names listed too
      continue;
    }
    problems.push(...optionProblems(registration.schema, options, `detectors.options.${name}`).problems);
  }
  if (problems.length > 0) throw new UserError(`${origin === undefined ? '' : `${origin}: `}invalid detector parameters:\n  ${problems.join('\n  ')}`);
  const out: NamedDetector[] = [];
  for (const name of new Set(config.enabled)) {
    const registration = registry[name];
    const options = (config.options[name] ?? {}) as never;
    out.push({ name, operator: registration.create(options, { name, trainingSeconds: config.trainingSeconds, falseAlarmRate: config.falseAlarmRate }) });
  }
  // PLUGINS (issue 18): every plugin listed runs, after the built-ins (its name is not one of DetectorName's).
  for (const [name, registration] of plugins) {
    out.push({ name: name as DetectorName, operator: registration.create(config.options[name] ?? {}, { name, trainingSeconds: config.trainingSeconds, falseAlarmRate: config.falseAlarmRate }) });
  }
  return out;
}

/**
 * Settings written in the detectors' options that have no effect beside, or without, another
 * (IgnoredOptionRules: `falseAlarmRate` beside a fixed `k`, `multipleComparisons` without one),
 * one line each naming both fields, e.g. `detectors.options.ewma.falseAlarmRate (0.001) has no
 * effect: detectors.options.ewma.k is set too and wins (...)`. Every detector's options, enabled
 * or not, as createDetectors validates them; options it refuses are left to it. Said once, by the
 * command that checks the parameters, before the file's name.
 */
export function detectorOptionWarnings(config: Pick<DetectorParameters, 'options'>): string[] {
  const out: string[] = [];
  for (const [name, options] of Object.entries(config.options)) {
    const rules = Object.hasOwn(registry, name) ? registry[name as DetectorName].ignored : undefined;
    if (rules !== undefined) out.push(...ignoredOptionWarnings(rules, options, `detectors.options.${name}`));
  }
  return out;
}

/**
 * The parameters' `detectors` (as written, before validation) with every detector option that
 * names a file (a registration's `files`) resolved against `baseDir`, the parameters file's
 * folder (see resolveFileOptions). A copy where anything changes; what is not an object is left
 * for validation to report.
 */
export function detectorFilesFrom(detectors: unknown, baseDir: string): unknown {
  const options = isRecord(detectors) ? detectors['options'] : undefined;
  if (!isRecord(options)) return detectors;
  let out: Record<string, unknown> | undefined;
  for (const name of DETECTOR_NAMES) {
    const fields = registry[name].files;
    if (fields === undefined || !Object.hasOwn(options, name)) continue;
    const resolved = resolveFileOptions(options[name], fields, baseDir);
    if (resolved !== options[name]) (out ??= { ...options })[name] = resolved;
  }
  return out === undefined ? detectors : { ...(detectors as Record<string, unknown>), options: out };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
