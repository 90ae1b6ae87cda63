import { MAX_BLAMED } from '../detectors/index.ts';
import { AfterGap } from '../afterGap.ts';
import { intervalStart, isBefore } from '../intervalBounds.ts';
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
 * - the verdict describes its frame as detectorOperator would: `detector` is the plugin's name
 *   (another name, a built-in's, would add its verdicts to that detector's tally), `dt` and
 *   `gap` are the frame's, and `training` is whether the frame lies within trainingSeconds of
 *   the stream's start (the run's counts of scored and attack intervals are taken from them);
 * - score and threshold are numbers; on a scored interval the score is not NaN (an `async`
 *   judge, or a field misspelt, gives NaN or undefined on every interval, and the AUC then
 *   reads 0.500 as if measured), except right after a gap, which detectorOperator judges only
 *   for a core with judgeOnly (it may hold the gap's traffic). A NaN threshold is allowed there, as the built-ins' before
 *   calibration (README "Detectors": no threshold, no alarm), and ±Infinity scores as their
 *   overflow (the replay warns about those);
 * - alarm means score > threshold (or ≥ when the verdict says `comparison: '≥'`), and never
 *   on a training or gap interval;
 * - at most MAX_BLAMED blamed edges (README "Writing a detector"; what the built-ins' TopBlamed
 *   keeps), each `{src, dst, score}` naming an edge of the frame's edge index: an edge the run
 *   never had would be written to alerts.ndjson and counted in "blame on path" as a real one.
 */
export class PluginContract {
  private readonly pending: Frame[] = [];
  private streamStart = Number.NaN;
  /** The frames given right after a gap (a NaN score is allowed there: see AfterGap). */
  private readonly gaps = new AfterGap();
  private readonly afterGap = new Set<Frame>();

  constructor(
    private readonly name: string,
    private readonly trainingSeconds: number,
  ) {}

  /** A frame went into the plugin. */
  given(frame: Frame): void {
    if (Number.isNaN(this.streamStart)) this.streamStart = intervalStart(frame.t, frame.dt);
    if (this.gaps.next(frame.gap)) this.afterGap.add(frame);
    this.pending.push(frame);
  }

  /** What is wrong with the verdict that came out (undefined: nothing). */
  check(verdict: Verdict): ContractBreach | undefined {
    const frame = this.pending[0];
    if (frame === undefined || verdict.t < frame.t || !this.pending.some((f) => f.t === verdict.t)) {
      return { t: verdict.t, problems: [`a verdict for an interval it was not given or already judged (one verdict per frame, in order; ${frame === undefined ? 'no interval was waiting' : `the next waiting is t = ${frame.t}`})`] };
    }
    if (verdict.t !== frame.t) return { t: frame.t, problems: [`no verdict for this interval: the next verdict is for t = ${verdict.t} (one verdict per frame, in order)`] };
    this.pending.shift();
    const problems = [...this.describes(verdict, frame), ...numberProblems(verdict, this.afterGap.delete(frame))];
    const rule = verdict.comparison === '≥' ? '≥' : '>';
    if (verdict.training || verdict.gap) {
      if (verdict.alarm) problems.push(`alarm on a ${verdict.training ? 'training' : 'gap'} interval (no alarm while training or on a gap)`);
    } else {
      const exceeds = rule === '≥' ? verdict.score >= verdict.threshold : verdict.score > verdict.threshold;
      if (verdict.alarm !== exceeds) problems.push(`alarm is ${verdict.alarm} but score ${verdict.score} ${rule} threshold ${verdict.threshold} is ${exceeds} (alarm means score ${rule} threshold)`);
    }
    problems.push(...blameProblems(verdict.blamed, frame));
    return problems.length > 0 ? { t: verdict.t, problems } : undefined;
  }

  /** Where the verdict's detector, dt, gap and training differ from what its frame says. */
  private describes(verdict: Verdict, frame: Frame): string[] {
    const problems: string[] = [];
    if (verdict.detector !== this.name) problems.push(`detector is ${shown(verdict.detector)}, not the plugin's name "${this.name}" (write setup.name)`);
    if (verdict.dt !== frame.dt) problems.push(`dt is ${shown(verdict.dt)}, not the frame's ${frame.dt}`);
    if (verdict.gap !== frame.gap) problems.push(`gap is ${shown(verdict.gap)}, not the frame's ${frame.gap}`);
    // As detectorOperator decides it: t − start <= trainingSeconds in exact arithmetic.
    const training = !isBefore(this.streamStart + this.trainingSeconds, frame.t);
    if (verdict.training !== training) {
      problems.push(`training is ${shown(verdict.training)}, but the interval ends ${training ? 'within' : 'after'} setup.trainingSeconds = ${this.trainingSeconds} s of the stream's start (the first frame's t − dt; a frame ending within it only trains)`);
    }
    return problems;
  }

  /**
   * When nothing is left to run and the plugin's stream is still open (it will never give
   * another verdict nor end): the first interval left unanswered, else the last one given
   * (undefined: it never took a frame).
   */
  stalled(last: Frame | undefined): ContractBreach | undefined {
    const frame = this.pending[0];
    if (frame !== undefined) return { t: frame.t, problems: [`no verdict for this interval: the plugin's stream stopped without ending, ${this.pending.length} interval(s) unanswered (one verdict per frame, in order; end the stream when its frames end)`] };
    return last === undefined ? undefined : { t: last.t, problems: ["the plugin's stream did not end after its last verdict (end it when its frames end)"] };
  }

  /** At the end of the stream: the first interval given and never answered, if any. */
  unanswered(): ContractBreach | undefined {
    const frame = this.pending[0];
    return frame === undefined ? undefined : { t: frame.t, problems: [`no verdict for this interval (one verdict per frame, in order; ${this.pending.length} interval(s) unanswered when the plugin's stream ended)`] };
  }
}

/** A score or threshold that is not a number, and a NaN score on an interval that is scored (but for the one right after a gap). */
function numberProblems(verdict: Verdict, afterGap: boolean): string[] {
  const problems: string[] = [];
  const scored = !verdict.training && !verdict.gap;
  for (const field of ['score', 'threshold'] as const) {
    const value: unknown = verdict[field];
    if (typeof value !== 'number') problems.push(`${field} is ${shown(value)}, not a number (NaN while training or on a gap)`);
  }
  if (scored && !afterGap && Number.isNaN(verdict.score)) problems.push('score is NaN on an interval that is scored (NaN only while training, on a gap or right after one)');
  return problems;
}

/** More than MAX_BLAMED blamed edges, a blamed entry that is not {src, dst, score}, or an edge the frame's index does not hold. */
function blameProblems(blamed: unknown, frame: Frame): string[] {
  if (!Array.isArray(blamed)) return [`blamed is ${shown(blamed)}, not a list of edges`];
  const problems: string[] = [];
  if (blamed.length > MAX_BLAMED) problems.push(`${blamed.length} blamed edges (at most ${MAX_BLAMED})`);
  blamed.forEach((b: unknown, i) => {
    const e = (b ?? {}) as { src?: unknown; dst?: unknown; score?: unknown };
    if (typeof e.src !== 'string' || typeof e.dst !== 'string' || typeof e.score !== 'number') {
      problems.push(`blamed[${i}] is ${shown(b)}, not {src, dst, score} (two node names and a number)`);
    } else if (frame.edges.indexOf(e.src, e.dst) === undefined) {
      problems.push(`blamed[${i}]: ${JSON.stringify(e.src)} → ${JSON.stringify(e.dst)} is not an edge of the run (blame edges of frame.edges)`);
    }
  });
  return problems;
}

/** A value in a message: JSON where it has one (NaN and undefined as themselves). */
function shown(value: unknown): string {
  return value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? String(value) : JSON.stringify(value);
}
