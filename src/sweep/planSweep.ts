import { join } from 'node:path';
import type { DetectorParameters, Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { InjectionSpec } from '../replay/index.ts';
import { applyDetectorValues, applyExperimentValues, type AxisValues } from './applyAxisValues.ts';
import type { ResolvedAxis, ResolvedInjection, Sweep } from './resolveSweep.ts';
import { joinLabels, valueLabel } from './valueLabel.ts';

/** One experiment of the sweep. */
export interface PlannedRun {
  /** Folder name, from the experiment-side values and the repeat: `bytes=20000_shape=normal_r1`. */
  readonly name: string;
  /** Experiment-side axis values. */
  readonly axisValues: AxisValues;
  /** 1-based. */
  readonly repeat: number;
  readonly parameters: Parameters;
}

export interface SweepPlan {
  readonly sweep: Sweep;
  /** <outputDir>/<sweep name>. */
  readonly dir: string;
  /** Every run, repeat by repeat (all combinations once, then again), so a partial sweep covers every combination. */
  readonly runs: readonly PlannedRun[];
}

/** One replay of each run: a combination of detector-side values and an injected rate. */
export interface ReplayVariant {
  /** Folder under the run's replay/ (`k=3_inject=20000`); '' for the one plain replay (written to replay/ itself). */
  readonly name: string;
  /** Detector-side axis values. */
  readonly axisValues: AxisValues;
  /** Synthetic exfiltration of this variant. */
  readonly inject?: InjectionSpec | undefined;
}

/** Index tuples of the cartesian product, first axis slowest. */
export function combinations(sizes: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of sizes) out = out.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return out;
}

function valuesAndName(axes: readonly ResolvedAxis[], tuple: readonly number[]): { values: Record<string, unknown>; parts: [string, string][] } {
  const values: Record<string, unknown> = {};
  const parts: [string, string][] = [];
  axes.forEach((a, k) => {
    values[a.name] = a.values[tuple[k]!];
    parts.push([a.name, a.labels[tuple[k]!]!]);
  });
  return { values, parts };
}

/**
 * Every run of the sweep with its parameters, each combination validated as a whole (axes may
 * interact, e.g. exfiltration times against the duration). Repeats get successive traffic
 * seeds (base seed, +1, +2, ...) so they are independent samples, unless an axis sweeps the seed.
 */
export function planSweep(sweep: Sweep): SweepPlan {
  const dir = join(sweep.base.outputDir, sweep.name);
  const axes = sweep.axes.filter((a) => a.side === 'experiment');
  const seedSwept = axes.some((a) => a.path === 'traffic.seed');
  const runs: PlannedRun[] = [];
  const problems: string[] = [];
  const tuples = combinations(axes.map((a) => a.values.length));
  for (let repeat = 1; repeat <= sweep.repeats; repeat++) {
    for (const tuple of tuples) {
      const { values, parts } = valuesAndName(axes, tuple);
      const name = joinLabels(parts, `r${repeat}`);
      try {
        const parameters = applyExperimentValues(sweep.base, axes, values, name, (p) => {
          delete p['name'];
          p['outputDir'] = dir;
          if (!seedSwept) (p['traffic'] as { seed: number }).seed = sweep.base.traffic.seed + repeat - 1;
        });
        runs.push({ name, axisValues: values, repeat, parameters });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        problems.push(e.message);
      }
    }
  }
  if (problems.length > 0) throw new UserError(`invalid sweep ${sweep.name}: some combinations are invalid:\n  ${problems.map((m) => m.replace(/\n/g, '\n  ')).join('\n  ')}`);
  return { sweep, dir, runs };
}

/** The injections of a sweep's `inject`: one per rate, all with the same windows. */
export function injectionsOf(inject: ResolvedInjection | undefined): InjectionSpec[] {
  return inject ? inject.bytesPerInterval.map((bytesPerInterval) => ({ bytesPerInterval, at: inject.at })) : [];
}

/**
 * The replays of each run: every combination of the detector-side axes, times every injection
 * (or no injection when none is given), injections by ascending rate. The name is '' only when there is exactly one plain
 * variant, which is then the ordinary replay/ of the run.
 */
export function planVariants(axes: readonly ResolvedAxis[], injections: readonly InjectionSpec[]): ReplayVariant[] {
  const detectorAxes = axes.filter((a) => a.side === 'detector');
  const rates = new Set<number>();
  for (const spec of injections) {
    if (rates.has(spec.bytesPerInterval)) throw new UserError(`inject: ${spec.bytesPerInterval} bytes per interval is given twice; each injected rate is one replay (and one comparison row)`);
    rates.add(spec.bytesPerInterval);
  }
  // By rate, whatever the order of the flags: replays and comparison.json list them as the F1 chart's x axis.
  const byRate = [...injections].sort((a, b) => a.bytesPerInterval - b.bytesPerInterval);
  const out: ReplayVariant[] = [];
  for (const tuple of combinations(detectorAxes.map((a) => a.values.length))) {
    const { values, parts } = valuesAndName(detectorAxes, tuple);
    if (injections.length === 0) out.push({ name: joinLabels(parts), axisValues: values });
    for (const spec of byRate) out.push({ name: joinLabels([...parts, ['inject', valueLabel(spec.bytesPerInterval)]]), axisValues: values, inject: spec });
  }
  return out;
}

/** Detector settings of every variant, checked before any replay starts. */
export function variantDetectors(base: DetectorParameters, axes: readonly ResolvedAxis[], variants: readonly ReplayVariant[]): DetectorParameters[] {
  const problems: string[] = [];
  const out: DetectorParameters[] = [];
  for (const v of variants) {
    try {
      out.push(applyDetectorValues(base, axes, v.axisValues, `replay ${v.name || '(plain)'}`));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) throw new UserError(`invalid detector settings:\n  ${problems.map((m) => m.replace(/\n/g, '\n  ')).join('\n  ')}`);
  return out;
}
