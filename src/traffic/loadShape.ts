import type { LoadShape } from '../config/index.ts';

// The number of simulated users over a run. locust/munnin_shape.py implements the same
// formulas (same floating-point operations, same rounding) for real Locust; keep them in step.

/** Steps of Munnin's diurnal curve: one simulated day of 24 hours, compressed into the run. */
export const NORMAL_STEPS = 24;

/** Bursty shape: the run is cut into this many equal periods, each with one burst. */
export const BURSTY_PERIODS = 8;
/** Bursty shape: a period is at peak during [start, end) of its length, as fractions. */
export const BURSTY_BURST_START = 0.5;
export const BURSTY_BURST_END = 0.75;
/** Bursty shape: users outside bursts, as a fraction of peak (rounded, at least 1). */
export const BURSTY_BASELINE = 0.25;

/**
 * Munnin's diurnal load, f(x) = (1/25)(-1/2 sin(pi x / 12) + 1.1), x = hour 0..23:
 * quietest at hour 6, busiest at hour 18.
 */
export function normalCurve(hour: number): number {
  return (1 / 25) * (-0.5 * Math.sin((Math.PI * hour) / 12) + 1.1);
}

let normalMax: number | undefined;

/** Largest f(x) over the 24 steps (the curve is scaled so that this step has peakUsers). */
export function normalCurveMax(): number {
  if (normalMax === undefined) {
    let max = -Infinity;
    for (let x = 0; x < NORMAL_STEPS; x++) max = Math.max(max, normalCurve(x));
    normalMax = max;
  }
  return normalMax;
}

/** Round half up, as Python's math.floor(v + 0.5) does (Python's round() rounds half to even). */
function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5);
}

/**
 * Users wanted `elapsedSeconds` into a run of `durationSeconds` whose busiest moment has
 * `peakUsers`. Always at least 1.
 *
 * - `constant`: peakUsers throughout.
 * - `normal`: Munnin's diurnal curve; the run is cut into 24 equal steps, step x has
 *   round(peakUsers * f(x) / max f). Before 0 counts as step 0, after the end as step 23.
 * - `bursty`: the run is cut into 8 equal periods; each is at round(peakUsers / 4)
 *   except during its third quarter, a burst at peakUsers. The pattern repeats after the end.
 */
export function usersAt(shape: LoadShape, elapsedSeconds: number, durationSeconds: number, peakUsers: number): number {
  if (!(durationSeconds > 0)) throw new RangeError(`durationSeconds must be positive (got ${durationSeconds})`);
  if (!(peakUsers >= 1)) throw new RangeError(`peakUsers must be at least 1 (got ${peakUsers})`);
  const elapsed = Math.max(0, elapsedSeconds);
  switch (shape) {
    case 'constant':
      return Math.max(1, roundHalfUp(peakUsers));
    case 'normal': {
      const step = Math.min(NORMAL_STEPS - 1, Math.floor((elapsed * NORMAL_STEPS) / durationSeconds));
      return Math.max(1, roundHalfUp((peakUsers * normalCurve(step)) / normalCurveMax()));
    }
    case 'bursty': {
      const periods = (elapsed * BURSTY_PERIODS) / durationSeconds;
      const phase = periods - Math.floor(periods);
      const burst = phase >= BURSTY_BURST_START && phase < BURSTY_BURST_END;
      return Math.max(1, roundHalfUp(burst ? peakUsers : peakUsers * BURSTY_BASELINE));
    }
  }
}

/**
 * Seconds (from the run's start) at which the user count next differs from its value at
 * `elapsedSeconds`, looking along a grid of `stepSeconds`; undefined when it stays the same
 * until the end of the run. Used to give load-change events their end.
 */
export function nextChangeSeconds(
  shape: LoadShape,
  elapsedSeconds: number,
  durationSeconds: number,
  peakUsers: number,
  stepSeconds: number,
): number | undefined {
  const now = usersAt(shape, elapsedSeconds, durationSeconds, peakUsers);
  for (let t = elapsedSeconds + stepSeconds; t < durationSeconds + stepSeconds; t += stepSeconds) {
    if (usersAt(shape, t, durationSeconds, peakUsers) !== now) return t;
  }
  return undefined;
}
