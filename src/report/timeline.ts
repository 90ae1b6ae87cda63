// The file, not the folder's index: the dashboard page loads this module in the browser,
// and evaluation/index.ts also exports the file writers (node:fs).
import { classifyInterval, classifyIntervals, isAttack, overlaps } from '../evaluation/attackIntervals.ts';
import { intervalStart, startsAfter } from '../intervalBounds.ts';
import type { RunEvent, Snapshot } from '../types.ts';
import type { Span } from './charts/intervalBands.ts';

/** An attack and the intervals that carry it (run-format.md: an interval sharing time with it). */
export interface AttackWindow {
  readonly event: RunEvent;
  /** Positions (in the snapshot list) of the intervals overlapping the attack. */
  readonly intervals: readonly number[];
  /** Position of the interval right after the last of them (an alarm there still detects it). */
  readonly after: number | undefined;
}

/** The run's intervals, which of them are attack intervals, and where each attack falls. */
export interface Timeline {
  /** Start of the first interval, Unix seconds: charts count seconds from here. */
  readonly t0: number;
  readonly snapshots: readonly Snapshot[];
  /** Per snapshot position: is the interval an attack interval? */
  readonly attack: readonly boolean[];
  /** Per snapshot position: is it a grace interval (right after an attack, left out of the counts)? */
  readonly grace: readonly boolean[];
  /** Attacks (kinds `exfiltration`, `scan`, `lateral`) in order of start. */
  readonly attacks: readonly AttackWindow[];
  /** Informational events (any other kind). */
  readonly informational: readonly RunEvent[];
  /** Position of the interval ending at `t` (to within a millisecond), or undefined. */
  positionOf(t: number): number | undefined;
}

/** Tolerance when matching a `t` read back from a CSV to a snapshot's `t`. */
const T_TOLERANCE_SECONDS = 1e-3;

export function buildTimeline(snapshots: readonly Snapshot[], events: readonly RunEvent[]): Timeline {
  const attackEvents = events.filter(isAttack).sort((a, b) => a.start - b.start);
  // The evaluator's own classification, interval by interval with its predecessor.
  const classes = classifyIntervals(snapshots, attackEvents);
  const attacks = attackEvents.map((event, k): AttackWindow => {
    const intervals: number[] = [];
    let after: number | undefined;
    classes.forEach((c, i) => {
      if (c.inside.includes(k)) intervals.push(i);
      else if (c.after.includes(k)) after = i;
    });
    return { event, intervals, after };
  });
  const attack = classes.map((c) => c.attack);
  const grace = classes.map((c) => c.grace);
  const first = snapshots[0];
  const t0 = first ? intervalStart(first.t, first.dt) : (attackEvents[0]?.start ?? 0);
  const ts = snapshots.map((s) => s.t);
  return {
    t0,
    snapshots,
    attack,
    grace,
    attacks,
    informational: events.filter((e) => !isAttack(e)),
    positionOf(t: number): number | undefined {
      // Binary search for the nearest t (snapshots are in increasing t).
      let lo = 0;
      let hi = ts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((ts[mid] ?? 0) < t) lo = mid + 1;
        else hi = mid;
      }
      for (const i of [lo - 1, lo]) {
        const v = ts[i];
        if (v !== undefined && Math.abs(v - t) <= T_TOLERANCE_SECONDS) return i;
      }
      return undefined;
    },
  };
}

/**
 * Is the interval ending at `t` an attack interval? Looked up when `t` is one of the run's
 * intervals, else computed from the attacks assuming an interval of `dtSeconds`.
 */
export function isAttackInterval(timeline: Timeline, t: number, dtSeconds: number): boolean {
  const pos = timeline.positionOf(t);
  if (pos !== undefined) return timeline.attack[pos] ?? false;
  return timeline.attacks.some((a) => overlaps(t, dtSeconds, a.event));
}

/**
 * Is the interval ending at `t` a grace interval (left out of the counts and the ROC)? Looked
 * up when `t` is one of the run's intervals, else computed assuming intervals of `dtSeconds`
 * back to back.
 */
export function isGraceInterval(timeline: Timeline, t: number, dtSeconds: number): boolean {
  const pos = timeline.positionOf(t);
  if (pos !== undefined) return timeline.grace[pos] ?? false;
  const events = timeline.attacks.map((a) => a.event);
  return classifyInterval({ t, dt: dtSeconds }, { t: t - dtSeconds, dt: dtSeconds }, events).grace;
}

/** Merge the (t - dt, t] of the chosen positions into spans, in seconds since t0. */
export function timelineSpans(timeline: Timeline, chosen: (pos: number) => boolean): Span[] {
  const out: { from: number; to: number }[] = [];
  // The t the last span ends at (snapshots are in increasing t): an interval starting there,
  // exactly rather than as rounded, or before it, extends that span.
  let lastT = Number.NaN;
  timeline.snapshots.forEach((s, pos) => {
    if (!chosen(pos)) return;
    const to = s.t - timeline.t0;
    const last = out[out.length - 1];
    if (last && !startsAfter(s.t, s.dt, lastT)) last.to = to;
    else out.push({ from: intervalStart(s.t, s.dt) - timeline.t0, to });
    lastT = s.t;
  });
  return out;
}
