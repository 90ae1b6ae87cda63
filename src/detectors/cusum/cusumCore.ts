import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength } from '../growable.ts';
import type { ResidualSource } from '../series/residualSource.ts';
import { SPARSE_BELOW, VisitList } from '../series/visitList.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';

export interface CusumParameters {
  /** Reference value k, in residual standard deviations: the half-shift the chart is tuned to. */
  readonly referenceValue: number;
  /** c: what an interval carries into later ones is winsorised at c σ. */
  readonly winsorizeAt: number;
}

/**
 * A one-sided upper CUSUM per edge on its load-adjusted standardised residual z (Page,
 * "Continuous inspection schemes", Biometrika 41, 1954):
 *   S ← max(0, S + min(z, c) − k),
 * so shifts too small for any single interval accumulate: an exfiltration adding 1σ to an edge
 * for several intervals raises S by ~(1 − k) each. An edge not scored in an interval (idle, or
 * its fit still warming up) keeps its S.
 *
 * Winsorised carry (Hawkins & Olwell 1998): what an interval carries forward is capped at c
 * (default 4), or one burst of heavy-tailed traffic, z in the hundreds, would hold the sum up
 * for hundreds of intervals (it falls by only k per interval). The interval itself is judged on
 * its full z, S_prev + z − k, so a large exfiltration alarms at once, as on a Shewhart chart,
 * rather than after h/(c − k) intervals.
 *
 * The interval's score is max over edges of that statistic; the decision interval h is its threshold,
 * calibrated to the false-alarm rate from the detector's own interval scores (see AlarmLimit:
 * training intervals included, scored one step ahead), so the rate is family-wise over the
 * edges. Alarm = some S > h; the edges whose S crossed h are blamed (highest first) and restart
 * from 0 (the chart's reset after a signal), and their residuals do not teach the load fit
 * (LearningGate: unless the change lasts).
 */
export class CusumCore implements DetectorCore {
  /** Per edge, the winsorised sum carried to the next interval. */
  private sums = new Float64Array(64);
  /** Per edge, this interval's statistic (its full z added). */
  private now = new Float64Array(64);
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  private trained = false;
  /**
   * The edges this interval visits when the source says which edges may have a residual (see
   * ResidualSource.active): those, and the carried ones. Every other edge has no z, a sum of 0
   * and no alarm streak, so a dense loop would leave it as it is: the work is O(edges active
   * now), not O(edges ever seen).
   */
  private readonly visit = new VisitList();
  /** Whether this interval visits `visit` only (else every edge). */
  private sparse = false;
  /** Edges to visit next interval whatever their residual: a sum above 0, or crossed now (its streak must be seen). */
  private carry = new Int32Array(64);
  private carried = 0;

  constructor(
    private readonly residuals: ResidualSource,
    private readonly p: CusumParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
  ) {}

  /** The sum edge e carries into the next interval (for tests and reports). */
  sum(e: number): number {
    return this.sums[e] ?? 0;
  }

  train(frame: Frame): void {
    const { score, judged } = this.accumulate(frame, true);
    // Sums over the limit restart in training too (once it exists), though nothing alarms: else
    // one burst in training would hold its edge's sum up for hundreds of intervals (it falls by
    // only k per interval) and teach the limit a statistic the judged stretch never has.
    const threshold = this.limit.limit(judged);
    this.limit.learn(score);
    if (threshold <= 0) this.densify();
    this.learn(threshold, true);
  }

  judge(frame: Frame): Judgement {
    const { score, judged } = this.accumulate(frame, true);
    if (!this.trained) {
      // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
      this.trained = true;
      this.onTrained?.();
    }
    const judgement = this.decide(score, judged);
    this.limit.learn(score);
    this.learn(judgement.threshold);
    return judgement;
  }

  /**
   * Score a frame learning nothing from it (see DetectorCore.judgeOnly): each edge's statistic is
   * its carried sum plus this z − k, as judge() has it, but no sum carries it on, no sum restarts,
   * and neither the limit nor the fits learn.
   */
  judgeOnly(frame: Frame): Judgement {
    const { score, judged } = this.accumulate(frame, false);
    return this.decide(score, judged);
  }

  /** The verdict on this interval's statistics: the limit, and the edges over it, highest first. */
  private decide(score: number, judged: number): Judgement {
    const threshold = this.limit.limit(judged);
    const top = this.top;
    top.reset();
    const alarm = score > threshold;
    if (threshold <= 0) this.densify();
    if (alarm) {
      const { count, items } = this.loop();
      for (let j = 0; j < count; j++) {
        const e = items === undefined ? j : items[j]!;
        if (this.now[e]! > threshold) top.offer(e, this.now[e]!);
      }
    }
    const blamed = alarm ? top.toBlamed((e) => this.residuals.label(e)) : [];
    return { score: Number.isNaN(score) ? 0 : score, threshold, blamed };
  }

  /**
   * Read the frame's residuals and add them to the sums (`carry`: else the sums stay as they
   * were); the largest statistic and how many edges were scored. NaN while no edge is scored yet
   * (every fit warming up): such an interval says nothing about the statistic's law, so the limit
   * does not learn it.
   */
  private accumulate(frame: Frame, carry: boolean): { score: number; judged: number } {
    const n = this.residuals.read(frame);
    this.sums = ensureLength(this.sums, n);
    this.now = ensureLength(this.now, n);
    // A position holding a new edge (its old one forgotten) starts from 0, as a new edge does.
    const recycled = this.residuals.recycled;
    if (recycled !== undefined) {
      for (const e of recycled) {
        this.sums[e] = 0;
        this.now[e] = 0;
        this.gate.reset(e);
      }
    }
    const active = this.residuals.active;
    // Most edges active (a small mesh where nearly every edge is busy): the dense loop gives the same result, cheaper.
    this.sparse = active !== undefined && active.length < SPARSE_BELOW * n;
    if (this.sparse) {
      const visit = this.visit;
      visit.begin();
      visit.addAll(active!);
      visit.addAll(this.carry, this.carried);
      visit.sort();
    }
    const { count, items } = this.loop();
    const z = this.residuals.z;
    const k = this.p.referenceValue;
    let score = 0;
    let judged = 0;
    const c = this.p.winsorizeAt;
    const now = this.now;
    for (let j = 0; j < count; j++) {
      const e = items === undefined ? j : items[j]!;
      const ze = z[e]!;
      const before = this.sums[e]!;
      if (Number.isNaN(ze)) now[e] = before;
      else {
        judged++;
        const full = before + ze - k;
        now[e] = full > 0 ? full : 0;
        if (carry) {
          const carried = before + (ze > c ? c : ze) - k;
          this.sums[e] = carried > 0 ? carried : 0;
        }
      }
      if (now[e]! > score) score = now[e]!;
    }
    return { score: judged === 0 ? Number.NaN : score, judged };
  }

  /**
   * Edges whose sum crossed `threshold` (NaN: none) restart from 0 and (see LearningGate) do
   * not teach the fit, except in training, where everything is learnt.
   */
  private learn(threshold: number, training = false): void {
    const { count, items } = this.loop();
    let carried = 0;
    if (this.carry.length < count) this.carry = new Int32Array(Math.max(count, 2 * this.carry.length));
    const carry = this.carry;
    for (let j = 0; j < count; j++) {
      const e = items === undefined ? j : items[j]!;
      const crossed = this.now[e]! > threshold;
      if (crossed) this.sums[e] = 0;
      if (training || this.gate.admit(e, crossed)) this.residuals.learn(e);
      if (crossed || this.sums[e]! > 0) carry[carried++] = e;
    }
    this.carried = carried;
  }

  /** This interval's edges: the visit list (items) or, dense, 0 … count − 1 (items undefined). */
  private loop(): { count: number; items: Int32Array | undefined } {
    return this.sparse ? { count: this.visit.length, items: this.visit.items } : { count: this.residuals.edgeCount, items: undefined };
  }

  /**
   * Back to a dense interval, for a threshold at or below 0 (every edge's statistic, 0 for the
   * unvisited ones, is over it; never seen with scores ≥ 0, kept for exactness).
   */
  private densify(): void {
    if (!this.sparse) return;
    const n = this.residuals.edgeCount;
    for (let e = 0; e < n; e++) if (!this.visit.has(e)) this.now[e] = this.sums[e]!;
    this.sparse = false;
  }
}
