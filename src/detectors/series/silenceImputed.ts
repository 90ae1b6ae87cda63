import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';
import type { SeriesLabel } from '../stats/index.ts';
import type { SeriesSource } from './seriesSource.ts';

/** Weight of the newest active value in a series' typical level. */
const LEVEL_WEIGHT = 0.2;

/**
 * A series source whose silent intervals (value 0) are read as the series' typical active level
 * (an exponentially weighted mean of its past active values), once it has been active.
 *
 * Why: the subspace detectors model ln(1 + volume), where an edge that pauses for one interval
 * (no order paid in these 5 s; an Envoy that reports bytes only at its 5-s stats flush) jumps
 * from ~11 to 0, the largest move any edge can make, and alarms as the biggest anomaly of the
 * run. A pause is not what an exfiltration looks like (it adds bytes), and telemetry that
 * reports in lumps makes pauses routine; so, as the volume charts do, silence is treated as no
 * observation rather than a tiny one. An edge never active yet stays 0 (it is new when it
 * appears).
 *
 * The levels learn a frame only when the detector says so (`learn`, after judging it): never
 * from an alarmed interval, or an exfiltration to a new destination would become that edge's
 * typical level and be read again in every later interval.
 */
export class SilenceImputed implements SeriesSource {
  values = new Float64Array(64);
  private level = new Float64Array(64);
  private seen = new Uint8Array(64);
  private count = 0;

  constructor(private readonly source: SeriesSource) {}

  read(frame: Frame): number {
    const n = this.source.read(frame);
    this.count = n;
    const x = this.source.values;
    this.values = ensureLength(this.values, n);
    this.level = ensureLength(this.level, n);
    if (this.seen.length < n) {
      const seen = new Uint8Array(Math.max(n, 2 * this.seen.length));
      seen.set(this.seen);
      this.seen = seen;
    }
    const { values, level, seen } = this;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      values[i] = v === 0 && seen[i] === 1 ? level[i]! : v;
    }
    return n;
  }

  /** Learn the last frame read (its active values move their series' levels). */
  learn(): void {
    const x = this.source.values;
    const { level, seen } = this;
    for (let i = 0; i < this.count; i++) {
      const v = x[i]!;
      if (!(v > 0)) continue;
      if (seen[i] === 0) {
        seen[i] = 1;
        level[i] = v;
      } else level[i]! += LEVEL_WEIGHT * (v - level[i]!);
    }
  }

  label(series: number): SeriesLabel {
    return this.source.label(series);
  }
}
