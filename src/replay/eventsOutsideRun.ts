import { overlaps } from '../evaluation/attackIntervals.ts';
import { isBefore } from '../intervalBounds.ts';
import { ATTACK_KINDS, type RunEvent } from '../types.ts';

/**
 * The warning for attack events that touch no interval of the run, or undefined when every
 * one does. Such an event can never mark an attack interval, so a run whose ground truth is
 * written in the wrong unit (milliseconds) or from the wrong origin (seconds since the run
 * began, i.e. 1970) would be scored as benign throughout, "0 attack intervals, 2 attacks",
 * without a word. The run covers (firstStart, lastEnd], and an event marks one of its
 * intervals only when it overlaps that span by the attack-interval rule (overlaps): one that
 * ends exactly at the run's start, starts exactly at its end, or is an instant at its start
 * touches the run without marking any interval, and is said too.
 */
export function eventsOutsideRun(events: readonly RunEvent[], firstStart: number, lastEnd: number, file = 'events.ndjson'): string | undefined {
  if (!(Number.isFinite(firstStart) && Number.isFinite(lastEnd))) return undefined;
  const outside = events.filter((e) => ATTACK_KINDS.has(e.kind) && !overlaps(lastEnd, lastEnd - firstStart, e));
  if (outside.length === 0) return undefined;
  const attacks = events.filter((e) => ATTACK_KINDS.has(e.kind)).length;
  const listed = outside.slice(0, 5).map((e) => `${e.kind} ${e.start}–${e.end}${edge(e, firstStart, lastEnd)}`).join(', ');
  return `${file}: ${outside.length} of ${attacks} attack(s) fall outside the run (${firstStart}–${lastEnd}, Unix seconds), so no interval counts them: ${listed}${outside.length > 5 ? ', …' : ''}${hint(outside, firstStart, lastEnd)}`;
}

/** Why an attack touching the run's edge marks no interval (intervals are (t − dt, t]). */
function edge(e: RunEvent, firstStart: number, lastEnd: number): string {
  // firstStart is computed (the first t − dt): equal beyond rounding, as overlaps judged it.
  if (!isBefore(e.end, firstStart) && !isBefore(firstStart, e.end)) return e.start === e.end ? " (an instant at the run's start, which belongs to the interval before it)" : ' (ends as the run starts)';
  if (e.start === lastEnd) return ' (starts as the run ends)';
  return '';
}

function hint(outside: readonly RunEvent[], firstStart: number, lastEnd: number): string {
  const span = Math.max(lastEnd - firstStart, 1);
  if (outside.every((e) => e.start / 1000 >= firstStart - span && e.start / 1000 <= lastEnd + span)) return ' (these look like milliseconds: run-format times are Unix seconds)';
  if (outside.every((e) => e.end < 1e9) && firstStart > 1e9) return ' (these look like seconds since the run began, i.e. in 1970: run-format times are Unix seconds)';
  return '';
}
