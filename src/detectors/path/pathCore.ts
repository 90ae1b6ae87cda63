import { intervalStart } from '../../intervalBounds.ts';
import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLength, ensureLengthBytes } from '../growable.ts';
import { BestOfPaths } from '../series/bestOfPaths.ts';
import { exitShare } from '../series/exitShare.ts';
import type { ResidualSource } from '../series/residualSource.ts';
import { SPARSE_BELOW, VisitList } from '../series/visitList.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { CandidatePathSet, type CandidatePathParameters, type ExitHop } from './candidatePathSet.ts';
import { ClipCeiling, type OnLimitAboveCeiling } from './clipCeiling.ts';
import { TwoIntervals } from './twoIntervals.ts';

/** Told once a run when the limit first declines to learn an alarm as a benign tail interval (TailThreshold, "Plausible stand-ins"). */
export type OnStandInRefused = (secondsIntoRun: number) => void;

export interface PathParameters extends CandidatePathParameters {
  /** Each hop's z is winsorised at ± this many σ (one heavy-tailed burst cannot carry a path alone). */
  readonly winsorizeAt: number;
  /** Also score each path over the last two contiguous intervals (see PathCore). Default false. */
  readonly twoIntervals?: boolean;
}

/**
 * A closed exit hop's value (see exitZ): its paths can never be the best one. Finite, so that
 * BestOfPaths keeps its fast pass (a NaN or an infinity sends it to the plain loop), and so far
 * below any sum of winsorised z's that no path through it comes near another's score, alone or
 * paired over two intervals.
 */
const CLOSED_EXIT = -1e9;

/**
 * A matched filter along the routes data can leave by. An exfiltration of B bytes adds B to
 * every hop between the data store and the outside (user-db → user → front-end → external),
 * while the hops' benign noise is only partly shared: summing the hops' standardised
 * load-adjusted residuals and dividing by √hops keeps a benign path's score near unit spread
 * and lets the attack's evidence add up along the path.
 *
 * The candidate paths, from each data store to the outside over the links of the training graph
 * and extended by new links to the outside (with the routes to them while they warm up), are
 * CandidatePathSet's. A hop's residual is that of its busier direction (the larger z of u → v and
 * v → u), winsorised at ± winsorizeAt (8 by default: a matched filter under heavy-tailed noise is
 * otherwise carried by one burst on one hop, while an exfiltration raises every hop); an
 * unscored hop (idle, warming up) counts 0, but for a new link's hop on those routes (exitZ).
 *
 * Score = the largest path score; threshold calibrated to the false-alarm rate (family-wise
 * over the paths). Blamed: the winning path's edges, largest residual first; they do not teach
 * the load fit (see LearningGate).
 *
 * With twoIntervals (path's default), each path is also scored over the last two contiguous
 * intervals, Σ(z(t − 1) + z(t))/√(2·hops), and the interval's score is the larger of the two:
 * the scan statistic of a window of two (Naus, JASA 77, 1982), matched to an attack whose bytes
 * an interval boundary cuts in two (half a slice on each side: z/2 in each interval, z/√2 over
 * the pair). The limit learns that larger score, so it is calibrated to the statistic judged.
 * An alarmed interval does not pair with the next (its evidence is spent), nor does an interval
 * with the one after a gap. Departure from Naus's fixed-window scan: both windows at once, one
 * limit over their maximum, since an attack may fill one interval or straddle two. Measured
 * in README "What each detector watches", path, "Two intervals".
 */
export class PathCore implements DetectorCore {
  /** The candidate paths and the links they are made of. */
  private readonly watched: CandidatePathSet;
  /** Per link on some path: its busier direction's winsorised z, 0 when neither direction was scored (BestOfPaths reads it as is). */
  private linkZ = new Float64Array(64);
  /** Per link on some path: the residual (bytes) of the direction linkZ was read from; NaN when neither was scored. */
  private linkResidual = new Float64Array(64);
  /** With twoIntervals: the interval before, to pair with. */
  private readonly twoIntervals = new TwoIntervals();
  /** Whether the last score() had a score (its linkZ is the next interval's partner). */
  private scoredNow = false;
  /** The paths flattened (see flatten()), and the CandidatePathSet version they were flattened at (-1: none yet). */
  private flatHops = new Int32Array(0);
  private pathStart = new Int32Array(1);
  private pathRoot = new Float64Array(0);
  /** The longest candidate path's hops, as last flattened. */
  private longestHops = 0;
  private flatVersion = -1;
  private bestOfPaths = new BestOfPaths(new Int32Array(0), new Int32Array(1), new Float64Array(0), 0);
  private trained = false;
  /** Per edge, 1 while learn() runs when the alarm blamed it (else 0). */
  private crossed = new Uint8Array(64);
  /** The edges the last alarm blamed (their alarm streaks must be seen next interval). */
  private crossedBefore: number[] = [];
  private readonly visit = new VisitList();
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  private readonly ceiling: ClipCeiling;
  /** The run's start (the first frame's interval start, as detectorOperator takes it), for the notices' seconds. */
  private runStart = Number.NaN;
  /** Whether onStandInRefused was told (once a run). */
  private refusalSaid = false;

  constructor(
    private readonly residuals: ResidualSource,
    private readonly p: PathParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
    /** Told once when the limit first reaches what one interval can score on any path (see ClipCeiling). */
    onLimitAboveCeiling?: OnLimitAboveCeiling,
    /**
     * Told once when the limit first declines to learn an alarm: the run already holds more
     * alarms than benign traffic at the rate plausibly makes, and the limit stays where it was
     * rather than climbing with each (README "What each detector watches", path, "Plausible stand-ins").
     */
    private readonly onStandInRefused?: OnStandInRefused,
  ) {
    this.watched = new CandidatePathSet(p);
    this.ceiling = new ClipCeiling(p.winsorizeAt, onLimitAboveCeiling);
  }

  /** The candidate paths (node names), for tests and reports. */
  get candidates(): readonly (readonly string[])[] {
    return this.watched.paths.map((p) => p.nodes);
  }

  train(frame: Frame): void {
    this.see(frame);
    const n = this.residuals.read(frame);
    this.renew(this.residuals.recycled);
    // Training scores are computed on the paths known so far (rebuilt here when the newly active
    // links can change them), so the limit learns the statistic it will judge.
    this.watched.train(frame, this.residuals);
    this.limit.learn(this.score(n, frame).score);
    this.commitPair(frame, false);
    this.learn(n, -1, false);
  }

  judge(frame: Frame): Judgement {
    this.see(frame);
    const n = this.read(frame);
    if (!this.trained) {
      this.trained = true;
      this.onTrained?.();
    }
    const { judgement, best, alarm } = this.decide(n, frame);
    this.ceiling.check(judgement.threshold, this.longestHops, frame.t - this.runStart);
    this.commitPair(frame, alarm);
    this.limit.learn(judgement.score);
    if (!this.refusalSaid && this.onStandInRefused !== undefined && (this.limit.refusedStandIns ?? 0) > 0) {
      this.refusalSaid = true;
      this.onStandInRefused(frame.t - this.runStart);
    }
    this.learn(n, best, alarm);
    return judgement;
  }

  /** Every frame (training too): the run's start is the first one's. */
  private see(frame: Frame): void {
    if (Number.isNaN(this.runStart)) this.runStart = intervalStart(frame.t, frame.dt);
  }

  /** Score a frame and learn nothing from it: neither the fits, the limit nor the pairing see it (see DetectorCore.judgeOnly). */
  judgeOnly(frame: Frame): Judgement {
    return this.decide(this.read(frame), frame).judgement;
  }

  /** Read a frame to judge: its residuals, and the positions and paths it renews or adds. */
  private read(frame: Frame): number {
    const n = this.residuals.read(frame);
    this.renew(this.residuals.recycled);
    this.watched.extend(frame, n, this.residuals.recycled);
    return n;
  }

  /** The verdict on the frame read: its score against the limit, and over it the winning path's edges, largest residual first. */
  private decide(n: number, frame: Frame): { judgement: Judgement; best: number; alarm: boolean } {
    const { score: raw, best } = this.score(n, frame);
    const score = Number.isNaN(raw) ? 0 : raw;
    const threshold = this.limit.limit(this.watched.paths.length);
    const alarm = score > threshold;
    const top = this.top;
    top.reset();
    if (alarm && best >= 0) {
      // An edge warming up (an exit hop's new link) is blamed with its hop's z (see exitZ).
      const edges = this.hopEdges(best);
      const hops = this.watched.paths[best]!.hops;
      for (let h = 0; h < edges.length; h++) {
        const e = edges[h]!;
        if (e >= 0) top.offer(e, Number.isNaN(this.residuals.z[e]!) ? this.linkZ[hops[h]!]! : this.residuals.z[e]!);
      }
    }
    const blamed = alarm ? top.toBlamed((e) => this.residuals.label(e)) : [];
    return { judgement: { score, threshold, blamed }, best, alarm };
  }

  /**
   * Largest path score of the last read and the path reaching it (−1: none); with
   * twoIntervals, the larger of that and the best pair score over it and the interval before.
   * NaN when no hop of any path was scored (fits warming up): the limit does not learn such an
   * interval, and the next one pairs with nothing.
   */
  private score(n: number, frame: Frame): { score: number; best: number } {
    const watched = this.watched;
    const follows = this.twoIntervals.follows(frame);
    this.scoredNow = false;
    if (watched.paths.length === 0) return { score: Number.NaN, best: -1 };
    const z = this.residuals.z;
    const linkEdges = watched.linkEdges;
    const linkZ = (this.linkZ = ensureLength(this.linkZ, linkEdges.length));
    const linkResidual = (this.linkResidual = ensureLength(this.linkResidual, linkEdges.length));
    const residual = this.residuals.residual;
    const c = this.p.winsorizeAt;
    // Only the links on some path: each one's busier direction (the larger z), winsorised; an
    // unscored link (neither direction scored) adds 0 to a path's Σz/√hops, as skipping it would
    // (a sum that starts at +0 never becomes −0). The links on no path are never read.
    let any = false;
    for (const l of watched.pathLinks) {
      let v = Number.NaN;
      let r = Number.NaN;
      for (const e of linkEdges[l]!) {
        if (e >= n) continue;
        const ze = z[e]!;
        if (Number.isNaN(ze)) continue;
        if (Number.isNaN(v) || ze > v) {
          v = ze;
          r = residual[e]!;
        }
      }
      linkResidual[l] = r;
      if (Number.isNaN(v)) linkZ[l] = 0;
      else {
        linkZ[l] = v > c ? c : v < -c ? -c : v;
        any = true;
      }
    }
    for (const exit of watched.exits) linkZ[exit.hop] = this.exitZ(exit, n);
    if (!any) return { score: Number.NaN, best: -1 };
    if (this.flatVersion !== watched.version) this.flatten();
    let best = this.bestOfPaths.compute(linkZ);
    let score = this.bestOfPaths.best[0]!;
    this.scoredNow = true;
    if (this.p.twoIntervals === true && follows) {
      const bestPair = this.bestOfPaths.compute(this.twoIntervals.pairWith(linkZ, watched.pathLinks));
      const pairScore = this.bestOfPaths.best[0]!;
      if (pairScore > score) {
        score = pairScore;
        best = bestPair;
      }
    }
    return { score, best };
  }

  /**
   * An exit hop's z (see CandidatePathSet, ExitHop). While the new link's fit warms up (no z of
   * its own), the hop before it vouches for it, up to the share of its excess that the new link
   * carried out: z_before · min(1, x / r_before) (exitShare, which graph-lasso's routes out share), x being the new link's bytes in the interval
   * (ResidualSource.value, the larger direction's) and r_before the hop before's residual in
   * bytes; 0 when that hop shows no excess. The hop is closed (CLOSED_EXIT) when the new link
   * carried nothing (no data left by it) and once it has its own z: its one-hop path watches it
   * from then on.
   *
   * Why: the matched filter's model is the same B bytes on every hop of the path, so the hop
   * before has excess B (z_before = B/σ_before) and the new link carries B, and z_before is the
   * z the new link would have at the hop before's scale. With no history it has no scale of its
   * own: counted as an unscored hop (0), the default experiment's 400 kB `egress` scored
   * (8 + 0)/√2 ≈ 5.7 on user-db → user → external, under any limit, and `path` missed it in
   * every sample. Counting the hop before twice is not new evidence, so a benign new link
   * after an ordinary hop scores √2·z_before on a two-hop route, over a limit of 5-8 only past
   * z_before = 3.5-5.7. Tried and not kept: leaving the hop out of √hops instead (Σz/√(inside
   * hops)), whose one-hop routes cannot score above winsorizeAt, under the limit of a short
   * run's first intervals (8.09 on a default recording); and keeping the routes through the
   * new link once it is scored, which grew the family, so its limit with it (README, path).
   */
  private exitZ(exit: ExitHop, n: number): number {
    if (!Number.isNaN(this.linkResidual[exit.exit]!)) return CLOSED_EXIT;
    let x = 0;
    for (const e of this.watched.linkEdges[exit.exit]!) {
      const v = e < n ? this.residuals.value(e) : Number.NaN;
      if (v > x) x = v;
    }
    if (x === 0) return CLOSED_EXIT;
    return exitShare(this.linkZ[exit.before]!, this.linkResidual[exit.before]!, x);
  }

  /** After the decision: this interval becomes the one the next pairs with (see TwoIntervals.remember). */
  private commitPair(frame: Frame, alarm: boolean): void {
    if (this.p.twoIntervals === true && this.scoredNow) this.twoIntervals.remember(frame, this.linkZ, this.watched.pathLinks, alarm);
  }

  /** The paths' hops in one array (path p's are flatHops[pathStart[p], pathStart[p + 1])), √hops per path, and BestOfPaths over them. */
  private flatten(): void {
    const paths = this.watched.paths;
    let total = 0;
    this.longestHops = 0;
    for (const path of paths) {
      total += path.hops.length;
      if (path.hops.length > this.longestHops) this.longestHops = path.hops.length;
    }
    this.flatHops = new Int32Array(total);
    this.pathStart = new Int32Array(paths.length + 1);
    this.pathRoot = new Float64Array(paths.length);
    let at = 0;
    for (let p = 0; p < paths.length; p++) {
      const hops = paths[p]!.hops;
      this.pathStart[p] = at;
      this.flatHops.set(hops, at);
      at += hops.length;
      this.pathRoot[p] = Math.sqrt(hops.length);
    }
    this.pathStart[paths.length] = at;
    this.flatVersion = this.watched.version;
    // A path without hops (0/0) is never the best, as NaN > score never holds.
    this.bestOfPaths = new BestOfPaths(this.flatHops, this.pathStart, this.pathRoot, paths.length, Number.NaN);
  }

  private zOf(e: number): number {
    const v = this.residuals.z[e]!;
    return Number.isNaN(v) ? 0 : v;
  }

  /** Per hop of path p, its busier directed edge. */
  private pathEdges(p: number): number[] {
    return this.hopEdges(p).filter((e) => e >= 0);
  }

  /** Per hop of path p, its busier directed edge (−1: the hop has none left). */
  private hopEdges(p: number): number[] {
    if (p < 0) return [];
    const linkEdges = this.watched.linkEdges;
    return Array.from(this.watched.paths[p]!.hops, (l) => {
      let pick = -1;
      for (const e of linkEdges[l]!) if (pick < 0 || this.zOf(e) > this.zOf(pick)) pick = e;
      return pick;
    });
  }

  private learn(n: number, best: number, alarm: boolean): void {
    this.crossed = ensureLengthBytes(this.crossed, n);
    const crossedNow = alarm ? this.pathEdges(best) : [];
    for (const e of crossedNow) this.crossed[e] = 1;
    const active = this.residuals.active;
    if (active === undefined || active.length >= SPARSE_BELOW * n) {
      for (let e = 0; e < n; e++) if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
    } else {
      // Every other edge is idle (nothing to learn) and was not crossed last time (no streak to
      // end): a dense loop would leave it as it is.
      const visit = this.visit;
      visit.begin();
      visit.addAll(active);
      visit.addAll(this.crossedBefore);
      visit.addAll(crossedNow);
      for (let j = 0; j < visit.length; j++) {
        const e = visit.items[j]!;
        if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
      }
    }
    for (const e of crossedNow) this.crossed[e] = 0;
    this.crossedBefore = crossedNow;
  }

  /** Positions that hold a new edge now (Frame.recycled; the old edge was forgotten): the old edge's alarm streak ends (its link is CandidatePathSet's to leave). */
  private renew(recycled: Int32Array | undefined): void {
    if (recycled === undefined) return;
    for (const e of recycled) {
      this.gate.reset(e);
      if (e < this.crossed.length) this.crossed[e] = 0;
    }
  }
}
