import { defer, map, type OperatorFunction } from 'rxjs';
import { AfterGap } from '../afterGap.ts';
import { perSliceFrame } from './perSliceFrame.ts';
import { intervalStart, isBefore } from '../intervalBounds.ts';
import type { BlamedEdge, Frame, Verdict } from '../types.ts';
import { DEFAULT_FALSE_ALARM_RATE, DEFAULT_TRAINING_SECONDS } from './defaults.ts';

export { DEFAULT_TRAINING_SECONDS };

/** What a detector computes for one scored interval. */
export interface Judgement {
  readonly score: number;
  readonly threshold: number;
  readonly blamed: readonly BlamedEdge[];
}

/**
 * A streaming detector's state machine. `train` and `judge` are called in time order, once
 * per non-gap frame; a detector never sees a frame before it happens (no reading ahead).
 * Alarm = score > threshold, decided by the wrapper so every detector means the same by it.
 */
export interface DetectorCore {
  /** Learn from a frame of the training stretch. */
  train(frame: Frame): void;
  /** Score a frame after training; may update internal state (online detectors) afterwards. */
  judge(frame: Frame): Judgement;
  /**
   * Optional: score a frame and learn nothing from it (no fit, limit or state of the next
   * judgement changes). detectorOperator gives it the interval right after a gap, as the mean of
   * the intervals it may hold; a core without it leaves that interval unjudged.
   */
  judgeOnly?(frame: Frame): Judgement;
}

export interface DetectorStreamOptions {
  /** Detector name written to verdicts. */
  readonly name: string;
  /** Frames ending within this many seconds of the stream's start only train. */
  readonly trainingSeconds: number;
  /** The false-alarm rate a calibrated limit aims at unless the detector's own options say otherwise. */
  readonly falseAlarmRate: number;
}

/** What a detector factory is told besides its own options; omitted fields take these defaults. */
export interface DetectorSetup {
  /** Detector name written to verdicts (default: the detector's own name). */
  readonly name?: string;
  /** Leading stretch that only trains (default DEFAULT_TRAINING_SECONDS, as in the parameters). */
  readonly trainingSeconds?: number;
  /** The parameters' `detectors.falseAlarmRate` (default DEFAULT_FALSE_ALARM_RATE). */
  readonly falseAlarmRate?: number;
}


/** Fill in a factory's setup. */
export function streamOptions(detector: string, setup: DetectorSetup = {}): DetectorStreamOptions {
  return {
    name: setup.name ?? detector,
    trainingSeconds: setup.trainingSeconds ?? DEFAULT_TRAINING_SECONDS,
    falseAlarmRate: setup.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE,
  };
}

/** Shared by every verdict that blames nothing; frozen so no consumer can add to it. */
const NO_BLAME: readonly BlamedEdge[] = Object.freeze([]);

/**
 * One object literal, always with the same fields in the same order, so every verdict has
 * one hidden class. Spreading a common base into each verdict (as before) cost ~2 µs per
 * verdict, more than most detectors' own work at 14 services.
 */
function verdict(frame: Frame, detector: string, training: boolean, score: number, threshold: number, alarm: boolean, blamed: readonly BlamedEdge[]): Verdict {
  return { t: frame.t, dt: frame.dt, detector, training, gap: frame.gap, score, threshold, alarm, blamed };
}

/**
 * Wrap a core as an RxJS operator: one Verdict per frame, gaps passed on unscored and
 * never shown to the core (a gap is unknown traffic, not zero). Each subscription gets its
 * own core, so one operator can be reused on several streams.
 *
 * The frame right after a gap is never learnt, and judged only as the mean of the intervals it
 * may hold: it may hold the gap's traffic as well as its own. A writer that differences counters
 * across an outage puts it there, whether its `dt` says so (a late read: dt spans both) or not
 * (Munnin's 2018 runs, converted: a stale read is a gap and "an adjacent slice then usually holds
 * two scrapes' worth of traffic", their README). Judged as it is, such a slice was a false alarm
 * of `path`, `control-chart` and `ewma` every time on Munnin's benign run
 * (test/regression/staleReadAfterGap.test.ts). A core with `judgeOnly` is given the frame with
 * every value divided by (gaps before it + 1) (perSliceFrame), which an attack in either interval
 * still lifts by half its bytes and which learns nothing; a core without it does not see the
 * frame (score NaN, no alarm, the last threshold judged with). When the frame holds its own
 * interval only (munnin's own recorder makes the read after a fault a gap: matrix/differentiate.ts),
 * the mean is a low reading, which a one-sided detector does not alarm on.
 */
export function detectorOperator(create: () => DetectorCore, options: DetectorStreamOptions): OperatorFunction<Frame, Verdict> {
  return (frames) =>
    defer(() => {
      const core = create();
      let streamStart = Number.NaN;
      const afterGap = new AfterGap();
      let lastThreshold = Number.NaN;
      return frames.pipe(
        map((frame): Verdict => {
          if (Number.isNaN(streamStart)) streamStart = intervalStart(frame.t, frame.dt);
          // t − start <= trainingSeconds in exact arithmetic: with dt 0.2 s, 100 s is 500 frames.
          const training = !isBefore(streamStart + options.trainingSeconds, frame.t);
          const after = afterGap.next(frame.gap);
          if (after && !training && core.judgeOnly !== undefined) {
            const j = core.judgeOnly(perSliceFrame(frame, afterGap.gaps + 1));
            const alarm = j.score > j.threshold;
            return verdict(frame, options.name, false, j.score, j.threshold, alarm, alarm ? j.blamed : NO_BLAME);
          }
          if (after || frame.gap) {
            return verdict(frame, options.name, training, Number.NaN, training || frame.gap ? Number.NaN : lastThreshold, false, NO_BLAME);
          }
          if (training) {
            core.train(frame);
            return verdict(frame, options.name, training, Number.NaN, Number.NaN, false, NO_BLAME);
          }
          const j = core.judge(frame);
          lastThreshold = j.threshold;
          const alarm = j.score > j.threshold;
          return verdict(frame, options.name, false, j.score, j.threshold, alarm, alarm ? j.blamed : NO_BLAME);
        }),
      );
    });
}
