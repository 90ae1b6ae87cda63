import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesLabel } from '../stats/index.ts';
import type { LoadResiduals } from './loadResiduals.ts';
import type { SeriesSource } from './seriesSource.ts';

/**
 * The load-adjusted volume of every edge as a series source, for the univariate charts
 * (`control-chart` and `ewma` with `series: "load-adjusted"`): each edge's bytes with what the
 * load explains taken out (LoadResiduals.loadAdjusted), so a chart watches what the traffic's
 * demand does not account for rather than the demand itself. The cause-selecting chart of Zhang
 * (1985; Wade & Woodall, JQT 25, 1993): chart the output adjusted for its input's quality.
 *
 * An idle edge reads 0, a silence, as in VolumeSeries. An adjusted value at or below 0 (far less
 * than the load predicts) reads as the smallest positive value: still an observation, not a
 * silence, and the lowest a volume can be.
 *
 * The fit learns only what the chart admits (learnSeries, called after judging, per series): an
 * edge over the threshold does not teach it, as it does not teach the chart (LearningGate).
 */
export class LoadAdjustedSeries implements SeriesSource {
  values = new Float64Array(64);
  touched: Int32Array | undefined = undefined;
  recycled: Int32Array | undefined = undefined;

  constructor(readonly residuals: LoadResiduals) {}

  read(frame: Frame): number {
    const r = this.residuals;
    const n = r.read(frame);
    this.values = ensureLength(this.values, n);
    const values = this.values;
    const active = r.active;
    if (active === undefined) {
      for (let e = 0; e < n; e++) values[e] = this.adjusted(e);
    } else {
      // Every edge but the active ones is idle (0); those active last time are cleared first.
      if (this.touched !== undefined) for (const e of this.touched) values[e] = 0;
      else values.fill(0, 0, n);
      for (const e of active) values[e] = this.adjusted(e);
    }
    this.touched = active;
    this.recycled = r.recycled;
    return n;
  }

  /** After judging: series s (an edge) may teach the fit when `admitted`. */
  learnSeries(s: number, admitted: boolean): void {
    if (admitted) this.residuals.learn(s);
  }

  label(series: number): SeriesLabel {
    return this.residuals.label(series);
  }

  private adjusted(e: number): number {
    const v = this.residuals.loadAdjusted(e);
    if (Number.isNaN(v)) return 0;
    return v > 0 ? v : Number.MIN_VALUE;
  }
}
