import type { SeriesSource } from '../series/index.ts';
import { SeriesChart } from '../series/index.ts';
import { RobustEwma, type AlarmLimit, type RobustEwmaParameters } from '../stats/index.ts';

export interface EwmaChartParameters extends RobustEwmaParameters {
  /** `upper`: only x above the level counts; `both`: either direction. */
  readonly sides: 'upper' | 'both';
}

/**
 * An EWMA forecast chart, one per series, on the robust level and scale of RobustEwma:
 * z = (x − L)/σ (|·| two-sided) from the past alone, then x is learnt, robustly (an error beyond
 * 2σ counts as 2σ) and not at all when z crossed the threshold (see SeriesChart for the rest:
 * score, threshold, blame, what is learnt when).
 */
export class EwmaChart extends SeriesChart {
  private readonly state: RobustEwma;
  private readonly twoSided: boolean;

  constructor(source: SeriesSource, p: EwmaChartParameters, limit: AlarmLimit, onTrained?: () => void) {
    super(source, limit, onTrained);
    this.state = new RobustEwma(p);
    this.twoSided = p.sides === 'both';
  }

  protected reserve(n: number): void {
    this.state.reserve(n);
  }

  protected resetSlot(s: number): void {
    this.state.reset(s);
  }

  protected zOf(i: number, x: number): number {
    return this.state.score(i, x, this.twoSided);
  }

  protected learnValue(i: number, x: number, admitted: boolean): void {
    if (admitted) this.state.learn(i, x);
  }

  /** Only a two-sided chart reads the activity (whether a silence is scored): a one-sided one need not catch it up. */
  protected override skipSilent(i: number, intervals: number): void {
    if (this.twoSided) this.state.decayActivity(i, intervals);
  }
}
