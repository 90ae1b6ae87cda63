// The calibration suite's seeded synthetic benign runs and how their alarms are counted: shared by
// calibration.test.ts (which asserts the promise) and calibrationTable.ts (which prints it).

import assert from 'node:assert/strict';
import { from, toArray } from 'rxjs';
import { detectorsSchema } from '../../src/config/schema.ts';
import { createDetectors, DETECTOR_NAMES, runDetectors, vectorize } from '../../src/detectors/index.ts';
import type { MetricKey, Snapshot, Verdict } from '../../src/types.ts';
import { BENIGN_SHAPES, benignRun } from './benignRuns.ts';

/** Edges of the suite's meshes, and intervals (two seconds each) per run. */
export const SUITE_SIZES = [14, 60, 200] as const;
export const SUITE_INTERVALS = 1000;

export interface Tally {
  alarms: number;
  scored: number;
}

/**
 * Every detector over one benign run: alarms and scored intervals (training and gaps left out); every score must be finite.
 * `metrics`: the run's declared metrics (run.json), which replay hands to vectorize so that every
 * frame carries them from the first; without them a run whose first interval holds no byte metric
 * would be judged on requests (VolumeSeries' fallback), not as replay judges it.
 */
export function tally(
  snapshots: readonly Snapshot[],
  trainingSeconds: number,
  options: Record<string, Record<string, unknown>> = {},
  metrics?: readonly MetricKey[],
  enabled: readonly string[] = DETECTOR_NAMES,
): Map<string, Tally> {
  const detectors = createDetectors(detectorsSchema.parse({ enabled, trainingSeconds, options }));
  let verdicts: Verdict[] = [];
  from(snapshots)
    .pipe(vectorize(metrics === undefined ? {} : { metrics }), runDetectors(detectors), toArray())
    .subscribe((v) => (verdicts = v));
  const out = new Map<string, Tally>();
  for (const v of verdicts) {
    if (v.training || v.gap) continue;
    const t = out.get(v.detector) ?? { alarms: 0, scored: 0 };
    t.scored++;
    if (v.alarm) t.alarms++;
    assert.ok(Number.isFinite(v.score), `${v.detector} at t=${v.t}: non-finite score ${v.score}`);
    out.set(v.detector, t);
  }
  return out;
}

/** Add each detector's alarms and scored intervals of `from` into `into`. */
export function addTallies(into: Map<string, Tally>, from: ReadonlyMap<string, Tally>): void {
  for (const [name, t] of from) {
    const sum = into.get(name) ?? { alarms: 0, scored: 0 };
    sum.alarms += t.alarms;
    sum.scored += t.scored;
    into.set(name, sum);
  }
}

/**
 * Every shape × size of the suite (seed baseSeed + 10·shape + size index, baseSeed 101 in the test), 60 s of training: the
 * tallies per shape (sizes pooled) and over everything. The synthetic mesh has no front-end →
 * user edge, so pair-ratio normalises by the front door (external → svc-0).
 */
export function syntheticSuite(
  baseSeed = 101,
  /** Detector options over the suite's own; only these detectors when `enabled` is given. */
  extra: { options?: Record<string, Record<string, unknown>>; enabled?: readonly string[] } = {},
): { byShape: Map<string, Map<string, Tally>>; total: Map<string, Tally> } {
  const options = { 'pair-ratio': { reference: { src: 'external', dst: 'svc-0' } }, ...extra.options };
  const byShape = new Map<string, Map<string, Tally>>();
  const total = new Map<string, Tally>();
  for (const [s, shape] of BENIGN_SHAPES.entries()) {
    const mine = new Map<string, Tally>();
    for (const [k, edges] of SUITE_SIZES.entries()) {
      const run = tally(benignRun({ shape, edges, intervals: SUITE_INTERVALS, seed: baseSeed + 10 * s + k }), 60, options, undefined, extra.enabled);
      addTallies(mine, run);
      addTallies(total, run);
    }
    byShape.set(shape, mine);
  }
  return { byShape, total };
}
