import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import type { SeriesSource } from '../series/index.ts';
import { LearningGate, RobustEwma, TopBlamed, type AlarmLimit, type RobustEwmaParameters } from '../stats/index.ts';

export interface EwmaChartParameters extends RobustEwmaParameters {
  /** `upper`: only x above the level counts; `both`: either direction. */
  readonly sides: 'upper' | 'both';
}

/**
 * An EWMA forecast chart, one per series, on the robust level and scale of RobustEwma.
 *
 * Every interval, training included, is scored from the past alone: z = (x − L)/σ per series
 * (|·| two-sided), the interval's score is the largest z, and only then does each series learn
 * x: robustly (an error beyond 2σ counts as 2σ), and not at all when its z crossed the
 * threshold (see LearningGate: the detector never learns from what it alarmed on, unless the
 * change lasts). Training intervals' scores teach the limit
 * (calibrated to the false-alarm rate, see AlarmLimit) what benign scores look like; after
 * training the threshold comes from the scores before the interval's.
 * Blamed: the series whose z crossed the threshold, highest first.
 */
export class EwmaChart implements DetectorCore {
  private readonly state: RobustEwma;
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();
  private trained = false;
  /** Series in the last frame read. */
  private lastCount = 0;
  /** Scratch: this interval's z per series (NaN = not scored). */
  private z = new Float64Array(64);

  constructor(
    private readonly source: SeriesSource,
    private readonly p: EwmaChartParameters,
    private readonly limit: AlarmLimit,
    /** Called once when training ends (e.g. to warn that nothing was watched). */
    private readonly onTrained?: () => void,
  ) {
    this.state = new RobustEwma(p);
  }

  train(frame: Frame): void {
    const { score } = this.scoreFrame(frame);
    this.limit.learn(score);
    this.learnFrame(Number.NaN);
  }

  judge(frame: Frame): Judgement {
    if (!this.trained) {
      this.trained = true;
      this.onTrained?.();
    }
    const { score, judged } = this.scoreFrame(frame);
    const threshold = this.limit.limit(judged);
    const top = this.top;
    top.reset();
    const z = this.z;
    const n = this.lastCount;
    if (score > threshold) for (let i = 0; i < n; i++) if (z[i]! > threshold) top.offer(i, z[i]!);
    this.limit.learn(score);
    this.learnFrame(threshold);
    // An interval in which no series could be scored yet (all warming up) saw nothing unusual.
    return { score: Number.isNaN(score) ? 0 : score, threshold, blamed: score > threshold ? top.toBlamed((s) => this.source.label(s)) : [] };
  }

  /** z of every series of the frame, into this.z; the interval's score (0 when nothing was scored) and how many series were. */
  private scoreFrame(frame: Frame): { score: number; judged: number } {
    const n = this.source.read(frame);
    this.lastCount = n;
    this.state.reserve(n);
    if (this.z.length < n) this.z = new Float64Array(Math.max(n, 2 * this.z.length));
    const x = this.source.values;
    const z = this.z;
    const twoSided = this.p.sides === 'both';
    let score = Number.NEGATIVE_INFINITY;
    let judged = 0;
    for (let i = 0; i < n; i++) {
      const zi = this.state.score(i, x[i]!, twoSided);
      z[i] = zi;
      if (Number.isNaN(zi)) continue;
      judged++;
      if (zi > score) score = zi;
    }
    return { score: judged === 0 ? Number.NaN : score, judged };
  }

  /** Every series learns its value, except those over `threshold` (see LearningGate); NaN: all learn. */
  private learnFrame(threshold: number): void {
    const x = this.source.values;
    const z = this.z;
    const n = this.lastCount;
    // A series not scored this interval (silent, warming up) learns without touching the gate.
    for (let i = 0; i < n; i++) if (Number.isNaN(z[i]!) || this.gate.admit(i, z[i]! > threshold)) this.state.learn(i, x[i]!);
  }
}
