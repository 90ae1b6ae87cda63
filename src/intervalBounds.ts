// Interval bounds compared as the run format means them: in exact arithmetic on the decimals a
// run's files hold (docs/run-format.md, "events.ndjson": `t > start` and `t - dt < end`). A
// double holds neither 1764576177.6 nor 1.2 exactly, and `t - dt` computed in floating point
// lands a few ulps off the previous interval's t (1764576177.6 − 1.2 < 1764576176.4 in
// doubles), so a plain `<` let rounding decide whether an interval that only touches an attack
// is an attack interval, and which interval an instant falls in. Every comparison of an
// interval's start with another instant goes through here. This file is loaded in the browser
// too (the dashboard page classifies intervals): no node imports.
//
// Why a tolerance, not the previous interval's t: the rule is asked of one interval at a time
// (export and the report look an interval up by t and dt alone), and a run's intervals need
// not be contiguous. Rounding's error is bounded: each of t, dt and x parses to within half an
// ulp of the decimal written, and the subtraction adds half an ulp of its result, which is under
// EPSILON × (|t| + |dt| + |x|) in all. Twice that is taken as "the same instant": at today's
// Unix seconds (~1.8e9) that is 1.6 µs, below anything a run's clock resolves, and instants that
// close could not hold a byte of traffic between them anyway.

/** How far apart two computed instants of these magnitudes may be and still be one instant. */
function slack(magnitude: number): number {
  return 2 * Number.EPSILON * magnitude;
}

/** Whether instant a is before instant b by more than rounding: a < b in exact arithmetic. */
export function isBefore(a: number, b: number): boolean {
  return a < b - slack(Math.abs(a) + Math.abs(b));
}

/** Whether the interval (t − dt, t] starts before the instant x: `t − dt < x` in exact arithmetic. */
export function startsBefore(t: number, dt: number, x: number): boolean {
  return t - dt < x - slack(Math.abs(t) + Math.abs(dt) + Math.abs(x));
}

/** Whether the interval (t − dt, t] starts after the instant x: `t − dt > x` in exact arithmetic. */
export function startsAfter(t: number, dt: number, x: number): boolean {
  return t - dt > x + slack(Math.abs(t) + Math.abs(dt) + Math.abs(x));
}

/**
 * The start of the interval (t − dt, t], as a number to show or to count from. When the
 * interval before it ended at `previousT` and the two are contiguous (t − dt == previousT in
 * exact arithmetic), that t itself: bounds written to files then stay on the run's own
 * instants rather than a rounding of them (1764576176.3999998 for 1764576176.4).
 */
export function intervalStart(t: number, dt: number, previousT?: number): number {
  if (previousT !== undefined && !startsBefore(t, dt, previousT) && !startsAfter(t, dt, previousT)) return previousT;
  return t - dt;
}

/**
 * An instant as a message shows it: the shortest decimal that is the same instant (within
 * rounding), so a start computed as t − dt reads 1764576176.4, as the run wrote it, not
 * 1764576176.3999999.
 */
export function shownInstant(x: number): string {
  for (let digits = 1; digits < 17; digits++) {
    const y = Number(x.toPrecision(digits));
    if (!isBefore(x, y) && !isBefore(y, x)) return String(y);
  }
  return String(x);
}
