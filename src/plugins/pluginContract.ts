import { MAX_BLAMED } from '../detectors/index.ts';
import type { Frame, Verdict } from '../types.ts';

/** A broken promise of the detector contract: the interval it concerns and what is wrong. */
export interface ContractBreach {
  readonly t: number;
  readonly problems: readonly string[];
}

/**
 * Checks a plugin's verdicts against the detector contract as they leave it. A built-in keeps
 * it by construction (detectorOperator); a hand-written operator may not, and then the table
 * compares detectors counted over different intervals, or alarms that are not what their
 * score says, without a word. Every breach is the plugin's mistake and fails the run (not a
 * warning): a results table built on it would be wrong, not merely untidy.
 *
 * - one verdict per frame, in order: the intervals given and not yet answered wait in a queue
 *   (a plugin may answer late, never skip, repeat or invent one);
 * - alarm means score > threshold (or ≥ when the verdict says `comparison: '≥'`), and never
 *   on a training or gap interval;
 * - at most MAX_BLAMED blamed edges (README "Writing a detector"; what the built-ins' TopBlamed keeps).
 */
export class PluginContract {
  private readonly pending: number[] = [];

  /** A frame went into the plugin. */
  given(frame: Frame): void {
    this.pending.push(frame.t);
  }

  /** What is wrong with the verdict that came out (undefined: nothing). */
  check(verdict: Verdict): ContractBreach | undefined {
    const expected = this.pending[0];
    if (expected === undefined || verdict.t < expected || !this.pending.includes(verdict.t)) {
      return { t: verdict.t, problems: [`a verdict for an interval it was not given or already judged (one verdict per frame, in order; ${expected === undefined ? 'no interval was waiting' : `the next waiting is t = ${expected}`})`] };
    }
    if (verdict.t !== expected) return { t: expected, problems: [`no verdict for this interval: the next verdict is for t = ${verdict.t} (one verdict per frame, in order)`] };
    this.pending.shift();
    const problems: string[] = [];
    const rule = verdict.comparison === '≥' ? '≥' : '>';
    if (verdict.training || verdict.gap) {
      if (verdict.alarm) problems.push(`alarm on a ${verdict.training ? 'training' : 'gap'} interval (no alarm while training or on a gap)`);
    } else {
      const exceeds = rule === '≥' ? verdict.score >= verdict.threshold : verdict.score > verdict.threshold;
      if (verdict.alarm !== exceeds) problems.push(`alarm is ${verdict.alarm} but score ${verdict.score} ${rule} threshold ${verdict.threshold} is ${exceeds} (alarm means score ${rule} threshold)`);
    }
    const blamed = Array.isArray(verdict.blamed) ? verdict.blamed.length : 0;
    if (blamed > MAX_BLAMED) problems.push(`${blamed} blamed edges (at most ${MAX_BLAMED})`);
    return problems.length > 0 ? { t: verdict.t, problems } : undefined;
  }

  /** At the end of the stream: the first interval given and never answered, if any. */
  unanswered(): ContractBreach | undefined {
    const t = this.pending[0];
    return t === undefined ? undefined : { t, problems: [`no verdict for this interval (one verdict per frame, in order; ${this.pending.length} interval(s) unanswered when the plugin's stream ended)`] };
  }
}
