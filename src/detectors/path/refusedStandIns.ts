import { intervalStart } from '../../intervalBounds.ts';
import type { Frame } from '../../types.ts';
import type { AlarmLimit } from '../stats/index.ts';

/** Told once a run when the limit first declines to learn an alarm (see RefusedStandIns). */
export type OnStandInRefused = (secondsIntoRun: number) => void;

/**
 * Watches `path`'s limit and says so, once a run, the first time it declines to learn an ended
 * alarm as a benign tail interval because the run already holds more alarms than the
 * false-alarm rate makes plausible (TailThreshold, "Plausible stand-ins"). Why it matters to a
 * reader: from then on the run is not what a benign stream at the promised rate looks like, and
 * the limit stays where it was rather than climbing with each alarm (README "What each detector
 * watches", path, "Plausible stand-ins").
 */
export class RefusedStandIns {
  private start = Number.NaN;
  private said = false;

  constructor(private readonly onRefused: OnStandInRefused | undefined) {}

  /** See every frame (training too), so the run's start is known (as detectorOperator takes it). */
  see(frame: Frame): void {
    if (Number.isNaN(this.start)) this.start = intervalStart(frame.t, frame.dt);
  }

  /** Check the limit once it has learnt an interval's score. */
  check(frame: Frame, limit: AlarmLimit): void {
    if (this.said || this.onRefused === undefined || !((limit.refusedStandIns ?? 0) > 0)) return;
    this.said = true;
    this.onRefused(frame.t - this.start);
  }
}
