import { overlaps } from '../evaluation/attackIntervals.ts';
import type { AttackWindow, Timeline } from './timeline.ts';

/**
 * How many of a paced scan's attack intervals hold one of its probes; undefined for any other
 * attack. A scan is one event from its first probe to its last, so by run-format.md's rule every
 * interval of that span is an attack interval, but with `secondsBetweenTargets` (which the
 * experiment records on the event) at or above the interval length most of them hold no scan
 * traffic: 6 s on 2-s intervals probes one in three. The report says so beside the count, so a
 * low interval TPR on a slow scan is read for what it is. A target's probes start at
 * about start + k × secondsBetweenTargets (k = 0, 1, …; each target's probes take
 * milliseconds, which the pacing adds) up to the event's end: each is placed in the interval
 * holding that instant.
 */
export function probedIntervals(window: AttackWindow, timeline: Timeline): number | undefined {
  const e = window.event;
  const gap = e['secondsBetweenTargets'];
  if (e.kind !== 'scan' || typeof gap !== 'number' || !(gap > 0) || !(e.end >= e.start)) return undefined;
  const probes: number[] = [];
  // The last probe starts at or before the end (the event ends when the sweep returns).
  for (let k = 0; e.start + k * gap <= e.end && k < 10_000; k++) probes.push(e.start + k * gap);
  return window.intervals.filter((p) => {
    const s = timeline.snapshots[p];
    return s !== undefined && probes.some((at) => overlaps(s.t, s.dt, { start: at, end: at }));
  }).length;
}
