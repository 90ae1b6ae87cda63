import { MIN_CALIBRATION_SCORES } from '../detectors/stats/index.ts';
import { thresholdCaveat, type ReplaySummary } from '../evaluation/index.ts';
import { calibratedBySeconds } from './injectionWarnings.ts';
import { terminalText } from '../terminalText.ts';
import { roundMillis } from '../roundMillis.ts';

/** Where the run and its limits stand, in seconds after the run start. */
export interface CalibrationSpan {
  /** Unix seconds of the run's start (attacks are named relative to it). */
  readonly runStart: number;
  /** The run's length, start to its last interval's end. */
  readonly runSeconds: number;
  readonly trainingSeconds: number;
  readonly intervalSeconds: number;
}

/**
 * Warnings for detectors whose figures count intervals they judged without a threshold (NaN:
 * their limit still calibrating, or none at all), where no alarm was possible: one that had
 * none on any scored interval never judged (its FPR 0 is not a quiet detector's), one that had
 * none on intervals of recorded attacks could not catch them there (counted as missed). The
 * figures stay as run-format.md defines them; this says what they mean. Detectors in the same
 * case with the same counts share a line (a short sweep run leaves ten of them uncalibrated).
 * Injected attacks are named too: injectionWarnings, before the replay, can only say a window
 * may fall where a limit is calibrating (how long depends on the detector); this is measured.
 *
 * `uncalibratedAttacks`: per detector, the attacks (positions in `summary.attacks`) with such an
 * interval (Evaluator.uncalibratedAttacks).
 */
export function uncalibratedWarnings(summary: ReplaySummary, uncalibratedAttacks: ReadonlyMap<string, readonly number[]>, span: CalibrationSpan): string[] {
  const calibratedFrom = calibratedBySeconds(span.trainingSeconds, span.intervalSeconds);
  const stretch = `a limit has no threshold until it has learnt ${MIN_CALIBRATION_SCORES} scores, training's for some detectors, so usually by ${MIN_CALIBRATION_SCORES} intervals after training (here ${calibratedFrom} s)`;
  const lines = new Map<string, string[]>();
  for (const [name, d] of Object.entries(summary.detectors)) {
    const caveat = thresholdCaveat(d);
    let text: string | undefined;
    if (caveat === 'never') {
      const judged = d.tp + d.fp + d.tn + d.fn;
      const advice =
        judged < MIN_CALIBRATION_SCORES
          ? `${stretch}, and the run ends at ${roundMillis(span.runSeconds)} s: replay a longer run, or train less with --training`
          : `${judged} scored intervals are more than a limit needs to calibrate, so the cause is the detector's own: see its warning above (e.g. lengthen the training with --training)`;
      text =
        `never set a threshold: none of the ${judged} scored interval(s) had one, so no alarm was possible; ` +
        `FPR ${d.fpr === null ? '-' : d.fpr.toFixed(3)} here means not judged, not quiet${d.tp + d.fn > 0 ? ', and every attack interval counts as missed' : ''}; ${advice}`;
    } else if (caveat === 'attacks') {
      // Injected attacks too: the --inject warning above can only say a limit may be calibrating there; this is measured.
      const recorded = (uncalibratedAttacks.get(name) ?? []).filter((i) => summary.attacks[i] !== undefined);
      if (recorded.length === 0) continue;
      const at = recorded.slice(0, 5).map((i) => `${summary.attacks[i]!.kind} at +${roundMillis(summary.attacks[i]!.start - span.runStart)} s`);
      text =
        `no threshold yet on ${d.uncalibratedAttackIntervals} of the ${d.tp + d.fn} attack interval(s) (${at.join(', ')}${recorded.length > 5 ? ', …' : ''}), ` +
        `so no alarm was possible there and they count as missed (${stretch}: start the attacks after it, or train less with --training)`;
    }
    if (text === undefined) continue;
    lines.set(text, [...(lines.get(text) ?? []), terminalText(name)]);
  }
  return [...lines].map(([text, names]) => `${names.join(', ')}: ${text}`);
}
