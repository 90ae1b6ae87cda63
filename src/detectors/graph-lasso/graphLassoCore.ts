import { log } from '../../logger.ts';
import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLengthBytes } from '../growable.ts';
import type { LoadResiduals, VolumeSeries } from '../series/index.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { crossValidatedLasso } from './crossValidatedLasso.ts';
import { GraphFeatures } from './graphFeatures.ts';
import { chooseRoutes, type RouteParameters } from './chooseRoutes.ts';
import type { RobustStandardizer } from './robustStandardizer.ts';
import { buildTrainingSet, type TrainingRow } from './trainingSet.ts';

export interface GraphLassoParameters extends RouteParameters {
  /** Injected sizes, in units of a route's median hop σ. */
  readonly injectSizes: readonly number[];
  /** Most injected training rows. */
  readonly maxInjectedRows: number;
  /** Cross-validation folds. */
  readonly folds: number;
  /** λ values on the regularisation path, and the smallest as a fraction of λ_max. */
  readonly lambdas: number;
  readonly lambdaMinRatio: number;
  /** Clean intervals needed before the model is fitted (collected on after training when short). */
  readonly minTrainingIntervals: number;
  /** Most clean intervals kept for the fit (the latest). */
  readonly maxTrainingIntervals: number;
  /** z is winsorised at ± this in the features. */
  readonly winsorizeAt: number;
}

/** The fitted model, for the report and tests. */
export interface GraphLassoModel {
  readonly lambda: number;
  readonly intercept: number;
  /** Every feature with a non-zero coefficient (on the standardised feature), largest |β| first. */
  readonly coefficients: readonly { readonly feature: string; readonly coefficient: number }[];
  readonly features: number;
  readonly trainingIntervals: number;
  readonly injectedRows: number;
  /** The routes exfiltrations were injected along (node names). */
  readonly routes: readonly (readonly string[])[];
}

interface Fitted {
  readonly features: GraphFeatures;
  readonly standardizer: RobustStandardizer;
  readonly intercept: number;
  /** Non-zero coefficients only: feature index and β. */
  readonly index: Int32Array;
  readonly beta: Float64Array;
  readonly summary: GraphLassoModel;
}

/**
 * graph-lasso: Mimir's learned detector. Graph features per interval (GraphFeatures), an
 * L1-regularised logistic regression trained once, when training ends, on the clean training
 * intervals and copies of them with synthetic exfiltrations injected along candidate routes
 * (buildTrainingSet), λ by cross-validation (crossValidatedLasso). The score is the model's log
 * odds η; the threshold is the shared calibrated limit, started from the held-out η of the clean
 * training intervals (never the injected ones), then learning every judged score as the other
 * detectors do (an alarmed score capped, see TailThreshold). Alarms blame the edges of the
 * features pushing η up most (β_j·x_j > 0: a path feature names its hops); they do not teach the
 * load fit (LearningGate).
 *
 * A run too short to fit at training end (fewer than minTrainingIntervals scored intervals, e.g.
 * a connection log at 60-s intervals) keeps collecting un-alarmed intervals after training and
 * fits when it has them; until then it scores 0 with no threshold (no alarm).
 */
export class GraphLassoCore implements DetectorCore {
  private readonly rows: TrainingRow[] = [];
  private seen = new Uint8Array(64);
  private started = false;
  private newEdges = 0;
  private fitted: Fitted | undefined;
  private scratch = new Float64Array(0);
  private crossed = new Uint8Array(64);
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  private trained = false;

  constructor(
    private readonly residuals: LoadResiduals,
    private readonly volume: VolumeSeries,
    private readonly p: GraphLassoParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
    private readonly onModel?: (model: GraphLassoModel) => void,
  ) {}

  /** The fitted model (undefined before it is fitted). */
  get model(): GraphLassoModel | undefined {
    return this.fitted?.summary;
  }

  train(frame: Frame): void {
    const n = this.read(frame);
    this.keep(n);
    this.learn(n, undefined);
  }

  judge(frame: Frame): Judgement {
    const n = this.read(frame);
    if (!this.trained) {
      this.trained = true;
      this.onTrained?.();
    }
    if (this.fitted === undefined && this.rows.length >= this.p.minTrainingIntervals) this.fit(frame);
    const model = this.fitted;
    if (model === undefined) {
      this.keep(n);
      this.learn(n, undefined);
      return { score: 0, threshold: Number.NaN, blamed: [] };
    }
    const features = model.features;
    features.extend(frame.edges.list, n);
    features.compute(this.residuals.z, this.volume.values, n, this.newEdges, this.scratch);
    model.standardizer.apply(this.scratch);
    let score = model.intercept;
    for (let k = 0; k < model.index.length; k++) score += model.beta[k]! * this.scratch[model.index[k]!]!;
    const threshold = this.limit.limit(1);
    const alarm = score > threshold;
    let blamedEdges: Map<number, number> | undefined;
    if (alarm) {
      // Blame what rose: the features above their training median whose coefficient is positive,
      // each crediting its edges with β_j·x_j. A feature pushing η up by falling (β < 0, x < 0)
      // names nothing that carried the data; it blames only when nothing rose.
      blamedEdges = this.blame(model, true);
      if (blamedEdges.size === 0) blamedEdges = this.blame(model, false);
    }
    const top = this.top;
    top.reset();
    if (blamedEdges !== undefined) for (const [e, c] of blamedEdges) top.offer(e, c);
    const blamed = alarm ? top.toBlamed((e) => this.residuals.label(e)) : [];
    this.limit.learn(score);
    this.learn(n, blamedEdges);
    return { score, threshold, blamed };
  }

  /** Edge → summed contribution of the features pushing this interval's η up (only rising ones when `rising`). */
  private blame(model: Fitted, rising: boolean): Map<number, number> {
    const out = new Map<number, number>();
    for (let k = 0; k < model.index.length; k++) {
      const j = model.index[k]!;
      const b = model.beta[k]!;
      const x = this.scratch[j]!;
      if (!(b * x > 0) || (rising && !(b > 0 && x > 0))) continue;
      // A feature of several edges (a path's) shares its credit by each edge's own rise (its
      // positive z), so the hops that carried the most stand first, as `path` ranks them.
      const edges = model.features.blameOf(j);
      let total = 0;
      for (const e of edges) total += this.rise(e);
      for (const e of edges) out.set(e, (out.get(e) ?? 0) + (total > 0 ? (b * x * this.rise(e)) / total : (b * x) / edges.length));
    }
    return out;
  }

  /** Edge e's positive standardised residual of this interval (0 when it fell or was not scored). */
  private rise(e: number): number {
    const z = this.residuals.z[e]!;
    return z > 0 ? z : 0;
  }

  /** Residuals and volumes of a frame, and its edges carrying traffic for the first time. */
  private read(frame: Frame): number {
    const n = this.residuals.read(frame);
    this.volume.read(frame);
    const v = this.volume.values;
    this.seen = ensureLengthBytes(this.seen, n);
    let fresh = 0;
    for (let e = 0; e < Math.min(n, v.length); e++) {
      if (!(v[e]! > 0) || this.seen[e] === 1) continue;
      this.seen[e] = 1;
      fresh++;
    }
    // The first interval's edges are all "new": that is the mesh, not a change.
    this.newEdges = this.started ? fresh : 0;
    this.started = true;
    return n;
  }

  /** Keep the interval as a clean training row once the load fits score most of its active edges. */
  private keep(n: number): void {
    const z = this.residuals.z;
    const v = this.volume.values;
    let active = 0;
    let scored = 0;
    for (let e = 0; e < Math.min(n, v.length); e++) {
      if (!(v[e]! > 0)) continue;
      active++;
      if (!Number.isNaN(z[e]!)) scored++;
    }
    if (active === 0 || 2 * scored < active) return;
    const volume = new Float64Array(n);
    volume.set(v.subarray(0, Math.min(n, v.length)));
    this.rows.push({ z: z.slice(0, n), volume, n, newEdges: this.newEdges });
    if (this.rows.length > this.p.maxTrainingIntervals) this.rows.shift();
  }

  /** Teach the load fits, except the edges an alarm blamed (see LearningGate). */
  private learn(n: number, blamed: ReadonlyMap<number, number> | undefined): void {
    this.crossed = ensureLengthBytes(this.crossed, n);
    this.crossed.fill(0, 0, n);
    if (blamed !== undefined) for (const e of blamed.keys()) if (e < n) this.crossed[e] = 1;
    for (let e = 0; e < n; e++) if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
  }

  private fit(frame: Frame): void {
    const rows = this.rows;
    const width = rows.reduce((w, r) => Math.max(w, r.n), 0);
    const totals = new Float64Array(width);
    const referenceLog = new Float64Array(width);
    for (const row of rows) {
      for (let e = 0; e < row.n; e++) {
        const v = row.volume[e]!;
        totals[e]! += v;
        referenceLog[e]! += Math.log1p(v) / rows.length;
      }
    }
    const list = frame.edges.list;
    const routes = chooseRoutes(list, totals, this.residuals.outside, this.p);
    const features = new GraphFeatures({
      edgeNames: (e) => `${list[e]!.src} → ${list[e]!.dst}`,
      edges: routes.edges,
      paths: routes.watched,
      allPaths: routes.all,
      nodeNames: routes.nodes,
      referenceLog,
      winsorizeAt: this.p.winsorizeAt,
    });
    features.extend(list, width);
    const set = buildTrainingSet(rows, features, routes.watched, (e) => this.residuals.sigma(e), {
      sizes: this.p.injectSizes,
      maxInjectedRows: this.p.maxInjectedRows,
      folds: this.p.folds,
    });
    const cv = crossValidatedLasso(set.problem, { lambdas: this.p.lambdas, minRatio: this.p.lambdaMinRatio, fold: set.fold, folds: set.folds });
    // The threshold starts from honest scores of the clean intervals: each predicted by the model fitted without its fold.
    for (let i = 0; i < set.clean; i++) this.limit.learn(cv.outOfFold[i]!);
    const index: number[] = [];
    for (let j = 0; j < features.count; j++) if (cv.model.beta[j] !== 0) index.push(j);
    const coefficients = index.map((j) => ({ feature: features.names[j]!, coefficient: cv.model.beta[j]! })).sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
    const summary: GraphLassoModel = {
      lambda: cv.lambda,
      intercept: cv.model.intercept,
      coefficients,
      features: features.count,
      trainingIntervals: set.clean,
      injectedRows: set.problem.rows - set.clean,
      routes: routes.watched.map((r) => r.nodes),
    };
    this.fitted = { features, standardizer: set.standardizer, intercept: cv.model.intercept, index: Int32Array.from(index), beta: Float64Array.from(index, (j) => cv.model.beta[j]!), summary };
    this.scratch = new Float64Array(features.count);
    this.rows.length = 0;
    this.onModel?.(summary);
    log.debug(`graph-lasso: fitted on ${set.clean} intervals and ${summary.injectedRows} injected copies, ${features.count} features, λ = ${cv.lambda.toPrecision(3)}, ${index.length} non-zero`);
  }
}
