import type { OperatorFunction } from 'rxjs';
import type { z } from 'zod';
import type { Frame, Verdict } from '../types.ts';

/** What a detector plugin's factory is told besides its options. */
export interface PluginSetup {
  /** The detector's name, to write in every verdict. */
  readonly name: string;
  /** Frames ending within this many seconds of the stream's start only train (no alarms). */
  readonly trainingSeconds: number;
  /** The parameters' `detectors.falseAlarmRate`: the operating point a calibrated plugin should aim at (see src/detectors/stats, CalibratedLimit). */
  readonly falseAlarmRate: number;
}

/**
 * A detector from outside munnin (README "Writing a detector"): the default export of a
 * module named in `detectors.plugins` or by `--detector-module`.
 *
 * - `name`: lower-case letters, digits and dashes; how it appears in verdicts, summary.json,
 *   the report, and where its options go (`detectors.options.<name>`). Not a built-in's.
 * - `optionsSchema`: a zod schema of those options. It is checked like the built-ins': every
 *   problem named by field (`detectors.options.<name>.<field>`), before anything starts;
 *   its defaults are applied (give the object `.strict()` to refuse misspelt options).
 * - `create(options, setup)`: the detector, an RxJS operator from Frames to Verdicts: one
 *   verdict per frame, in order, with `detector: setup.name`; no alarm while training or on
 *   a gap (`frame.gap`: unknown traffic, not zero), never reading ahead. munnin's own
 *   `detectorOperator(core, options)` (src/detectors) does all that around a `{train, judge}`.
 *   Called once per stream (a live run, a replay), so state belongs inside.
 */
export interface DetectorPlugin<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly optionsSchema: S;
  create(options: z.output<S>, setup: PluginSetup): OperatorFunction<Frame, Verdict>;
}

/** Identity, for the types: `export default defineDetector({ name, optionsSchema, create })`. */
export function defineDetector<S extends z.ZodType>(plugin: DetectorPlugin<S>): DetectorPlugin<S> {
  return plugin;
}
