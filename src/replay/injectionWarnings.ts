import { MIN_CALIBRATION_SCORES } from '../detectors/stats/index.ts';
import type { InjectedWindow } from './injectExfiltration.ts';
import { roundMillis } from '../roundMillis.ts';

/** What the warnings say of one --inject flag. */
export interface InjectionReport {
  readonly bytesPerInterval: number;
  readonly windows: readonly InjectedWindow[];
}

/**
 * Warnings for --inject windows that did not inject what they asked, or that detectors train
 * on: the recorded attacks say what was really injected (Evaluator.reviseEvent), and these
 * say why they differ from the flag. Seconds are after the run start, as the flag's are.
 * `runSeconds`: the run's length (start to its last interval's end); `trainingSeconds`: the
 * detectors' training stretch; `intervalSeconds`: the run's interval.
 *
 * A window starting right after training is warned about too: a calibrated detector has no
 * threshold (and raises no alarm) until MIN_CALIBRATION_SCORES scores are learnt, and it
 * learns those intervals as benign, so the attack raises its limit for the attacks after it.
 * The stretch is counted conservatively as that many intervals after training: a detector whose
 * training scores count (one step ahead) has its threshold sooner, one whose fits warm up first
 * (path, cusum) or whose window fills first (eigenspace) later; how long each one had none is
 * measured after the replay (uncalibratedWarnings), so the warning says "may", not when.
 */
export function injectionWarnings(reports: readonly InjectionReport[], runSeconds: number, trainingSeconds: number, intervalSeconds: number): string[] {
  const out: string[] = [];
  const calibratedFrom = calibratedBySeconds(trainingSeconds, intervalSeconds);
  for (const { bytesPerInterval, windows } of reports) {
    for (const { window, planned, injected, gapSeconds, cutAtRunEnd } of windows) {
      const flag = `--inject ${bytesPerInterval}@${window.startSeconds}-${window.endSeconds}`;
      const asked = planned.bytes ?? 0;
      if (injected === undefined) {
        out.push(
          window.startSeconds >= runSeconds
            ? `${flag}: the window starts after the run ends (${roundMillis(runSeconds)} s): nothing injected, no attack recorded`
            : `${flag}: no interval of the run has its middle in the window (an interval is injected whole when it does): nothing injected, no attack recorded`,
        );
        continue;
      }
      if (cutAtRunEnd || gapSeconds > 0) {
        // Seconds after the run start, as the flag's.
        const runStart = planned.start - window.startSeconds;
        const span = `${roundMillis(injected.start - runStart)}-${roundMillis(injected.end - runStart)} s`;
        if (injected.bytes === 0 && gapSeconds > 0) {
          out.push(`${flag}: every interval of the run in it is a gap: nothing injected (0 bytes of the ${roundMillis(asked)} asked); the attack is recorded with 0 bytes over ${span}`);
        } else {
          const why = [...(cutAtRunEnd ? [`the run ends at ${roundMillis(runSeconds)} s`] : []), ...(gapSeconds > 0 ? ['gap intervals in it took none'] : [])].join(', and ');
          out.push(`${flag}: ${why}: injected ${span}, ${injected.bytes} bytes of the ${roundMillis(asked)} asked; the attack is recorded as injected`);
        }
      }
      if (window.startSeconds < trainingSeconds) {
        const where = window.endSeconds <= trainingSeconds ? 'lies inside' : 'starts inside';
        out.push(`${flag}: ${where} the training stretch (the first ${trainingSeconds} s): the detectors train on that traffic and its intervals are not scored`);
      } else if (window.startSeconds < calibratedFrom) {
        out.push(
          `${flag}: starts while the detectors' limits may still be calibrating (${trainingSeconds}-${calibratedFrom} s: a limit has no threshold until it has learnt ${MIN_CALIBRATION_SCORES} scores, which some detectors' training gives them and others' not, e.g. path and cusum warm their fits up first; this replay's scores.csv shows each one's by its NaN thresholds, and it warns below about any that had none on an attack): those whose limit is still calibrating learn the attack as benign, which blunts them on the attacks after it; start it at ${calibratedFrom} s or later to be clear of it for every detector`,
        );
      }
    }
  }
  return out;
}

/**
 * Seconds after the run start by which every calibrated limit has its MIN_CALIBRATION_SCORES
 * scores, counted conservatively as that many intervals after training (some detectors have
 * theirs sooner, from training's own scores): the --inject warning and the measured
 * no-threshold warning (uncalibratedWarnings) name the same time.
 */
export function calibratedBySeconds(trainingSeconds: number, intervalSeconds: number): number {
  return roundMillis(trainingSeconds + MIN_CALIBRATION_SCORES * intervalSeconds);
}
