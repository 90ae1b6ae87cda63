import { ensureLength, ensureLengthInt } from '../growable.ts';
import { RELEARN_AFTER_INTERVALS } from '../stats/index.ts';

/**
 * Edges first seen after training, under the dense model (every training edge a coordinate of
 * its own, see ModelEdges): each is all residual, as an exfiltration to a new destination is,
 * until it has been listed in RELEARN_AFTER_INTERVALS judged intervals in a row (under
 * silentEdges 'typical': each within `gapSeconds` of the one before, see below). Then it is a
 * new normal (the rule LearningGate and TailThreshold follow) and joins the model as a
 * coordinate outside the normal subspace: its residual is its value minus its mean, the mean of
 * the intervals that made it normal and, from then on, of the intervals that did not alarm (an
 * alarmed value is never learnt). The axes stay as training fitted them: a coordinate no axis
 * covers is what the model already is along its residual directions.
 *
 * Why: left all residual, a steady new edge of ~5 kB an interval (ln(1 + 5,300)² ≈ 74 against
 * SPEs of ~0.05) alarmed 5 times, and then the limit's own new-normal rule learnt that level:
 * the threshold rose ~800 times for the rest of the run, past a later 400 kB exfiltration's SPE.
 *
 * A silence of an accepted edge (not listed, or listed at 0: never learnt by the silence rule,
 * or forgotten) is no observation under silentEdges 'typical' (nothing residual, so an edge that
 * leaves for good does not lift SPE for good); under 'zero' (the paper) it reads 0, residual
 * −mean, as a training coordinate's silence does.
 *
 * Under 'typical' the listings need not be in a row: `gapSeconds` is forgetAfterSeconds, the gap
 * after which the silence layer forgets an edge and RecurringEdges starts its count over. An
 * intermittent new edge (cron-like, every p-th interval) alarms at each appearance, so the
 * silence layer learns it only at its 5th (ImputedEdges.learnRecurring) and lists it from then on;
 * counted in a row, the streak would begin there and the edge alarm 4 more times at its imputed
 * level. Under 'zero' they stay in a row: an accepted edge's silence reads 0 there, so an
 * intermittent edge accepted would alarm at each silence.
 */
export class NewNormalEdges {
  /** Judged intervals begun. */
  private tick = 0;
  /** Per position: the tick it was last listed outside the model, and the tick its streak last grew at. */
  private listedAt = new Int32Array(64);
  private streakAt = new Int32Array(64);
  /** Per position: the time (s) its streak last grew at. */
  private streakT = new Float64Array(64);
  /** Per position: its streak of listed intervals in a row, and the streak's sum of values. */
  private streak = new Int32Array(64);
  private streakSum = new Float64Array(64);
  /** Per position, once accepted: its values learnt (0: not accepted) and their sum. */
  private learnt = new Float64Array(64);
  private sum = new Float64Array(64);
  /** Accepted positions (for their silences under 'zero'). */
  private readonly accepted: number[] = [];
  /** This interval's listed edges outside the model: positions and values. */
  private seenPositions = new Int32Array(64);
  private seenValues = new Float64Array(64);
  private seenCount = 0;

  /** `gapSeconds`: the longest gap between two listings of a streak (undefined: in a row). */
  constructor(private readonly gapSeconds: number | undefined) {}

  /** Start a judged interval. */
  begin(): void {
    this.tick++;
    this.seenCount = 0;
  }

  /** An edge outside the trained model listed now with value v ≠ 0: its residual (v; v − its mean once accepted). */
  residual(p: number, v: number): number {
    this.grow(p);
    this.seenPositions = ensureLengthInt(this.seenPositions, this.seenCount + 1);
    this.seenValues = ensureLength(this.seenValues, this.seenCount + 1);
    this.seenPositions[this.seenCount] = p;
    this.seenValues[this.seenCount++] = v;
    this.listedAt[p] = this.tick;
    const n = this.learnt[p]!;
    return n > 0 ? v - this.sum[p]! / n : v;
  }

  /** Each accepted edge not listed this interval (after residual() was asked for the listed ones), with its mean. */
  forEachSilent(visit: (position: number, mean: number) => void): void {
    for (const p of this.accepted) if (this.listedAt[p] !== this.tick) visit(p, this.sum[p]! / this.learnt[p]!);
  }

  /** After the verdict on the interval ending at t (s): a quiet interval teaches the accepted edges' means; a streak reaching RELEARN_AFTER_INTERVALS is accepted. */
  end(alarmed: boolean, t: number): void {
    for (let k = 0; k < this.seenCount; k++) {
      const p = this.seenPositions[k]!;
      const v = this.seenValues[k]!;
      if (this.learnt[p]! > 0) {
        if (!alarmed) {
          this.learnt[p]!++;
          this.sum[p]! += v;
        }
        continue;
      }
      const inReach = this.streakAt[p] === this.tick - 1 || (this.gapSeconds !== undefined && t - this.streakT[p]! <= this.gapSeconds);
      const goesOn = this.streak[p]! > 0 && inReach;
      this.streak[p] = goesOn ? this.streak[p]! + 1 : 1;
      this.streakSum[p] = goesOn ? this.streakSum[p]! + v : v;
      this.streakAt[p] = this.tick;
      this.streakT[p] = t;
      if (this.streak[p]! >= RELEARN_AFTER_INTERVALS) {
        this.learnt[p] = this.streak[p]!;
        this.sum[p] = this.streakSum[p]!;
        this.accepted.push(p);
      }
    }
  }

  /** Position p holds another edge now (Frame.recycled): the one it held is forgotten. */
  retire(p: number): void {
    if (p >= this.learnt.length) return;
    if (this.learnt[p]! > 0) this.accepted.splice(this.accepted.indexOf(p), 1);
    this.learnt[p] = 0;
    this.sum[p] = 0;
    this.streak[p] = 0;
    this.streakSum[p] = 0;
    this.streakAt[p] = 0;
    this.streakT[p] = 0;
    this.listedAt[p] = 0;
  }

  private grow(p: number): void {
    if (p < this.learnt.length) return;
    this.listedAt = ensureLengthInt(this.listedAt, p + 1);
    this.streakAt = ensureLengthInt(this.streakAt, p + 1);
    this.streakT = ensureLength(this.streakT, p + 1);
    this.streak = ensureLengthInt(this.streak, p + 1);
    this.streakSum = ensureLength(this.streakSum, p + 1);
    this.learnt = ensureLength(this.learnt, p + 1);
    this.sum = ensureLength(this.sum, p + 1);
  }
}
