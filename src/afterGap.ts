/**
 * The one rule for "the interval right after a gap", which no detector judges (it may hold the
 * gap's traffic as well as its own: see detectorOperator), kept in one place for the three that
 * apply it: detectorOperator (skips it), runReplay (counts it, and says so) and PluginContract
 * (allows a NaN score there). Feed every interval's gap flag in order.
 */
export class AfterGap {
  private previousGap = false;

  /** Whether this interval (not a gap itself) comes right after a gap. */
  next(gap: boolean): boolean {
    const after = this.previousGap && !gap;
    this.previousGap = gap;
    return after;
  }
}
