import { ATTACK_KINDS, type RunEvent } from '../types.ts';
import { roundMillis } from '../roundMillis.ts';

/**
 * The warning for recorded attacks that start inside this replay's training stretch, or
 * undefined when none does. The detectors train on those intervals (t − start ≤
 * trainingSeconds) as normal traffic and they are not scored, so an attack the live run caught
 * reads as missed; it happens when replay trains longer than the run did (./parameters.ts
 * instead of the run's own settings). As --inject windows in training are warned about
 * (injectionWarnings). `runStart`: the first interval's start, Unix seconds.
 */
export function attacksInTraining(events: readonly RunEvent[], runStart: number, trainingSeconds: number, file = 'events.ndjson'): string | undefined {
  if (!Number.isFinite(runStart)) return undefined;
  const attacks = events.filter((e) => ATTACK_KINDS.has(e.kind));
  // One over before the run began is eventsOutsideRun's to report.
  const inside = attacks.filter((e) => e.start < runStart + trainingSeconds && e.end > runStart);
  if (inside.length === 0) return undefined;
  const listed = inside.slice(0, 5).map((e) => `${e.kind} at +${roundMillis(e.start - runStart)} s`).join(', ');
  return (
    `${file}: ${inside.length} of ${attacks.length} attack(s) start inside this replay's training stretch (the first ${trainingSeconds} s): ${listed}${inside.length > 5 ? ', …' : ''}; ` +
    'the detectors train on that traffic as normal and its intervals are not scored (shorten the training with --training to score them)'
  );
}
