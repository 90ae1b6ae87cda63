import { log } from '../../logger.ts';
import type { BlamedEdge, Frame } from '../../types.ts';
import { TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { ensureLength, ensureLengthInt } from '../growable.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { fitPca, type PcaFitOptions, type PcaModel } from './pcaSubspaceModel.ts';
import type { ImputedEdges } from '../sparse/index.ts';
import { ModelEdges, OTHER } from './modelEdges.ts';
import { NewNormalEdges } from './newNormalEdges.ts';
import { LastingChange } from './lastingChange.ts';

export interface PcaSubspaceSettings extends Omit<PcaFitOptions, 'alpha'> {
  /** α of the Q-statistic limit; undefined: the threshold comes from `limit`. */
  readonly alpha: number | undefined;
  /** The calibrated limit used when `alpha` is not given. */
  readonly limit: AlarmLimit;
  /** Whether silent edges read as their typical level (see SilenceImputed): then so do training's start-up zeros. */
  readonly imputeSilence: boolean;
  /** Most edges the model gives a coordinate of their own (see ModelEdges). */
  readonly maxEdges: number;
  /** How long the silence layer remembers an edge (s): under `imputeSilence`, the longest gap in a new edge's streak (see NewNormalEdges). */
  readonly forgetAfterSeconds: number;
  /** Detector name, for the log. */
  readonly name: string;
}

/** Folds of the training stretch whose held-out SPEs first calibrate the limit. */
const CALIBRATION_FOLDS = 10;

/**
 * Lakhina, Crovella and Diot (SIGCOMM 2004): the training intervals' edge-volume vectors
 * define a normal subspace (top r principal components); an interval is scored by its
 * squared prediction error SPE = ‖(I − PPᵀ)(x − mean)‖² and alarms above the Q-statistic
 * limit δ²_α. The model is fitted at the first interval judged and, under the calibrated
 * limit, again after a lasting change (see LastingChange; the paper fits once).
 *
 * Threshold: by default calibrated to the false-alarm rate from SPE's own distribution (see
 * TailThreshold), not from the Q-statistic, whose normal-theory limit assumes Gaussian
 * residuals and a covariance known exactly (on real traffic it alarmed on 9-13 % of benign
 * intervals at α = 0.001). The first SPEs it learns are held out: the training stretch is cut
 * into up to CALIBRATION_FOLDS folds and each fold is scored by a model fitted on the others
 * (an in-sample SPE would be too small, as the model has fitted it). Then every judged
 * interval's SPE is learnt (far tails capped). With `alpha` set, the paper's δ²_α.
 *
 * Edges that appear after training lie outside the model: their mean is 0 and no axis
 * covers them, so their whole (transformed) volume is residual. That is what an
 * exfiltration to a new destination looks like. One listed in 5 judged intervals in a row
 * (under silentEdges 'typical': each within forgetAfterSeconds of the one before) is a new normal
 * and joins the model as a coordinate of its own, outside the normal subspace (see
 * NewNormalEdges): otherwise a steady new edge stays residual for good and the limit learns its
 * level instead, blind to what is smaller than it.
 */
export class PcaSubspace implements DetectorCore {
  /** Training, kept sparse until the fit: the intervals' listed edges and values. */
  private training: ModelEdges | undefined = new ModelEdges();
  /** After the fit: the dense training vectors over the model's coordinates (only while calibrating), and the coordinates. */
  private samples: Float64Array[] = [];
  private coordinates: ModelEdges | undefined;
  private model: PcaModel | undefined;
  private fitted = false;
  private readonly top = new TopBlamed();
  private buffer = new Float64Array(0);
  private now = new Float64Array(0);
  /** A judged interval's edges outside the model: positions and values. */
  private outsidePositions = new Int32Array(64);
  private outsideValues = new Float64Array(64);
  private outsideCount = 0;
  /** Edges first seen after training, and those of them accepted as a new normal. */
  private readonly newNormal: NewNormalEdges;
  /** When the model is fitted again (calibrated limit only; with `alpha` the paper's model and δ²_α stand). */
  private lastingChange: LastingChange | undefined;
  private fitOptions: PcaFitOptions | undefined;

  constructor(
    private readonly edges: ImputedEdges,
    private readonly settings: PcaSubspaceSettings,
    private readonly onFirstJudge: () => void = () => {},
  ) {
    this.newNormal = new NewNormalEdges(settings.imputeSilence ? settings.forgetAfterSeconds : undefined);
  }

  train(frame: Frame): void {
    const n = this.edges.read(frame);
    this.training?.add(frame.edges.size, n, this.edges.positions, this.edges.values, this.edges.isActive);
    this.edges.learn();
  }

  judge(frame: Frame): Judgement {
    const first = !this.fitted;
    const model = this.fit();
    if (frame.recycled !== undefined) {
      for (const p of frame.recycled) {
        this.coordinates?.retire(p);
        this.newNormal.retire(p);
      }
    }
    this.edges.read(frame);
    // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
    if (first) this.onFirstJudge();
    if (model === undefined) return { score: 0, threshold: Number.NaN, blamed: [] };
    const residual = this.residualNow(model);
    const observed = this.now.subarray(0, model.dimension);
    const spe = this.outsideSquares(squaredNorm(residual));
    const threshold = this.settings.alpha === undefined ? this.settings.limit.limit(1) : model.threshold;
    const alarmed = spe > threshold;
    const blamed = alarmed ? this.blame(model, residual, spe) : [];
    this.settings.limit.learn(spe);
    const refit = this.lastingChange?.observe(observed, alarmed);
    if (refit !== undefined) this.model = fitPca(refit, this.fitOptions!);
    this.newNormal.end(alarmed, frame.t);
    // An alarmed interval's values are not learnt, but a new edge recurring in alarms is (see ImputedEdges.learnRecurring).
    if (!alarmed) this.edges.learn();
    else this.edges.learnRecurring();
    return { score: spe, threshold, blamed };
  }

  private fit(): PcaModel | undefined {
    if (this.fitted) return this.model;
    this.fitted = true;
    const training = this.training!;
    this.training = undefined;
    if (training.intervals < 2) {
      log.warn(`${this.settings.name}: ${training.intervals} training interval(s), need at least 2 to fit a subspace; not scoring (lengthen detectors.trainingSeconds)`);
    } else {
      training.choose(this.settings.maxEdges);
      this.coordinates = training;
      this.samples = training.denseSamples();
      if (this.settings.imputeSilence) imputeStartUp(this.samples);
      const options = { ...this.settings, alpha: this.settings.alpha ?? 0.001 };
      this.fitOptions = options;
      this.model = fitPca(this.samples, options);
      if (this.settings.alpha === undefined) this.calibrate(options);
      if (this.settings.alpha === undefined) this.lastingChange = new LastingChange(this.samples);
    }
    this.samples = []; // the model is all that is kept
    return this.model;
  }

  /** Teach the limit held-out SPEs of the training stretch (fold k = samples i ≡ k mod K). */
  private calibrate(options: PcaFitOptions): void {
    const n = this.samples.length;
    const folds = Math.min(CALIBRATION_FOLDS, n);
    for (let k = 0; k < folds; k++) {
      const rest = this.samples.filter((_, i) => i % folds !== k);
      if (rest.length < 2) continue;
      const model = fitPca(rest, options);
      for (let i = k; i < n; i += folds) this.settings.limit.learn(squaredNorm(this.project(model, this.samples[i]!)));
    }
  }

  /**
   * (I − PPᵀ)(x − mean) over the model's coordinates for the interval just read; the listed
   * edges outside the model are kept aside, whole (no mean, no axis: all residual) or, once a
   * new normal, less their mean (see NewNormalEdges). In a buffer reused from frame to frame.
   *
   * A model edge reading 0 is a silence: under silentEdges 'zero' (the paper) an observation of
   * 0, residual 0 − its mean. Under 'typical' a silence is no observation: ImputedEdges reads it at
   * its typical level, and once that is forgotten (silent past forgetAfterSeconds, or its position
   * recycled) it reads the edge's training mean, its own deviation 0, as training read its silences
   * (imputeStartUp). Read as 0 instead, an edge that stopped for good kept its whole mean residual
   * for the rest of the run: the limit learnt that SPE as its new normal (with forgetAfterSeconds
   * 60 on the synthetic mesh, a threshold up to 175 times higher, 18 false alarms and two
   * exfiltrations missed).
   */
  private residualNow(model: PcaModel): Float64Array {
    const m = model.dimension;
    const x = this.dense(m, this.settings.imputeSilence ? model.mean : undefined);
    const coordinates = this.coordinates!;
    const { count, positions, values } = this.edges;
    this.outsidePositions = ensureLengthInt(this.outsidePositions, count);
    this.outsideValues = ensureLength(this.outsideValues, count);
    let outside = 0;
    let other = 0;
    this.newNormal.begin();
    for (let u = 0; u < count; u++) {
      const p = positions[u]!;
      const v = values[u]!;
      const c = coordinates.coordinateOf(p);
      if (c >= 0) {
        if (v !== 0) x[c] = v;
      } else if (c === OTHER) other += v;
      else if (v !== 0) {
        this.outsidePositions[outside] = p;
        this.outsideValues[outside++] = this.newNormal.residual(p, v);
      }
    }
    if (!this.settings.imputeSilence) {
      // silentEdges 'zero': a silent new-normal edge reads 0, as a silent training edge does.
      this.newNormal.forEachSilent((p, mean) => {
        this.outsidePositions = ensureLengthInt(this.outsidePositions, outside + 1);
        this.outsideValues = ensureLength(this.outsideValues, outside + 1);
        this.outsidePositions[outside] = p;
        this.outsideValues[outside++] = -mean;
      });
    }
    if (coordinates.hasOther) x[coordinates.otherCoordinate] = other;
    this.outsideCount = outside;
    return this.project(model, x);
  }

  /** `s` + Σ r² of the interval's residuals outside the model, listed edges in position order (after the model's coordinates, as the dense sum added them). */
  private outsideSquares(s: number): number {
    for (let k = 0; k < this.outsideCount; k++) s += this.outsideValues[k]! * this.outsideValues[k]!;
    return s;
  }

  /** A buffer of length m for the interval's vector, reused: `fill`'s first m values, or zeros. */
  private dense(m: number, fill: Float64Array | undefined): Float64Array {
    if (this.now.length < m) this.now = new Float64Array(Math.max(m, 2 * this.now.length));
    const x = this.now.subarray(0, m);
    return fill === undefined ? x.fill(0) : (x.set(fill.subarray(0, m)), x);
  }

  /** (I − PPᵀ)(x − mean) over the model's coordinates (x as long as the model), in a buffer reused from call to call. */
  private project(model: PcaModel, x: Float64Array): Float64Array {
    const m = model.dimension;
    if (this.buffer.length < m) this.buffer = new Float64Array(Math.max(m, 2 * this.buffer.length));
    const out = this.buffer.subarray(0, m);
    const mean = model.mean;
    for (let j = 0; j < m; j++) out[j] = x[j]! - mean[j]!;
    for (const p of model.axes) {
      let a = 0;
      for (let j = 0; j < m; j++) a += p[j]! * out[j]!;
      for (let j = 0; j < m; j++) out[j] = out[j]! - a * p[j]!;
    }
    return out;
  }

  /**
   * Lakhina et al.'s identification: the edge j whose own direction best explains the residual,
   * i.e. removes most SPE when fitted, (θ̃ᵀỹ)²/θ̃ᵀθ̃ with θ̃ = C̃e_j, C̃ = I − PPᵀ, which is
   * ỹ_j²/C̃_jj: the residual share divided by how much of the edge's direction lies outside the
   * normal subspace (an edge the normal axes mostly explain needs a large residual to count).
   * Scored as that fraction of the SPE. Edges outside the trained model (new normals too) have C̃_jj = 1.
   */
  private blame(model: PcaModel, residual: Float64Array, spe: number): BlamedEdge[] {
    this.top.reset();
    const m = model.dimension;
    const coordinates = this.coordinates!;
    for (let j = 0; j < m; j++) {
      const r2 = residual[j]! * residual[j]!;
      if (!(r2 > 0) || (coordinates.hasOther && j === coordinates.otherCoordinate)) continue;
      let outside = 1;
      for (const p of model.axes) outside -= p[j]! * p[j]!;
      const position = coordinates.positionOf(j);
      if (outside > 1e-12 && position >= 0) this.top.offer(position, Math.min(1, r2 / outside / spe));
    }
    for (let k = 0; k < this.outsideCount; k++) {
      const r2 = this.outsideValues[k]! * this.outsideValues[k]!;
      if (r2 > 0) this.top.offer(this.outsidePositions[k]!, Math.min(1, r2 / spe));
    }
    return this.top.toBlamed((position) => this.edges.label(position));
  }
}

/**
 * An edge reads 0 when silent until it has first been active (see SilenceImputed): in the
 * first training intervals many edges do, and those vectors would teach the model a start-up
 * that never comes again. At the end of training each such 0 is read as the edge's mean over
 * its active training intervals, as a silence later in the run will be.
 */
function imputeStartUp(samples: Float64Array[]): void {
  let m = 0;
  for (const x of samples) m = Math.max(m, x.length);
  const sum = new Float64Array(m);
  const active = new Float64Array(m);
  for (const x of samples) {
    for (let j = 0; j < x.length; j++) {
      if (x[j]! > 0) {
        sum[j]! += x[j]!;
        active[j]!++;
      }
    }
  }
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!.length === m ? samples[i]! : Float64Array.from({ length: m }, (_, j) => samples[i]![j] ?? 0);
    for (let j = 0; j < m; j++) if (x[j] === 0 && active[j]! > 0) x[j] = sum[j]! / active[j]!;
    samples[i] = x;
  }
}

function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  return s;
}
