import { ATTACK_KINDS, type RunEvent } from '../types.ts';

/** True for the kinds of event that are attacks (exfiltration, scan, lateral). */
export function isAttack(event: RunEvent): boolean {
  return ATTACK_KINDS.has(event.kind);
}

/**
 * Whether the interval (t − dt, t] overlaps the event's [start, end).
 *
 * The overlap must have positive length: an interval that ends exactly when an attack
 * starts holds none of its traffic (its counters were read at that instant), so it is not an
 * attack interval. An instantaneous event (start = end) belongs to the interval holding its
 * instant: t − dt < start ≤ t.
 */
export function overlaps(t: number, dt: number, event: RunEvent): boolean {
  if (event.end > event.start) return event.start < t && t - dt < event.end;
  return t - dt < event.start && event.start <= t;
}

/** Whether (t − dt, t] is an attack interval for any of the given attacks. */
export function isAttackInterval(t: number, dt: number, attacks: readonly RunEvent[]): boolean {
  for (const a of attacks) if (overlaps(t, dt, a)) return true;
  return false;
}
