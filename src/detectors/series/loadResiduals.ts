import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';
import { studentToNormal } from '../linalg/index.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { EdgeSlots } from './edgeSlots.ts';
import { frameEdgeCount } from './frameVolumes.ts';
import { LOAD_COVARIATES, LoadCovariates } from './loadCovariates.ts';
import { RESIDUAL_WARMUP, type LoadResidualParameters } from './loadResidualOptions.ts';
import { OutsideNodes } from './outsideNodes.ts';
import { solveRidge3 } from './solveRidge3.ts';
import { SPARSE_BELOW } from './visitList.ts';
import type { ResidualSource } from './residualSource.ts';
import { VolumeSeries } from './volumeSeries.ts';

/** Huber's clipping point, in σ, for an observation's weight in the fit and in the scale. */
const CLIP = 2;
/** E[min(Z², 2²)] for a standard normal Z: the clipped square's normal-consistency factor (as in RobustEwma). */
const RHO_NORMALIZER = 0.9205;

/**
 * Load-adjusted residuals per edge: the edge's byte volume minus what the load explains, in
 * units of its robust scale. The cause-selecting chart of Zhang ("Cause-selecting control
 * charts", 1985; Wade & Woodall, "A review and analysis of cause-selecting control charts",
 * JQT 25, 1993; Hawkins, "Regression adjustment for variables in multivariate quality
 * control", JQT 25, 1993): chart what the incoming quality (here, the load) does not explain.
 *
 * Per edge u → v, the volume x (the watched metrics added up) is regressed on the load: its own
 * demand, the front door's and the demand into u (see LoadCovariates for which and why).
 *
 * The fit: exponentially forgotten, weighted, centred cross-products (West, "Updating mean and
 * variance estimates", CACM 22, 1979: S ← f·S + w(1 − w/W)·d dᵀ on deviations from the running
 * means, so 1e9-byte counters keep their digits), slopes β = (S_cc + ridge·diag S_cc)⁻¹ S_cx
 * (the ridge is relative to each covariate's spread: scale-free, and a constant or collinear
 * covariate gets a finite share). An observation's weight is Huber's min(1, 2σ/|r|) of its
 * one-step-ahead residual r, and after a start at 1.4826 × the median |r| of the first
 * observations its residual enters the scale as a clipped square (the robust scale of Gelper,
 * Fried & Croux 2010, as in RobustEwma): a burst moves neither fit nor scale more than a 2σ
 * residual does.
 *
 * Self-starting (option `selfStarting`, `path`'s default): a one-step residual is divided by
 * √(1 + h), h its observation's leverage on the fit so far, before it is standardised and before
 * it enters the scale (recursive residuals: Brown, Durbin & Evans, JRSS B 37, 1975), and the
 * standardised value, t-distributed while the scale rests on few residuals, is mapped to the
 * normal deviate of the same tail with n − 3 degrees of freedom after n observations (the Q
 * statistic of Quesenberry's self-starting charts, JQT 23, 1991). Where this departs from them:
 * their residuals are OLS's with the classical variance estimate; here the fit is forgotten and
 * Huber-weighted and the scale robust, so the degrees of freedom are an approximation (the scale
 * starts from the median of 4 residuals and each later one adds about one until the forgetting
 * holds it near (2 − λ)/λ; counting on, the map fades to the identity, which measured better
 * than capping it there: README "What each detector watches", path). What it buys: a fit of a
 * handful of observations neither inflates the scale for dozens of intervals (its errors are the
 * young fit's, divided out) nor, when its first residuals happened to be small, turns the next
 * ones into z in the tens that a short run's limit then learns.
 *
 * With demandUnitFloor f (`cusum`'s default 1), where demand is counted in requests the scale
 * never drops below f × the largest fitted slope, the bytes one request moves: a count known
 * only to the interval cannot place a request whose bytes land in the next one, so an edge that
 * requests explain exactly otherwise shows each such request as a residual of tens of σ.
 *
 * Every residual is computed from the past alone (`read` predicts, `learn` then updates), and
 * an edge the detector alarmed on is not learnt (the caller gates `learn`, see LearningGate).
 * An idle interval (no volume, no own demand) is no observation: not scored, not learnt, so a
 * health check is judged against earlier health checks. z is NaN while an edge warms up
 * (RESIDUAL_WARMUP observations); edges appearing later start their own fit when they appear.
 */
export class LoadResiduals implements ResidualSource {
  /** Standardised residual per edge of the last read (NaN: not scored). */
  z = new Float64Array(64);
  /** Residual per edge of the last read, in bytes (NaN: idle). */
  residual = new Float64Array(64);
  /** Edges covered by the last read. */
  edgeCount = 0;
  /** The edges that may have a residual in the last read, ascending (every other one is idle: NaN); undefined: any edge may. */
  active: Int32Array | undefined = undefined;
  /** See ResidualSource: the last read's recycled edge positions (Frame.recycled). */
  recycled: Int32Array | undefined = undefined;
  private readonly volume: VolumeSeries;
  private readonly p: LoadResidualParameters;
  private readonly forget: number;
  /** demandUnitFloor (see the option). */
  private readonly floorPerUnit: number;
  /** The nodes standing for the outside (see OutsideNodes). */
  readonly outside: OutsideNodes;
  private frame: Frame | undefined;
  /** This read's covariates per edge (`cov`, edge-major) and which edges come in at the front door. */
  protected readonly covariates: LoadCovariates;
  /** This read's regressed value per edge. */
  protected x = new Float64Array(64);
  /** Which fit slot each edge holds: the fits held are those of the edges active within forgetAfterSeconds. */
  private readonly slots: EdgeSlots;
  private t = 0;
  // Fit state per slot (see EdgeSlots).
  private weight = new Float64Array(64);
  private meanX = new Float64Array(64);
  private meanC = new Float64Array(64 * LOAD_COVARIATES);
  /** Upper triangle of the centred covariate cross-products: (0,0) (0,1) (0,2) (1,1) (1,2) (2,2). */
  private scc = new Float64Array(64 * 6);
  private scx = new Float64Array(64 * LOAD_COVARIATES);
  private variance = new Float64Array(64);
  private count = new Float64Array(64);
  /** Per slot, demandUnitFloor × the largest |slope| at the last prediction (0: no floor). */
  private unitFloor = new Float64Array(64);
  /** Per slot, |residual| of its first RESIDUAL_WARMUP observations (slot i owns [5i, 5i + 5)). */
  private startup = new Float64Array(64 * RESIDUAL_WARMUP);
  private readonly beta = new Float64Array(LOAD_COVARIATES);
  /** predict()'s scratch: the covariates' departure from their means, and (self-starting) (S_cc + ridge)⁻¹ times it. */
  private readonly departure = new Float64Array(LOAD_COVARIATES);
  private readonly leverageSolve = new Float64Array(LOAD_COVARIATES);
  /** Per edge, √(1 + h) of the last read (h: its observation's leverage on the fit; 1 unless selfStarting). */
  private inflationOf = new Float64Array(64);

  constructor(p: LoadResidualParameters) {
    this.p = p;
    this.forget = Math.exp(-1 / p.memoryIntervals);
    this.floorPerUnit = p.demandUnitFloor ?? 0;
    this.slots = new EdgeSlots(p.forgetAfterSeconds ?? 86_400, (i) => this.newFit(i));
    this.outside = new OutsideNodes(p.outside, p.addressesAreOutside);
    this.covariates = new LoadCovariates(this.outside);
    this.volume = new VolumeSeries({ metrics: p.metrics, combine: 'sum' });
  }

  /** Whether the run carries any of the regressed metrics (a run may lack all of them). */
  get sawWatchedMetric(): boolean {
    return this.volume.sawWatchedMetric;
  }

  /** Residuals of a frame, predicted from the fit so far; returns the number of edges. */
  read(frame: Frame): number {
    this.frame = frame;
    this.t = frame.t;
    const n = Math.max(this.volume.read(frame), frameEdgeCount(frame));
    this.reserve(n);
    // Node ids no edge names any more go on the slots' sweep schedule: O(nodes) now and then.
    if (this.slots.sweep(frame.t)) this.covariates.releaseUnnamedNodes();
    this.recycled = frame.recycled !== undefined && frame.recycled.length > 0 ? frame.recycled : undefined;
    this.covariates.index(frame, n, this.recycled);
    if (this.recycled !== undefined) this.renew(this.recycled);
    const v = this.volume.values;
    const active = frame.active;
    // Dense when most edges are active (cheaper there, and the same numbers).
    if (active === undefined || active.length >= SPARSE_BELOW * n) {
      this.observeAll(frame, n, v);
      for (let e = 0; e < n; e++) this.predict(e);
      this.active = undefined;
      this.edgeCount = n;
      return n;
    }
    // O(edges active now): every other edge carried nothing and asked for nothing, so it is
    // idle (NaN), as predict() would make it. The edges that were not idle last time go back to
    // NaN, new edges start there.
    const { z, residual } = this;
    if (this.active === undefined) {
      z.fill(Number.NaN, 0, n);
      residual.fill(Number.NaN, 0, n);
    } else {
      for (const e of this.active) {
        z[e] = Number.NaN;
        residual[e] = Number.NaN;
      }
      z.fill(Number.NaN, this.edgeCount, n);
      residual.fill(Number.NaN, this.edgeCount, n);
    }
    this.observeActive(frame, active, v);
    for (const e of active) this.predict(e);
    this.active = active;
    this.edgeCount = n;
    return n;
  }

  /** Learn edge e's observation of the last read (call once per edge and interval, only for admitted edges). */
  learn(e: number): void {
    const raw = this.residual[e]!;
    if (Number.isNaN(raw)) return;
    // The scale is the noise's: a self-starting fit learns each residual divided by its inflation.
    const r = raw / this.inflationOf[e]!;
    const k = LOAD_COVARIATES;
    const { cov } = this.covariates;
    // Not idle, so predict() gave it a slot.
    const i = this.slots.of(e);
    const n = ++this.count[i]!;
    let w = 1;
    if (n > RESIDUAL_WARMUP) {
      const s = this.sigmaAt(i);
      const u = Math.abs(r) / s;
      if (u > CLIP) w = CLIP / u;
      const b = Math.max(this.p.scaleLambda, 1 / n);
      this.variance[i] = (1 - b) * this.variance[i]! + (b * s * s * Math.min(u * u, CLIP * CLIP)) / RHO_NORMALIZER;
    } else {
      // Start-up: the scale is 1.4826 × the median absolute one-step residual of the first
      // observations (the first, predicted from nothing, only starts the fit), so
      // a burst among them cannot inflate it.
      const slot = n - 1;
      this.startup[i * RESIDUAL_WARMUP + slot] = Math.abs(r);
      if (n === RESIDUAL_WARMUP) {
        const first = this.startup.subarray(i * RESIDUAL_WARMUP + 1, (i + 1) * RESIDUAL_WARMUP).slice().sort();
        const m = first.length;
        const median = m % 2 === 1 ? first[(m - 1) / 2]! : (first[m / 2 - 1]! + first[m / 2]!) / 2;
        this.variance[i] = (1.4826 * median) ** 2;
      }
    }
    const f = this.forget;
    const W = f * this.weight[i]! + w;
    const share = w / W;
    const keep = w * (1 - share);
    const dx = this.x[e]! - this.meanX[i]!;
    const d0 = cov[e * k]! - this.meanC[i * k]!;
    const d1 = cov[e * k + 1]! - this.meanC[i * k + 1]!;
    const d2 = cov[e * k + 2]! - this.meanC[i * k + 2]!;
    const s = this.scc;
    const o = i * 6;
    s[o] = f * s[o]! + keep * d0 * d0;
    s[o + 1] = f * s[o + 1]! + keep * d0 * d1;
    s[o + 2] = f * s[o + 2]! + keep * d0 * d2;
    s[o + 3] = f * s[o + 3]! + keep * d1 * d1;
    s[o + 4] = f * s[o + 4]! + keep * d1 * d2;
    s[o + 5] = f * s[o + 5]! + keep * d2 * d2;
    this.scx[i * k] = f * this.scx[i * k]! + keep * d0 * dx;
    this.scx[i * k + 1] = f * this.scx[i * k + 1]! + keep * d1 * dx;
    this.scx[i * k + 2] = f * this.scx[i * k + 2]! + keep * d2 * dx;
    this.meanX[i]! += share * dx;
    this.meanC[i * k]! += share * d0;
    this.meanC[i * k + 1]! += share * d1;
    this.meanC[i * k + 2]! += share * d2;
    this.weight[i] = W;
  }

  /** See ResidualSource.value. */
  value(e: number): number {
    return e < this.edgeCount && !Number.isNaN(this.residual[e]!) ? this.x[e]! : Number.NaN;
  }

  /** Whether edge e got a standardised residual in the last read. */
  isScored(e: number): boolean {
    return e < this.edgeCount && !Number.isNaN(this.z[e]!);
  }

  /** The fitted slope of edge e on covariate j (0: own demand, 1: front door, 2: callers' demand). */
  slope(e: number, j: number): number {
    const i = this.slots.of(e);
    if (i < 0) return 0;
    this.solve(i);
    return this.beta[j]!;
  }

  /**
   * Edge e's load-adjusted value in the last read: its value with the load's departure from its
   * usual level taken out, x − Σ β_j (c_j − c̄_j) = the fit's mean + the residual (the adjusted
   * quality of Zhang's cause-selecting chart); x itself before the edge's fit has an
   * observation; NaN when the edge was idle.
   */
  loadAdjusted(e: number): number {
    const r = this.residual[e]!;
    if (Number.isNaN(r)) return Number.NaN;
    const i = this.slots.of(e);
    return this.count[i] === 0 ? this.x[e]! : this.meanX[i]! + r;
  }

  /** √(1 + h) of edge e's last read: how much its fit's own uncertainty widens the prediction error (1 unless selfStarting). */
  inflation(e: number): number {
    return this.inflationOf[e] ?? 1;
  }

  /** The residual scale of edge e, in bytes. */
  sigma(e: number): number {
    const i = this.slots.of(e);
    return i < 0 ? this.p.minStd : this.sigmaAt(i);
  }

  /** The residual scale of the fit in slot i, never below its floors: minStd, relativeMinStd × its mean, demandUnitFloor × its largest slope. */
  private sigmaAt(i: number): number {
    let s = Math.sqrt(this.variance[i]!);
    const relative = this.p.relativeMinStd * Math.abs(this.meanX[i]!);
    if (s < relative) s = relative;
    if (s < this.p.minStd) s = this.p.minStd;
    if (s < this.unitFloor[i]!) s = this.unitFloor[i]!;
    return s;
  }

  /** Node ids held now (for tests: bounded by the nodes of the indexed edges). */
  get nodesHeld(): number {
    return this.covariates.nodesHeld;
  }

  /** Whether edge e holds a fit (it was not idle within forgetAfterSeconds); for tests. */
  holdsFit(e: number): boolean {
    return this.slots.of(e) >= 0;
  }

  /** Slot i, handed out anew by EdgeSlots: room for it, and a new fit (all 0). */
  private newFit(i: number): void {
    if (i >= this.weight.length) this.growSlots(i + 1);
    this.clearSlot(i);
  }

  private clearSlot(i: number): void {
    const k = LOAD_COVARIATES;
    this.weight[i] = 0;
    this.meanX[i] = 0;
    this.variance[i] = 0;
    this.count[i] = 0;
    this.unitFloor[i] = 0;
    this.meanC.fill(0, i * k, (i + 1) * k);
    this.scx.fill(0, i * k, (i + 1) * k);
    this.scc.fill(0, i * 6, (i + 1) * 6);
    this.startup.fill(0, i * RESIDUAL_WARMUP, (i + 1) * RESIDUAL_WARMUP);
  }

  private growSlots(n: number): void {
    const k = LOAD_COVARIATES;
    for (const key of ['weight', 'meanX', 'variance', 'count', 'unitFloor'] as const) this[key] = ensureLength(this[key], n);
    for (const key of ['meanC', 'scx'] as const) this[key] = ensureLength(this[key], this.weight.length * k);
    this.scc = ensureLength(this.scc, this.weight.length * 6);
    this.startup = ensureLength(this.startup, this.weight.length * RESIDUAL_WARMUP);
  }

  /** The edge at position e, for blame. */
  label(e: number): SeriesLabel {
    const edge = this.frame?.edges.list[e];
    return edge === undefined ? { src: '?', dst: '?' } : { src: edge.src, dst: edge.dst };
  }

  private predict(e: number): void {
    const k = LOAD_COVARIATES;
    const { cov } = this.covariates;
    const x = this.x[e]!;
    if (!(x > 0) && !(cov[e * k]! > 0)) {
      this.residual[e] = Number.NaN;
      this.z[e] = Number.NaN;
      return;
    }
    const i = this.slots.take(e, this.t);
    let prediction = this.meanX[i]!;
    let inflation = 1;
    if (this.count[i]! > 0) {
      // The covariates' departure from their weighted means: the prediction's, and the leverage's.
      const d = this.departure;
      for (let j = 0; j < k; j++) d[j] = cov[e * k + j]! - this.meanC[i * k + j]!;
      const selfStarting = this.p.selfStarting === true;
      this.solve(i, selfStarting);
      for (let j = 0; j < k; j++) prediction += this.beta[j]! * d[j]!;
      this.unitFloor[i] = this.covariates.demandIsCount ? this.floorPerUnit * largestMagnitude(this.beta) : 0;
      if (selfStarting) inflation = this.inflationAt(i);
    }
    this.inflationOf[e] = inflation;
    const r = this.count[i] === 0 ? 0 : x - prediction;
    this.residual[e] = r;
    if (this.count[i]! < RESIDUAL_WARMUP) {
      this.z[e] = Number.NaN;
      return;
    }
    const z = r / (this.sigmaAt(i) * inflation);
    // ν = n − 3: the first scored z's scale is the median of 4 start-up residuals, counted as 2
    // degrees of freedom (a median's efficiency at the normal is ~2/π); each later residual adds one.
    this.z[e] = this.p.selfStarting ? studentToNormal(z, this.count[i]! - (RESIDUAL_WARMUP - 2)) : z;
  }

  /**
   * √(1 + h) for the observation whose departure is in `departure` and (S_cc + ridge)⁻¹ times it
   * in `leverageSolve` (predict() solves both), against the fit in slot i:
   * h = 1/W + dᵀ (S_cc + ridge)⁻¹ d (d: the covariates' departure from their weighted means, W:
   * the fit's total weight): the
   * one-step prediction error's standard deviation in units of the noise's, the parameters'
   * uncertainty included (the recursive residuals of Brown, Durbin & Evans, "Techniques for
   * testing the constancy of regression relationships over time", JRSS B 37, 1975). Large while
   * a fit rests on a few observations or the load leaves what it has seen; → 1 as it learns.
   */
  private inflationAt(i: number): number {
    const k = LOAD_COVARIATES;
    const d = this.departure;
    let h = 1 / this.weight[i]!;
    for (let j = 0; j < k; j++) h += d[j]! * this.leverageSolve[j]!;
    return h > 0 && Number.isFinite(h) ? Math.sqrt(1 + h) : 1;
  }

  /** β of the fit in slot i into this.beta (see solveRidge3); with `leverage`, (S_cc + ridge)⁻¹ times this.departure into this.leverageSolve in the same elimination. */
  private solve(i: number, leverage = false): void {
    solveRidge3(this.scc, i * 6, this.scx, i * LOAD_COVARIATES, this.p.ridge, this.beta, leverage ? this.departure : undefined, leverage ? this.leverageSolve : undefined);
  }

  /**
   * This read's observation of every edge: x (the regressed value) and its covariates in
   * covariates.cov (edge-major), from the frame and `volume` (the watched metrics added up, per
   * edge). An edge whose x and own-demand covariate are both 0 is idle. A subclass may regress
   * something else.
   */
  protected observeAll(frame: Frame, n: number, volume: Float64Array): void {
    for (let e = 0; e < n; e++) this.x[e] = volume[e] ?? 0;
    this.covariates.read(frame, n);
  }

  /** observeAll() for the active edges only (every other edge is idle). */
  protected observeActive(frame: Frame, active: Int32Array, volume: Float64Array): void {
    for (const e of active) this.x[e] = volume[e] ?? 0;
    this.covariates.readActive(frame, active);
  }

  /** Positions that hold a new edge now (LoadCovariates.index gave them its ends): no fit, the old edge's is dropped. */
  private renew(recycled: Int32Array): void {
    for (const e of recycled) {
      if (e >= this.edgeCount) continue; // a position new to this read holds no fit yet
      this.slots.drop(e);
    }
  }

  private reserve(n: number): void {
    // Written out: a loop over the field names made each a keyed access by string, every read.
    this.z = ensureLength(this.z, n);
    this.inflationOf = ensureLength(this.inflationOf, n);
    this.residual = ensureLength(this.residual, n);
    this.x = ensureLength(this.x, n);
    this.slots.reserve(n);
    this.covariates.reserve(n);
  }
}

/** max_j |v_j|. */
function largestMagnitude(v: Float64Array): number {
  let m = 0;
  for (let j = 0; j < v.length; j++) {
    const a = Math.abs(v[j]!);
    if (a > m) m = a;
  }
  return m;
}
