import { log } from '../logger.ts';
import type { EdgeIndex, Frame, MetricKey } from '../types.ts';
import type { SeriesLabel } from './blame.ts';
import { ensureLength } from './growable.ts';
import type { SeriesSource } from './seriesSource.ts';

export interface VolumeSeriesOptions {
  /** Watched metric keys; those absent from a frame count 0. */
  readonly metrics: readonly MetricKey[];
  /** `sum`: series e = edge e, metrics added; `separate`: series e·M + m = edge e, metric m. */
  readonly combine: 'sum' | 'separate';
}

/** Per-edge traffic volume: the series most detectors watch. */
export class VolumeSeries implements SeriesSource {
  values = new Float64Array(64);
  /** Series per edge: 1 when summed, the number of metrics when separate. */
  readonly perEdge: number;
  /** Edges covered by the last read. */
  edgeCount = 0;
  /** Whether any watched metric has appeared in the stream (a run may lack all of them). */
  sawWatchedMetric = false;
  private edges: EdgeIndex | undefined;

  constructor(private readonly options: VolumeSeriesOptions) {
    this.perEdge = options.combine === 'sum' ? 1 : options.metrics.length;
  }

  read(frame: Frame): number {
    this.edges = frame.edges;
    let edges = this.edgeCount;
    for (const array of frame.values.values()) if (array.length > edges) edges = array.length;
    this.edgeCount = edges;
    const perEdge = this.perEdge;
    const count = edges * perEdge;
    const values = (this.values = ensureLength(this.values, count));
    values.fill(0, 0, count);
    const metrics = this.options.metrics;
    for (let m = 0; m < metrics.length; m++) {
      const array = frame.values.get(metrics[m]!);
      if (array === undefined) continue;
      this.sawWatchedMetric = true;
      const n = array.length;
      if (perEdge === 1) {
        for (let e = 0; e < n; e++) values[e]! += array[e]!;
      } else {
        for (let e = 0; e < n; e++) values[e * perEdge + m] = array[e]!;
      }
    }
    return count;
  }

  /** The edge a series belongs to. */
  edgeOf(series: number): { readonly src: string; readonly dst: string } {
    const edge = this.edges?.list[this.perEdge === 1 ? series : Math.floor(series / this.perEdge)];
    return edge ?? { src: '?', dst: '?' };
  }

  /** Metric of a series, when it stands for one metric. */
  metricOf(series: number): MetricKey | undefined {
    const metrics = this.options.metrics;
    if (this.perEdge === 1) return metrics.length === 1 ? metrics[0] : undefined;
    return metrics[series % this.perEdge];
  }

  label(series: number): SeriesLabel {
    const { src, dst } = this.edgeOf(series);
    const metric = this.metricOf(series);
    return metric === undefined ? { src, dst } : { src, dst, metric };
  }
}

/** Warn once when a run has none of the metrics a detector watches (it would see only zeros). */
export function warnIfBlind(detector: string, volume: VolumeSeries, metrics: readonly string[]): () => void {
  return () => {
    if (!volume.sawWatchedMetric) {
      log.warn(`${detector}: none of the watched metrics (${metrics.join(', ')}) appear in the run; set detectors.options.${detector}.metrics`);
    }
  };
}
