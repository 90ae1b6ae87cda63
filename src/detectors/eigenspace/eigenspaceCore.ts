import { log } from '../../logger.ts';
import type { BlamedEdge, Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { capDissimilarity, dissimilarity } from './eigenspaceDissimilarity.ts';
import { ActivityWindow } from './eigenspaceWindow.ts';
import { DissimilarityLaw } from './eigenspaceThreshold.ts';
import type { ActiveGraph } from './activeGraph.ts';
import { RELEARN_AFTER_INTERVALS, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import { ComponentScratch, LanczosWorkspace, principalEigenvectorByComponents } from '../linalg/index.ts';

export interface EigenspaceSettings {
  /** W: activity vectors summarised by the typical pattern. */
  readonly window: number;
  /** β of the discounted moments. */
  readonly discount: number;
  /** p_c: tail probability above the threshold of the paper's law; undefined: the threshold comes from `limit`. */
  readonly criticalProbability: number | undefined;
  /** The calibrated limit used when `criticalProbability` is not given. */
  readonly limit: AlarmLimit;
  /** `paper`: every interval's u and z are learnt as they are; `robust`: see Eigenspace.learnAlarmed. */
  readonly alarmHandling: 'robust' | 'paper';
  /** Detector name, for the log. */
  readonly name: string;
}

/**
 * Relative residual at which u(t) is accepted. The error it leaves in z is ~1e-5 of z on the
 * synthetic mesh (z itself ~1e-4); tighter costs Lanczos steps for digits nobody reads.
 */
const ACTIVITY_TOLERANCE = 1e-7;

/**
 * z below this is 0: the computation cannot tell it from no change of direction. u is accepted
 * at a relative residual of ACTIVITY_TOLERANCE, which leaves its direction uncertain by up to
 * ACTIVITY_TOLERANCE / g radians (g the relative gap below λ), and z = 1 − cos θ ≈ θ²/2, so two
 * activity vectors of one unchanged pattern can be ~(1e-7 / 0.1)²/2 = 5e-13 apart at a gap of a
 * tenth; rounding alone leaves ~ε² (two copies of the same two-node pattern: 4.9e-32). Taken as
 * scores, such z's made the limit a law of that noise (5e-32, a graph of unconnected call pairs,
 * whose eigenvector cannot move), and the first real z exceeded it by 27 orders of magnitude for
 * the rest of the run. Real changes sit far above: 1e-9 is the point mass's limit, 4.6e-5
 * Munnin's smallest z, an angle of 1.4e-6 rad at this cutoff.
 */
const Z_RESOLUTION = 1e-12;

/** Fewer z values than this from training make a poor first fit of the threshold law. */
const MIN_TRAINING_Z = 5;

/** What one interval looks like to the method. */
interface Observation {
  /** Activity vector u(t), or undefined when nothing moved at all. */
  readonly u: Float64Array | undefined;
  /** Typical pattern r(t−1), undefined before any activity vector was seen. */
  readonly r: Float64Array | undefined;
  /** z(t) = 1 − r(t−1)ᵀu(t); NaN without r. */
  readonly z: number;
  /** Lanczos products u took: where the next call, started from u, first checks convergence. */
  readonly products: number;
  /** The principal eigenvalue λ of u. */
  readonly value: number;
  /** When u mixes comparable components (see principalEigenvectorByComponents): per row, its component's λ. */
  readonly rowValues?: Float64Array | undefined;
}

/**
 * Idé and Kashima (KDD 2004) on the service graph: u(t) = principal eigenvector of the
 * symmetrised dependency matrix, r(t−1) = principal left singular vector of the last W
 * activity vectors, z(t) = 1 − r(t−1)ᵀu(t), alarm when z exceeds the p_c point of the
 * online-fitted von Mises–Fisher-derived law of z (see DissimilarityLaw).
 */
export class Eigenspace implements DetectorCore {
  private readonly window: ActivityWindow;
  private readonly law: DissimilarityLaw;
  private lastActivity: Float64Array | undefined;
  /** Products the learnt u took (the solver's default schedule until one is learnt). */
  private lastActivityProducts = 3;
  /** The vector that last left the window, nobody's any more: the next u is written into it. */
  private spare: Float64Array | undefined;
  private judged = false;
  private zLearnt = 0;
  private readonly lanczos = new LanczosWorkspace();
  private readonly components = new ComponentScratch();
  private readonly top = new TopBlamed();
  /** Robust mode: copies of the activity vectors of the alarms in a row so far (see acceptNewNormal). */
  private readonly alarmStreak: Float64Array[] = [];

  constructor(
    private readonly graph: ActiveGraph,
    private readonly settings: EigenspaceSettings,
    private readonly onFirstJudge: () => void = () => {},
  ) {
    this.window = new ActivityWindow(settings.window);
    this.law = new DissimilarityLaw(settings.discount);
  }

  train(frame: Frame): void {
    const o = this.observe(frame);
    this.graph.learn();
    // z against a half-filled window is noisier than what will be judged: keep it out of the moments.
    this.learn(this.window.size === this.settings.window ? o : { ...o, z: Number.NaN });
  }

  judge(frame: Frame): Judgement {
    const first = !this.judged;
    if (first) {
      this.judged = true;
      if (this.samples < MIN_TRAINING_Z) {
        log.warn(
          `${this.settings.name}: training gave ${this.samples} z value(s) (the window of ${this.settings.window} fills first); ` +
            `the threshold is unreliable (NaN below 2) until more intervals are seen — lengthen detectors.trainingSeconds or lower the window`,
        );
      }
    }
    const o = this.observe(frame);
    // After the frame was read: the blind-metrics check needs it (with no training, it is the first frame seen).
    if (first) this.onFirstJudge();
    // The threshold comes from past z only; z(t) joins the moments after it was judged.
    const p = this.settings.criticalProbability;
    const threshold = p === undefined ? this.settings.limit.limit(1) : this.law.threshold(p);
    const alarm = o.z > threshold;
    if (!alarm) this.graph.learn();
    // A new edge recurring in alarms is learnt (see ImputedEdges.learnRecurring): its silences then read at its level, and 5 alarms in a row make it the pattern.
    else this.graph.learnRecurring();
    const blamed = alarm ? this.blame(o) : [];
    if (alarm && this.settings.alarmHandling === 'robust') {
      if (o.u !== undefined && o.r !== undefined) this.alarmStreak.push(Float64Array.from(o.u));
      if (this.alarmStreak.length >= RELEARN_AFTER_INTERVALS) this.acceptNewNormal(o, threshold);
      else this.learnAlarmed(o, threshold);
    } else {
      this.alarmStreak.length = 0;
      this.learn(o);
    }
    return { score: o.z, threshold, blamed };
  }

  /**
   * `robust` handling of an alarmed interval: z and u are learnt winsorised, as if the
   * interval had deviated exactly as far as the threshold. Taken as is, one exfiltration's
   * z would inflate the moments and mask the next for ~1/β intervals, and its u would bend
   * r(t) for W intervals so that normal ones look odd. Left out, they would cut the law's
   * upper tail (lower threshold, more alarms, more left out) and never let a lasting change
   * become the norm; capped, a lasting change moves r only a threshold's worth an interval, so
   * RELEARN_AFTER_INTERVALS alarms in a row make it the pattern at once (acceptNewNormal).
   */
  private learnAlarmed(o: Observation, threshold: number): void {
    if (o.u === undefined || o.r === undefined) return this.learn(o);
    this.learnZ(o.z, threshold);
    this.spare = this.window.push(capDissimilarity(o.r, o.u, threshold));
    this.lastActivity = o.u;
    this.lastActivityProducts = o.products;
  }

  /**
   * `robust` handling's new normal: RELEARN_AFTER_INTERVALS alarms in a row (a silent interval
   * counts for nothing) are a lasting change, as LearningGate and TailThreshold have it, and
   * the window starts afresh from their activity vectors as they were, so r(t) is the new
   * pattern from the next interval on. Capped at the threshold instead, each u moved r by a
   * threshold's worth only: a new benign edge (carts → external, ~5 kB an interval) kept z over
   * 100 times the threshold for 13 intervals, until the limit, learning that level as its own
   * new normal, had risen 36-140 times for the rest of the run and hid a later 100 kB
   * exfiltration.
   */
  private acceptNewNormal(o: Observation, threshold: number): void {
    this.learnZ(o.z, threshold);
    this.window.clear();
    for (const u of this.alarmStreak) this.window.push(u);
    this.alarmStreak.length = 0;
    this.spare = undefined;
    if (o.u !== undefined) {
      this.lastActivity = o.u;
      this.lastActivityProducts = o.products;
    }
  }

  private observe(frame: Frame): Observation {
    // The interval's edges and the learnt silent ones, transformed (ln(1 + ·) by default).
    this.graph.read(frame);
    if (this.graph.freedRows.length > 0) this.clearRows(this.graph.freedRows);
    const n = this.graph.nodeCount;
    const r = this.window.size > 0 ? this.window.typical(n) : undefined;
    const matrix = this.graph.matrix;
    // By connected component: a connection log's graph is hundreds of pieces, and comparable
    // pieces share u rather than take turns holding it (see principalEigenvectorByComponents).
    // A service mesh is one piece: then this is principalEigenvector's answer, to the last bit.
    const pair = principalEigenvectorByComponents(matrix, {
      start: this.lastActivity,
      tolerance: ACTIVITY_TOLERANCE,
      workspace: this.lanczos,
      components: this.components,
      out: this.nextActivityBuffer(n),
      firstCheck: this.lastActivityProducts,
    });
    if (!(pair.value > 0)) {
      // No traffic at all: u is the zero vector, which shares nothing with the pattern.
      return { u: undefined, r, z: r === undefined ? Number.NaN : 1, products: pair.products, value: 0 };
    }
    const u = pair.vector;
    // Perron–Frobenius: the principal eigenvector of a non-negative matrix is non-negative;
    // what is below zero here is rounding.
    // Clamped and its squares summed in one pass (normalizeInPlace's sum, term for term).
    let squares = 0;
    for (let i = 0; i < n; i++) {
      let x = u[i]!;
      if (x < 0) u[i] = x = 0;
      squares += x * x;
    }
    const length = Math.sqrt(squares);
    if (length > 0) for (let i = 0; i < n; i++) u[i] = u[i]! / length;
    const z = r === undefined ? Number.NaN : dissimilarity(r, u);
    return { u, r, z: z < Z_RESOLUTION ? 0 : z, products: pair.products, value: pair.value, rowValues: pair.rowValues };
  }

  /**
   * n entries for the next u: on the buffer of the vector that left the window when it is long
   * enough, else on a new buffer with room for a quarter more rows. The node count creeps up on
   * a connection log (a row now and then), so a vector of exactly n would be a new allocation of
   * tens of kilobytes nearly every interval.
   */
  private nextActivityBuffer(n: number): Float64Array {
    const spare = this.spare;
    this.spare = undefined;
    if (spare !== undefined && spare.buffer !== this.lastActivity?.buffer && spare.buffer.byteLength >= 8 * n) {
      return spare.length === n ? spare : new Float64Array(spare.buffer, 0, n);
    }
    return new Float64Array(new ArrayBuffer(8 * (n + (n >> 2))), 0, n);
  }

  /** Rows given to new nodes: what the kept vectors hold there belonged to a node idle for the whole window. */
  private clearRows(rows: readonly number[]): void {
    this.window.zeroRows(rows);
    for (const u of this.alarmStreak) for (const row of rows) if (row < u.length) u[row] = 0;
    const last = this.lastActivity;
    if (last !== undefined) for (const row of rows) if (row < last.length) last[row] = 0;
  }

  /** z values the threshold has learnt. */
  private get samples(): number {
    return this.settings.criticalProbability === undefined ? this.zLearnt : this.law.samples;
  }

  /**
   * Teach the threshold a z: the paper's law an alarmed z capped at its threshold (robust mode);
   * the calibrated limit every z as it is (it caps far tails itself, see TailThreshold).
   */
  private learnZ(z: number, alarmedAt: number): void {
    if (this.settings.criticalProbability === undefined) {
      this.settings.limit.learn(z);
      this.zLearnt++;
    } else {
      this.law.update(Number.isNaN(alarmedAt) ? z : alarmedAt);
    }
  }

  private learn(o: Observation): void {
    if (o.u === undefined) return; // a silent interval says nothing about the usual pattern
    if (!Number.isNaN(o.z)) this.learnZ(o.z, Number.NaN);
    this.spare = this.window.push(o.u);
    this.lastActivity = o.u;
    this.lastActivityProducts = o.products;
  }

  /**
   * Edges by their share of z. With A = D + Dᵀ, Au = λu and ‖u‖ = 1,
   *   z = 1 − rᵀu = uᵀu − rᵀAu/λ = Σ_e w_e (u_a(u_b − r_b) + u_b(u_a − r_a)) / λ
   * over edges e = a → b of weight w_e, an exact sum of one term per edge: the edges whose
   * terms are largest are the ones that turned u away from the typical pattern, however light
   * they are next to the mesh's heaviest edges. When u mixes components, each one's part is an
   * eigenvector of its own block, so the same holds with each edge's own component's λ_c
   * (`rowValues`); edges outside the mixture have u = 0 at both ends and no term.
   */
  private blame(o: Observation): BlamedEdge[] {
    if (o.u === undefined || o.r === undefined || !(o.value > 0) || !(o.z > 0)) return [];
    const { u, r } = o;
    const { rows, cols, weights: w, count } = this.graph.matrix;
    const position = this.graph.entryPosition;
    const top = this.top;
    top.reset();
    for (let k = 0; k < count; k++) {
      const weight = w[k]!;
      if (!(weight > 0)) continue;
      const a = rows[k]!;
      const b = cols[k]!;
      const ua = u[a] ?? 0;
      const ub = u[b] ?? 0;
      const term = (weight * (ua * (ub - (r[b] ?? 0)) + ub * (ua - (r[a] ?? 0)))) / (o.rowValues?.[a] || o.value);
      if (term > 0) top.offer(position[k]!, term / o.z);
    }
    return top.toBlamed((e) => this.graph.label(e));
  }
}
