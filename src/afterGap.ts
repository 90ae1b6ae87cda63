/**
 * The one rule for "the interval right after a gap", which no detector learns and most do not
 * judge (it may hold the gap's traffic as well as its own: see detectorOperator), kept in one
 * place for the three that apply it: detectorOperator (skips it, or has it judged as a mean),
 * runReplay (counts it, and says so) and PluginContract (allows a NaN score there). Feed every
 * interval's gap flag in order.
 */
export class AfterGap {
  /** Gaps in a row up to the last interval fed (0: it was not a gap). */
  private run = 0;
  private gapsBefore = 0;

  /** With next() true: how many gaps in a row came right before this interval (else 0). */
  get gaps(): number {
    return this.gapsBefore;
  }

  /** Whether this interval (not a gap itself) comes right after a gap. */
  next(gap: boolean): boolean {
    const after = this.run > 0 && !gap;
    this.gapsBefore = after ? this.run : 0;
    this.run = gap ? this.run + 1 : 0;
    return after;
  }
}
