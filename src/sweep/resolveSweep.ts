import { z } from 'zod';
import { resolveParameters, type Parameters } from '../config/index.ts';
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { formatSegments, parsePath, setAtPath, type PathSegment } from './parameterPath.ts';
import { schemaProblems, show } from '../config/index.ts';
import { axisLabels } from './valueLabel.ts';

/** `experiment`: each value is its own run; `detector` (paths under `detectors.`): swept when replaying. */
export type AxisSide = 'experiment' | 'detector';

/** An axis, checked. */
export interface ResolvedAxis {
  readonly name: string;
  /** The path as written, normalised (`exfiltration[*].bytes`). */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly side: AxisSide;
  readonly values: readonly unknown[];
  /** Folder-safe label of each value (same order), unique within the axis (see axisLabels). */
  readonly labels: readonly string[];
}

/** Replay-time synthetic exfiltration, checked. */
export interface ResolvedInjection {
  readonly bytesPerInterval: readonly number[];
  readonly at: readonly { readonly startSeconds: number; readonly endSeconds: number }[];
  readonly path?: readonly string[] | undefined;
  readonly metrics?: readonly string[] | undefined;
}

/** A sweep ready to plan: every axis value known to give valid parameters. */
export interface Sweep {
  readonly name: string;
  readonly repeats: number;
  readonly axes: readonly ResolvedAxis[];
  readonly inject?: ResolvedInjection | undefined;
  /** The resolved parameters every run starts from. */
  readonly base: Parameters;
}

/** Axis names become run-name parts (`name=value`, joined by `_`) and CSV columns. */
const AXIS_NAME = /^[A-Za-z][A-Za-z0-9.-]*$/;
/** Column names of the comparison an axis must not take. */
const RESERVED_AXIS_NAMES = new Set(['detector', 'runs']);
const SWEEP_NAME = /^[A-Za-z0-9._-]+$/;

const sweepSchema = z
  .object({
    name: z.string().regex(SWEEP_NAME, 'letters, digits, dot, dash and underscore only').optional(),
    repeats: z.number().int().positive().default(1),
    axes: z.record(z.string(), z.object({ path: z.string(), values: z.array(z.unknown()).min(1, 'give at least one value') }).strict()).default({}),
    inject: z
      .object({
        bytesPerInterval: z.array(z.number().finite().positive()).min(1),
        at: z.array(z.object({ startSeconds: z.number().finite().nonnegative(), endSeconds: z.number().finite().positive() }).strict()).min(1),
        path: z.array(z.string().min(1)).min(2).optional(),
        metrics: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface ResolveSweepOptions {
  /** Names the parameters file in messages. */
  readonly origin?: string;
  /** Overrides the sweep's name (`--name`). */
  readonly name?: string | undefined;
}

/**
 * Check a parameters module's `sweep` export against the base parameters before anything
 * runs: its shape, every axis path (parsed, and not `name`/`outputDir`), and every value, by
 * setting it at its path in the base parameters and validating the whole (the strict schema
 * rejects misspelt fields; detector options go through the detectors' own validation). All
 * problems are reported at once, each naming the axis, the path and the value.
 */
export function resolveSweep(definition: unknown, base: Parameters, options: ResolveSweepOptions = {}): Sweep {
  const origin = options.origin ?? 'parameters';
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new UserError(`${origin}: sweep: expected an object such as defineSweep({ axes: { ... } }) (got ${show(definition)})`);
  }
  const { data, problems } = schemaProblems(sweepSchema, definition, 'sweep');
  if (data === undefined) throw new UserError(`${origin}: invalid sweep:\n  ${problems.join('\n  ')}`);

  const axes: ResolvedAxis[] = [];
  for (const [name, raw] of Object.entries(data.axes)) {
    const where = `sweep.axes.${name}`;
    if (!AXIS_NAME.test(name)) problems.push(`${where}: axis names are a letter then letters, digits, dot or dash (got ${JSON.stringify(name)})`);
    else if (RESERVED_AXIS_NAMES.has(name)) problems.push(`${where}: "${name}" is a column of the comparison; choose another axis name`);
    let segments: PathSegment[];
    try {
      segments = parsePath(raw.path);
    } catch (e) {
      problems.push(`${where}.path: ${(e as Error).message} (got ${show(raw.path)})`);
      continue;
    }
    const top = segments[0]!.kind === 'key' ? segments[0]!.key : '';
    if (top === 'name' || top === 'outputDir') {
      problems.push(`${where}.path: ${top} cannot be swept (runs go to <outputDir>/<sweep name>/<run name>) (got ${show(raw.path)})`);
      continue;
    }
    const path = formatSegments(segments);
    const side: AxisSide = top === 'detectors' ? 'detector' : 'experiment';
    const labels = axisLabels(raw.values);
    const seen = new Map<string, number>();
    raw.values.forEach((value, i) => {
      const json = JSON.stringify(value) ?? String(value);
      const before = seen.get(json);
      if (before !== undefined) problems.push(`${where}.values[${i}]: repeats values[${before}] (got ${show(value)})`);
      else seen.set(json, i);
      problems.push(...valueProblems(base, segments, value, side).map((p) => `axis ${name} (${path}) = ${show(value)}: ${p}`));
    });
    axes.push({ name, path, segments, side, values: raw.values, labels });
  }
  const paths = new Map<string, string>();
  for (const a of axes) {
    const other = paths.get(a.path);
    if (other !== undefined) problems.push(`sweep.axes.${a.name}.path: axis ${other} sweeps the same path (${a.path})`);
    paths.set(a.path, a.name);
  }
  data.inject?.at.forEach((w, i) => {
    if (!(w.endSeconds > w.startSeconds)) problems.push(`sweep.inject.at[${i}]: must end after it starts (got ${show(w)})`);
  });
  const name = options.name ?? data.name ?? base.name ?? 'sweep';
  if (!SWEEP_NAME.test(name)) problems.push(`sweep name: letters, digits, dot, dash and underscore only (got ${show(name)})`);
  if (problems.length > 0) throw new UserError(`${origin}: invalid sweep:\n  ${problems.join('\n  ')}`);
  return { name, repeats: data.repeats, axes, inject: data.inject, base };
}

/** What is wrong with the base parameters once `value` is set at the path (one line each). */
function valueProblems(base: Parameters, segments: readonly PathSegment[], value: unknown, side: AxisSide): string[] {
  const input = structuredClone(base) as unknown as Record<string, unknown>;
  try {
    setAtPath(input, segments, value);
  } catch (e) {
    return [(e as Error).message];
  }
  try {
    const resolved = resolveParameters(input, 'sweep');
    if (side === 'detector') createDetectors(resolved.detectors);
    return [];
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // Both validators list their problems one per indented line after a heading.
    return e.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter(Boolean);
  }
}
