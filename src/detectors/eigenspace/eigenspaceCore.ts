import { log } from '../../logger.ts';
import type { BlamedEdge, Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { capDissimilarity, dissimilarity } from './eigenspaceDissimilarity.ts';
import { ActivityWindow } from './eigenspaceWindow.ts';
import { DissimilarityLaw } from './eigenspaceThreshold.ts';
import { NodeGraph } from './eigenspaceGraph.ts';
import { MAX_BLAMED } from '../stats/index.ts';
import { LanczosWorkspace, normalizeInPlace, principalEigenvector, topIndices } from '../linalg/index.ts';
import type { VolumeSeries } from '../series/index.ts';

export interface EigenspaceSettings {
  /** W: activity vectors summarised by the typical pattern. */
  readonly window: number;
  /** β of the discounted moments. */
  readonly discount: number;
  /** p_c: tail probability above the threshold. */
  readonly criticalProbability: number;
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
  readonly edgeCount: number;
  /** Lanczos products u took: where the next call, started from u, first checks convergence. */
  readonly products: number;
}

/**
 * Idé and Kashima (KDD 2004) on the service graph: u(t) = principal eigenvector of the
 * symmetrised dependency matrix, r(t−1) = principal left singular vector of the last W
 * activity vectors, z(t) = 1 − r(t−1)ᵀu(t), alarm when z exceeds the p_c point of the
 * online-fitted von Mises–Fisher-derived law of z (see DissimilarityLaw).
 */
export class Eigenspace implements DetectorCore {
  private readonly graph = new NodeGraph();
  private readonly window: ActivityWindow;
  private readonly law: DissimilarityLaw;
  private lastActivity: Float64Array | undefined;
  /** Products the learnt u took (the solver's default schedule until one is learnt). */
  private lastActivityProducts = 3;
  /** The vector that last left the window, nobody's any more: the next u is written into it. */
  private spare: Float64Array | undefined;
  private judged = false;
  private readonly lanczos = new LanczosWorkspace();

  constructor(
    private readonly volume: VolumeSeries,
    private readonly settings: EigenspaceSettings,
    private readonly onFirstJudge: () => void = () => {},
  ) {
    this.window = new ActivityWindow(settings.window);
    this.law = new DissimilarityLaw(settings.discount);
  }

  train(frame: Frame): void {
    const o = this.observe(frame);
    // z against a half-filled window is noisier than what will be judged: keep it out of the moments.
    this.learn(this.window.size === this.settings.window ? o : { ...o, z: Number.NaN });
  }

  judge(frame: Frame): Judgement {
    if (!this.judged) {
      this.judged = true;
      this.onFirstJudge();
      if (this.law.samples < MIN_TRAINING_Z) {
        log.warn(
          `${this.settings.name}: training gave ${this.law.samples} z value(s) (the window of ${this.settings.window} fills first); ` +
            `the threshold is unreliable (NaN below 2) until more intervals are seen — lengthen detectors.trainingSeconds or lower the window`,
        );
      }
    }
    const o = this.observe(frame);
    // The threshold comes from past z only; z(t) joins the moments after it was judged.
    const threshold = this.law.threshold(this.settings.criticalProbability);
    const alarm = o.z > threshold;
    const blamed = alarm ? this.blame(o) : [];
    if (alarm && this.settings.alarmHandling === 'robust') this.learnAlarmed(o, threshold);
    else this.learn(o);
    return { score: o.z, threshold, blamed };
  }

  /**
   * `robust` handling of an alarmed interval: z and u are learnt winsorised, as if the
   * interval had deviated exactly as far as the threshold. Taken as is, one exfiltration's
   * z would inflate the moments and mask the next for ~1/β intervals, and its u would bend
   * r(t) for W intervals so that normal ones look odd. Left out, they would cut the law's
   * upper tail (lower threshold, more alarms, more left out) and never let a lasting change
   * become the norm; capped, a lasting change still moves r and raises the threshold.
   */
  private learnAlarmed(o: Observation, threshold: number): void {
    if (o.u === undefined || o.r === undefined) return this.learn(o);
    this.law.update(threshold);
    this.spare = this.window.push(capDissimilarity(o.r, o.u, threshold));
    this.lastActivity = o.u;
    this.lastActivityProducts = o.products;
  }

  private observe(frame: Frame): Observation {
    // The volume series applies the transform (ln(1 + ·) by default), shared with other detectors.
    const edgeCount = this.volume.read(frame);
    this.graph.update(frame.edges, edgeCount);
    const n = this.graph.nodeCount;
    const r = this.window.size > 0 ? this.window.typical(n) : undefined;
    const matrix = this.graph.matrix(this.volume.values, edgeCount);
    const pair = principalEigenvector(matrix, {
      start: this.lastActivity,
      tolerance: ACTIVITY_TOLERANCE,
      workspace: this.lanczos,
      out: this.spare,
      firstCheck: this.lastActivityProducts,
    });
    this.spare = undefined;
    if (!(pair.value > 0)) {
      // No traffic at all: u is the zero vector, which shares nothing with the pattern.
      return { u: undefined, r, z: r === undefined ? Number.NaN : 1, edgeCount, products: pair.products };
    }
    const u = pair.vector;
    // Perron–Frobenius: the principal eigenvector of a non-negative matrix is non-negative;
    // what is below zero here is rounding.
    for (let i = 0; i < n; i++) if (u[i]! < 0) u[i] = 0;
    normalizeInPlace(u);
    return { u, r, z: r === undefined ? Number.NaN : dissimilarity(r, u), edgeCount, products: pair.products };
  }

  private learn(o: Observation): void {
    if (o.u === undefined) return; // a silent interval says nothing about the usual pattern
    if (!Number.isNaN(o.z)) this.law.update(o.z);
    this.spare = this.window.push(o.u);
    this.lastActivity = o.u;
    this.lastActivityProducts = o.products;
  }

  /** Nodes whose activity moved most, each through its heaviest edge of the interval. */
  private blame(o: Observation): BlamedEdge[] {
    if (o.u === undefined || o.r === undefined) return [];
    const n = this.graph.nodeCount;
    const change = new Float64Array(n);
    for (let i = 0; i < n; i++) change[i] = Math.abs(o.u[i]! - (o.r[i] ?? 0));
    const heaviest = this.graph.heaviestEdges(this.volume.values, o.edgeCount);
    const out: BlamedEdge[] = [];
    const named = new Set<number>();
    // A few spare candidates: two busy nodes may share their heaviest edge.
    for (const node of topIndices(change, 3 * MAX_BLAMED)) {
      if (out.length === MAX_BLAMED || !(change[node]! > 0)) break;
      const edge = heaviest[node]!;
      if (edge < 0 || named.has(edge)) continue;
      named.add(edge);
      const { src, dst, metric } = this.volume.label(edge);
      const score = change[node]!;
      out.push(metric === undefined ? { src, dst, score } : { src, dst, metric, score });
    }
    return out;
  }
}
