import { ATTACK_KINDS, type RunEvent } from '../types.ts';

/** True for the kinds of event that are attacks (exfiltration, scan, lateral). */
export function isAttack(event: RunEvent): boolean {
  return ATTACK_KINDS.has(event.kind);
}

/**
 * Whether the interval (t − dt, t] overlaps the event's [start, end), as run-format.md defines
 * an attack interval, to the letter: both ends of the interval and the start of the event are
 * closed, so an interval that ends exactly when an attack starts counts (they share that
 * instant), and one that starts exactly when it ends does not. The same test places an
 * instantaneous event (start = end) in the interval holding its instant. Evaluation, report
 * and export all ask this one function, so they never disagree about an interval.
 */
export function overlaps(t: number, dt: number, event: Pick<RunEvent, 'start' | 'end'>): boolean {
  return event.start <= t && t - dt < event.end;
}

/** Whether (t − dt, t] is an attack interval for any of the given attacks. */
export function isAttackInterval(t: number, dt: number, attacks: readonly RunEvent[]): boolean {
  for (const a of attacks) if (overlaps(t, dt, a)) return true;
  return false;
}
