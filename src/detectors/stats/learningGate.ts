import { ensureLength } from '../growable.ts';

/**
 * Alarmed intervals in a row after which a series learns again: a change that lasts this long
 * (a deploy, a load step) becomes the series' new normal instead of alarming forever, while an
 * exfiltration of a few intervals is never learnt.
 */
export const RELEARN_AFTER_INTERVALS = 5;

/**
 * Which series may learn this interval's value: a detector never learns from what it alarmed
 * on, so a series whose statistic crossed the threshold keeps its baseline as it was (the next
 * attack on that edge is judged against the clean baseline, not one the first attack taught),
 * unless it has crossed it RELEARN_AFTER_INTERVALS times in a row.
 */
export class LearningGate {
  private streak = new Float64Array(64);

  /** Series i starts over (no alarm streak). */
  reset(i: number): void {
    if (i < this.streak.length) this.streak[i] = 0;
  }

  /** Record whether series i crossed the threshold now; true when its value may be learnt. */
  admit(i: number, crossed: boolean): boolean {
    if (i >= this.streak.length) this.streak = ensureLength(this.streak, i + 1);
    if (!crossed) {
      this.streak[i] = 0;
      return true;
    }
    return ++this.streak[i]! >= RELEARN_AFTER_INTERVALS;
  }
}
