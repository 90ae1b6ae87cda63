import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { ensureLengthBytes } from '../growable.ts';
import type { LoadResiduals, ResidualSource, VolumeSeries } from '../series/index.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { VisitList } from '../series/visitList.ts';
import { fitGraphLasso, type FittedGraphLasso, type GraphLassoModel, type GraphLassoParameters } from './fitGraphLasso.ts';
import type { TrainingRow } from './trainingSet.ts';

export type { GraphLassoModel, GraphLassoParameters } from './fitGraphLasso.ts';

/**
 * graph-lasso: Mimir's learned detector. Graph features per interval (GraphFeatures), an
 * L1-regularised logistic regression trained once, when training ends, on the clean training
 * intervals and copies of them with synthetic exfiltrations injected along candidate routes
 * (buildTrainingSet), λ by cross-validation (crossValidatedLasso): see fitGraphLasso. The score is the model's log
 * odds η; the threshold is the shared calibrated limit, started from the held-out η of the clean
 * training intervals (never the injected ones), then learning every judged score as the other
 * detectors do (an alarmed score capped, see TailThreshold). Alarms blame the edges of the
 * features that rose (β_j > 0, x_j > 0, each crediting β_j·x_j; a path feature shares it among its
 * hops by their own rise); they do not teach the load fit (LearningGate).
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
  private fitted: FittedGraphLasso | undefined;
  private scratch = new Float64Array(0);
  private crossed = new Uint8Array(64);
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  private trained = false;
  /** The last frame's active edges (undefined: not listed). */
  private active: Int32Array | undefined = undefined;
  /** Edges an alarm blamed last interval (their alarm streaks must be seen next time) and the visit list of learn(). */
  private readonly crossedBefore: number[] = [];
  private readonly visit = new VisitList();
  /** This interval's new link on the best route out (see ExitRoutes) and the z it counted there: its rise, for blame (−1: none). */
  private exitEdge = -1;
  private exitZ = 0;

  /** What the features read: the load residuals, or a source over the same edges built on them (graph-lasso's requestMix). */
  private readonly residuals: ResidualSource;

  constructor(
    private readonly load: LoadResiduals,
    private readonly volume: VolumeSeries,
    private readonly p: GraphLassoParameters,
    private readonly limit: AlarmLimit,
    private readonly onTrained?: () => void,
    private readonly onModel?: (model: GraphLassoModel) => void,
    source?: ResidualSource,
  ) {
    this.residuals = source ?? load;
  }

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
    if (this.fitted === undefined && this.rows.length >= this.p.minTrainingIntervals) {
      const { fitted, heldOut } = fitGraphLasso(this.rows, frame.edges.list, this.load, this.p);
      // The threshold starts from honest scores of the clean intervals: each predicted by the model fitted without its fold.
      for (const score of heldOut) this.limit.learn(score);
      this.fitted = fitted;
      this.scratch = new Float64Array(fitted.features.count);
      this.rows.length = 0;
      this.onModel?.(fitted.summary);
    }
    const model = this.fitted;
    if (model === undefined) {
      this.keep(n);
      this.learn(n, undefined);
      return { score: 0, threshold: Number.NaN, blamed: [] };
    }
    const { judgement, blamedEdges } = this.decide(model, frame, n);
    this.limit.learn(judgement.score);
    this.learn(n, blamedEdges);
    return judgement;
  }

  /**
   * Score a frame learning nothing from it (see DetectorCore.judgeOnly): no fit, limit or
   * training row learns it, and an edge first seen in it is still new when next seen.
   */
  judgeOnly(frame: Frame): Judgement {
    const n = this.read(frame, false);
    const model = this.fitted;
    if (model === undefined) return { score: 0, threshold: Number.NaN, blamed: [] };
    return this.decide(model, frame, n).judgement;
  }

  /** The model's η on the frame read last, against the limit; over it, the edges blamed with their credit. */
  private decide(model: FittedGraphLasso, frame: Frame, n: number): { judgement: Judgement; blamedEdges: Map<number, number> | undefined } {
    const { features, exits } = model;
    features.extend(frame.edges.list, n);
    exits.extend(frame.edges.list, n);
    if (frame.recycled !== undefined) {
      for (const e of frame.recycled) {
        features.retire(frame.edges.list, e);
        exits.retire(frame.edges.list, e);
      }
    }
    features.compute(this.residuals.z, this.volume.values, n, this.newEdges, this.scratch, 0, frame.active);
    // A route out through a link first seen after training competes for the pooled path features (see ExitRoutes).
    const route = exits.best(features.taken, this.residuals, n);
    this.exitEdge = route?.exit ?? -1;
    this.exitZ = route?.exitZ ?? 0;
    if (route !== undefined) features.offerPooled(this.scratch, 0, route.sum, route.min, route.edges);
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
    return { judgement: { score, threshold, blamed }, blamedEdges };
  }

  /** Edge → summed contribution of the features pushing this interval's η up (only rising ones when `rising`). */
  private blame(model: FittedGraphLasso, rising: boolean): Map<number, number> {
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

  /** Edge e's positive standardised residual of this interval (0 when it fell or was not scored; a new link on a route out, its z there). */
  private rise(e: number): number {
    const z = e === this.exitEdge ? this.exitZ : this.residuals.z[e]!;
    return z > 0 ? z : 0;
  }

  /** Residuals and volumes of a frame, and its edges carrying traffic for the first time (`remember`: seen from now on). */
  private read(frame: Frame, remember = true): number {
    const n = this.residuals.read(frame);
    this.volume.read(frame);
    const v = this.volume.values;
    this.seen = ensureLengthBytes(this.seen, n);
    // A position holding a new edge (the old one forgotten): the new edge has not carried traffic yet, and no alarm streak.
    if (frame.recycled !== undefined) {
      for (const e of frame.recycled) {
        this.seen[e] = 0;
        this.gate.reset(e);
      }
    }
    // Only the frame's active edges can carry traffic (the others' volume is 0).
    const active = frame.active;
    const count = active === undefined ? Math.min(n, v.length) : active.length;
    let fresh = 0;
    for (let j = 0; j < count; j++) {
      const e = active === undefined ? j : active[j]!;
      if (e >= n || e >= v.length) break;
      if (!(v[e]! > 0) || this.seen[e] === 1) continue;
      if (remember) this.seen[e] = 1;
      fresh++;
    }
    this.active = active;
    // The first interval's edges are all "new": that is the mesh, not a change.
    this.newEdges = this.started ? fresh : 0;
    if (remember) this.started = true;
    return n;
  }

  /** Keep the interval as a clean training row once the load fits score most of its active edges. */
  private keep(n: number): void {
    const z = this.residuals.z;
    const v = this.volume.values;
    const list = this.active;
    const count = list === undefined ? Math.min(n, v.length) : list.length;
    let active = 0;
    let scored = 0;
    for (let j = 0; j < count; j++) {
      const e = list === undefined ? j : list[j]!;
      if (e >= n || e >= v.length) break;
      if (!(v[e]! > 0)) continue;
      active++;
      if (!Number.isNaN(z[e]!)) scored++;
    }
    if (active === 0 || 2 * scored < active) return;
    if (list === undefined) {
      const volume = new Float64Array(n);
      volume.set(v.subarray(0, Math.min(n, v.length)));
      this.rows.push({ z: z.slice(0, n), volume, n, newEdges: this.newEdges });
    } else {
      // Only the active edges (each other one idle: z NaN, volume 0): see TrainingRow.
      let m = 0;
      while (m < list.length && list[m]! < n) m++;
      const edges = list.slice(0, m);
      const zs = new Float64Array(m);
      const volume = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        const e = edges[j]!;
        zs[j] = z[e]!;
        volume[j] = e < v.length ? v[e]! : 0;
      }
      this.rows.push({ edges, z: zs, volume, n, newEdges: this.newEdges });
    }
    if (this.rows.length > this.p.maxTrainingIntervals) this.rows.shift();
  }

  /** Teach the load fits, except the edges an alarm blamed (see LearningGate). */
  private learn(n: number, blamed: ReadonlyMap<number, number> | undefined): void {
    this.crossed = ensureLengthBytes(this.crossed, n);
    const active = this.residuals.active;
    if (active === undefined) {
      this.crossed.fill(0, 0, n);
      if (blamed !== undefined) for (const e of blamed.keys()) if (e < n) this.crossed[e] = 1;
      for (let e = 0; e < n; e++) if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
      this.crossed.fill(0, 0, n);
      this.crossedBefore.length = 0;
      if (blamed !== undefined) for (const e of blamed.keys()) if (e < n) this.crossedBefore.push(e);
      return;
    }
    // O(edges active now): every other edge is idle (nothing to learn) and, unless an alarm
    // blamed it last time (its streak must end), admitting it would leave it as it is.
    const visit = this.visit;
    visit.begin();
    visit.addAll(active);
    visit.addAll(this.crossedBefore);
    this.crossedBefore.length = 0;
    if (blamed !== undefined) {
      for (const e of blamed.keys()) {
        if (e >= n) continue;
        this.crossed[e] = 1;
        visit.add(e);
        this.crossedBefore.push(e);
      }
    }
    visit.sort();
    const items = visit.items;
    let last = -1;
    for (let j = 0; j < visit.length; j++) {
      const e = items[j]!;
      if (e === last || e >= n) continue;
      last = e;
      if (this.gate.admit(e, this.crossed[e] === 1)) this.residuals.learn(e);
      this.crossed[e] = 0;
    }
  }
}
