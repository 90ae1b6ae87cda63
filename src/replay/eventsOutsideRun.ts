import { ATTACK_KINDS, type RunEvent } from '../types.ts';

/**
 * The warning for attack events that touch no interval of the run, or undefined when every
 * one does. Such an event can never mark an attack interval, so a run whose ground truth is
 * written in the wrong unit (milliseconds) or from the wrong origin (seconds since the run
 * began, i.e. 1970) would be scored as benign throughout, "0 attack intervals, 2 attacks",
 * without a word. The run covers (firstStart, lastEnd]; an event overlaps it when its
 * [start, end] does (the attack-interval rule, ends included).
 */
export function eventsOutsideRun(events: readonly RunEvent[], firstStart: number, lastEnd: number, file = 'events.ndjson'): string | undefined {
  if (!(Number.isFinite(firstStart) && Number.isFinite(lastEnd))) return undefined;
  const outside = events.filter((e) => ATTACK_KINDS.has(e.kind) && (e.end < firstStart || e.start > lastEnd));
  if (outside.length === 0) return undefined;
  const attacks = events.filter((e) => ATTACK_KINDS.has(e.kind)).length;
  const listed = outside.slice(0, 5).map((e) => `${e.kind} ${e.start}–${e.end}`).join(', ');
  return `${file}: ${outside.length} of ${attacks} attack(s) fall outside the run (${firstStart}–${lastEnd}, Unix seconds), so no interval counts them: ${listed}${outside.length > 5 ? ', …' : ''}${hint(outside, firstStart, lastEnd)}`;
}

function hint(outside: readonly RunEvent[], firstStart: number, lastEnd: number): string {
  const span = Math.max(lastEnd - firstStart, 1);
  if (outside.every((e) => e.start / 1000 >= firstStart - span && e.start / 1000 <= lastEnd + span)) return ' (these look like milliseconds: run-format times are Unix seconds)';
  if (outside.every((e) => e.end < 1e9) && firstStart > 1e9) return ' (these look like seconds since the run began, i.e. in 1970: run-format times are Unix seconds)';
  return '';
}
