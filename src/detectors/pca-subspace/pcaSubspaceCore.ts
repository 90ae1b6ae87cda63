import { log } from '../../logger.ts';
import type { BlamedEdge, Frame } from '../../types.ts';
import { TopBlamed } from '../stats/index.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { fitPca, type PcaFitOptions, type PcaModel } from './pcaSubspaceModel.ts';
import type { VolumeSeries } from '../series/index.ts';

export interface PcaSubspaceSettings extends PcaFitOptions {
  /** Detector name, for the log. */
  readonly name: string;
}

/**
 * Lakhina, Crovella and Diot (SIGCOMM 2004): the training intervals' edge-volume vectors
 * define a normal subspace (top r principal components); an interval is scored by its
 * squared prediction error SPE = ‖(I − PPᵀ)(x − mean)‖² and alarms above the Q-statistic
 * limit δ²_α. The model is fitted once, at the first interval judged, and never updated.
 *
 * Edges that appear after training lie outside the model: their mean is 0 and no axis
 * covers them, so their whole (transformed) volume is residual. That is what an
 * exfiltration to a new destination looks like.
 */
export class PcaSubspace implements DetectorCore {
  private samples: Float64Array[] = [];
  private model: PcaModel | undefined;
  private fitted = false;
  private readonly top = new TopBlamed();
  private buffer = new Float64Array(0);

  constructor(
    private readonly volume: VolumeSeries,
    private readonly settings: PcaSubspaceSettings,
    private readonly onFirstJudge: () => void = () => {},
  ) {}

  train(frame: Frame): void {
    this.samples.push(Float64Array.from(this.read(frame)));
  }

  judge(frame: Frame): Judgement {
    const model = this.fit();
    const x = this.read(frame);
    if (model === undefined) return { score: Number.NaN, threshold: Number.NaN, blamed: [] };
    const residual = this.residual(model, x);
    let spe = 0;
    for (let j = 0; j < residual.length; j++) spe += residual[j]! * residual[j]!;
    const blamed = spe > model.threshold ? this.blame(residual, spe) : [];
    return { score: spe, threshold: model.threshold, blamed };
  }

  /** This frame's (transformed) edge volumes; read-only, valid until the next read. */
  private read(frame: Frame): Float64Array {
    const count = this.volume.read(frame);
    return this.volume.values.subarray(0, count);
  }

  private fit(): PcaModel | undefined {
    if (this.fitted) return this.model;
    this.fitted = true;
    this.onFirstJudge();
    if (this.samples.length < 2) {
      log.warn(`${this.settings.name}: ${this.samples.length} training interval(s), need at least 2 to fit a subspace; not scoring (lengthen detectors.trainingSeconds)`);
    } else {
      this.model = fitPca(this.samples, this.settings);
    }
    this.samples = []; // the model is all that is kept
    return this.model;
  }

  /**
   * (I − PPᵀ)(x − mean), over every edge of x (those past the model's dimension as they are).
   * In a buffer reused from frame to frame: the residual is only read within one judgement.
   */
  private residual(model: PcaModel, x: Float64Array): Float64Array {
    const m = model.dimension;
    const length = Math.max(m, x.length);
    if (this.buffer.length < length) this.buffer = new Float64Array(Math.max(length, 2 * this.buffer.length));
    const out = this.buffer.subarray(0, length);
    const mean = model.mean;
    const both = Math.min(m, x.length);
    for (let j = 0; j < both; j++) out[j] = x[j]! - mean[j]!;
    for (let j = both; j < m; j++) out[j] = 0 - mean[j]!;
    for (let j = both; j < x.length; j++) out[j] = x[j]! - 0;
    for (const p of model.axes) {
      let a = 0;
      for (let j = 0; j < m; j++) a += p[j]! * out[j]!;
      for (let j = 0; j < m; j++) out[j] = out[j]! - a * p[j]!;
    }
    return out;
  }

  /** Edges with the largest residual, scored by their share of the SPE. */
  private blame(residual: Float64Array, spe: number): BlamedEdge[] {
    this.top.reset();
    for (let j = 0; j < residual.length; j++) {
      const r2 = residual[j]! * residual[j]!;
      if (r2 > 0) this.top.offer(j, r2 / spe);
    }
    return this.top.toBlamed((j) => this.volume.label(j));
  }
}
