import type { Frame } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';

/**
 * What a univariate chart watches: a frame turned into dense numbered series (edge volumes,
 * ratios, tier sums). Numbering only grows, like the edge index's positions, and a series
 * that did not exist yet had value 0 (no traffic) in every earlier frame; a series whose edge's
 * position went to a new edge stands for the new one from then on (`recycled`).
 */
export interface SeriesSource {
  /** Compute this frame's values; returns how many series there are (never fewer than before). */
  read(frame: Frame): number;
  /** The values of the last read, at least as long as it returned; NaN = unknown in this frame (skipped, not learned). */
  readonly values: Float64Array;
  /**
   * The series whose value in the last read may be other than 0, ascending: a chart may visit
   * only these (and what it carries itself). Undefined: any series may (a dense read).
   */
  readonly touched?: Int32Array | undefined;
  /**
   * Series that stand for something new from the last read on (their edge's position went to a
   * new edge: Frame.recycled), ascending: a chart resets what it keeps for them. Undefined or
   * empty: none.
   */
  readonly recycled?: Int32Array | undefined;
  /** With `touched`: the series not listed are unknown in the last read (NaN), not 0. */
  readonly unknownElsewhere?: boolean | undefined;
  /** What series `s` stands for, for blame. */
  label(series: number): SeriesLabel;
  /** For a source with state of its own (SilenceImputed): learn the last frame read; detectors call it only for frames they did not alarm on. */
  learn?(): void;
  /** For a source with state per series (LoadAdjustedSeries): after judging, series `s` of the last read may be learnt when `admitted` (SeriesChart calls it for every series it visited). */
  learnSeries?(s: number, admitted: boolean): void;
}
