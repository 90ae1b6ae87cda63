import type { Frame } from '../../types.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import { LearningGate, TopBlamed, type AlarmLimit } from '../stats/index.ts';
import type { SeriesSource } from './seriesSource.ts';

/**
 * What every per-series chart (ewma, control-chart, and those built on them) does around its own
 * statistic, written once: each interval, training included, every series is scored from the
 * past alone (`zOf`), the interval's score is the largest z, the threshold comes from the
 * AlarmLimit (which learns every interval's score), the series over it are blamed, highest
 * first, and only then does each series learn its value (`learnValue`), told whether it may:
 * not when its z crossed the threshold (LearningGate: a detector never learns from what it
 * alarmed on, unless the change lasts). An interval in which no series could be scored (all
 * warming up or silent) scores 0.
 */
export abstract class SeriesChart implements DetectorCore {
  /** Scratch: this interval's z per series (NaN = not scored). */
  private z = new Float64Array(64);
  /** Series in the last frame read. */
  private count = 0;
  private trained = false;
  private readonly top = new TopBlamed();
  private readonly gate = new LearningGate();

  constructor(
    protected readonly source: SeriesSource,
    private readonly limit: AlarmLimit,
    /** Called once when training ends (e.g. to warn that nothing was watched). */
    private readonly onTrained?: () => void,
  ) {}

  /** Make room for `n` series (the source's numbering only grows). */
  protected abstract reserve(n: number): void;
  /** Series i's statistic for value x (NaN: not scored this interval), from its past alone. */
  protected abstract zOf(i: number, x: number): number;
  /** Series i's value after judging; `admitted`: whether it may enter the baseline. */
  protected abstract learnValue(i: number, x: number, admitted: boolean): void;

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
    const alarm = score > threshold;
    const { top, z } = this;
    top.reset();
    if (alarm) for (let i = 0; i < this.count; i++) if (z[i]! > threshold) top.offer(i, z[i]!);
    const blamed = alarm ? top.toBlamed((s) => this.source.label(s)) : [];
    this.limit.learn(score);
    this.learnFrame(threshold);
    return { score: Number.isNaN(score) ? 0 : score, threshold, blamed };
  }

  private scoreFrame(frame: Frame): { score: number; judged: number } {
    const n = this.source.read(frame);
    this.count = n;
    this.reserve(n);
    if (this.z.length < n) this.z = new Float64Array(Math.max(n, 2 * this.z.length));
    const x = this.source.values;
    const z = this.z;
    let score = Number.NEGATIVE_INFINITY;
    let judged = 0;
    for (let i = 0; i < n; i++) {
      const zi = this.zOf(i, x[i]!);
      z[i] = zi;
      if (Number.isNaN(zi)) continue;
      judged++;
      if (zi > score) score = zi;
    }
    return { score: judged === 0 ? Number.NaN : score, judged };
  }

  /** NaN threshold (training): every value may be learnt. A series not scored leaves its alarm streak as it was. */
  private learnFrame(threshold: number): void {
    const x = this.source.values;
    const z = this.z;
    for (let i = 0; i < this.count; i++) {
      const zi = z[i]!;
      this.learnValue(i, x[i]!, Number.isNaN(zi) || this.gate.admit(i, zi > threshold));
    }
  }
}
