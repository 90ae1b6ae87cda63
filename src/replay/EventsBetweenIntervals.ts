import { overlaps } from '../evaluation/attackIntervals.ts';
import { intervalStart, isBefore, shownInstant, startsBefore } from '../intervalBounds.ts';
import { ATTACK_KINDS, type RunEvent } from '../types.ts';

/** An attack that no interval has marked yet, and the hole between intervals it lies in, once seen. */
interface Pending {
  readonly event: RunEvent;
  hole?: { readonly after: number; readonly before: number };
}

/**
 * The attack events inside the run that mark no interval because they fall in time no
 * interval covers: between one interval's end t and the next one's start t' − dt' (Munnin's
 * slices have dt 5 but end ≈ 5.0045 s apart, so 4-5 ms of each step belong to none), or where
 * a snapshot line was skipped. eventsOutsideRun says those outside the run; without this, one
 * inside it would be scored nowhere with no word but "0 with a scored interval". Fed every
 * interval of the stream in order (gaps and training included: those do count an attack).
 */
export class EventsBetweenIntervals {
  /** Attacks not marked by any interval so far (each checked against every interval, as the evaluator does). */
  private readonly pending: Pending[];
  private readonly attacks: number;
  private previousT = Number.NaN;

  constructor(events: readonly RunEvent[]) {
    this.pending = events.filter((e) => ATTACK_KINDS.has(e.kind)).map((event) => ({ event }));
    this.attacks = this.pending.length;
  }

  addInterval(t: number, dt: number): void {
    // In place: this runs once per interval, and most intervals mark nothing.
    let kept = 0;
    for (const p of this.pending) {
      if (overlaps(t, dt, p.event)) continue;
      // Wholly in the time between the previous interval's end and this one's start, in exact
      // arithmetic (intervalBounds): t − dt in doubles lands a few ulps off the decimal written,
      // and an attack filling a hole exactly went unsaid.
      if (p.hole === undefined && !Number.isNaN(this.previousT) && !isBefore(p.event.start, this.previousT) && !startsBefore(t, dt, p.event.end)) p.hole = { after: this.previousT, before: intervalStart(t, dt) };
      this.pending[kept++] = p;
    }
    this.pending.length = kept;
    this.previousT = t;
  }

  /** The warning naming each attack in a hole with the intervals around it, or undefined when there is none. */
  warning(file = 'events.ndjson'): string | undefined {
    const between = this.pending.filter((p) => p.hole !== undefined);
    if (between.length === 0) return undefined;
    const listed = between
      .slice(0, 5)
      .map((p) => `${p.event.kind} ${p.event.start}–${p.event.end} (after the interval ending at ${p.hole!.after}, before the next, starting at ${shownInstant(p.hole!.before)})`)
      .join(', ');
    return `${file}: ${between.length} of ${this.attacks} attack(s) inside the run fall between two of its intervals (time no interval (t − dt, t] covers), so no interval counts them: ${listed}${between.length > 5 ? ', …' : ''}`;
  }
}
