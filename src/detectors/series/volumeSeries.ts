import { log } from '../../logger.ts';
import { BYTE_METRICS, fallbackMetrics } from '../options.ts';
import type { EdgeIndex, Frame, MetricKey } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';
import { frameEdgeCount, frameVolumes, VolumeRecipe } from './frameVolumes.ts';
import type { SeriesSource } from './seriesSource.ts';

export interface VolumeSeriesOptions {
  /** Watched metric keys; those absent from a frame count 0. */
  readonly metrics: readonly MetricKey[];
  /** `sum`: series e = edge e, metrics added; `separate`: series e·M + m = edge e, metric m. */
  readonly combine: 'sum' | 'separate';
  /** `log1p`: each series is ln(1 + volume) (default `none`: the volume). */
  readonly transform?: 'none' | 'log1p';
}

/**
 * Per-edge traffic volume: the series most detectors watch.
 *
 * With the default metric lists (see fallbackMetrics), a stream none of whose frames so far
 * holds a watched metric but which holds a fallback metric switches to the fallback for good,
 * once, with one log line: a run with only `requests` is judged on requests. Streams with any
 * watched metric never switch. Replay declares the run's metrics from its first frame, so the
 * choice is made on the first interval.
 */
export class VolumeSeries implements SeriesSource {
  /** The last read's volumes, shared with other detectors reading the same frame: read-only. */
  values: Float64Array = new Float64Array(0);
  /** Series per edge: 1 when summed, the number of metrics when separate. */
  readonly perEdge: number;
  /** Edges covered by the last read. */
  edgeCount = 0;
  /** Whether any watched metric has appeared in the stream (a run may lack all of them). */
  sawWatchedMetric = false;
  /** The series of the last read's active edges (Frame.active), ascending; undefined when the frame does not list them. */
  touched: Int32Array | undefined = undefined;
  /** The series of the last read's recycled edge positions (Frame.recycled), ascending; undefined: none. */
  recycled: Int32Array | undefined = undefined;
  /** The metrics watched now: the options' metrics, or their fallback on a run without them. */
  metrics: readonly MetricKey[];
  private edges: EdgeIndex | undefined;
  private recipe: VolumeRecipe;
  private readonly fallback: readonly MetricKey[] | undefined;

  constructor(private readonly options: VolumeSeriesOptions) {
    this.metrics = options.metrics;
    this.recipe = new VolumeRecipe(options.metrics, options.combine, options.transform ?? 'none');
    this.perEdge = this.recipe.perEdge;
    const fallback = fallbackMetrics(options.metrics);
    // `separate` keeps one series per listed metric: a fallback of another length would renumber them.
    this.fallback = fallback !== undefined && (options.combine === 'sum' || fallback.length === options.metrics.length) ? fallback : undefined;
  }

  read(frame: Frame): number {
    this.edges = frame.edges;
    const edges = Math.max(this.edgeCount, frameEdgeCount(frame));
    this.edgeCount = edges;
    if (!this.sawWatchedMetric) {
      for (const m of this.metrics) if (frame.values.has(m)) this.sawWatchedMetric = true;
      if (!this.sawWatchedMetric && this.fallback !== undefined && this.fallback.some((m) => frame.values.has(m))) {
        // Counts → bytes is midas's documented default on a bytes-only run (all of Munnin's): said
        // only with MUNNIN_DEBUG; bytes → counts changes what every volume detector means: said.
        logOnce(
          `no ${this.metrics.join(', ')} among run.json's metrics: detectors watching them watch ${this.fallback.filter((m) => frame.values.has(m)).join(', ')} instead`,
          this.fallback === BYTE_METRICS ? 'debug' : 'info',
        );
        this.metrics = this.fallback;
        this.recipe = new VolumeRecipe(this.fallback, this.options.combine, this.options.transform ?? 'none');
        this.sawWatchedMetric = true;
      }
    }
    this.values = frameVolumes(frame, edges, this.recipe);
    this.touched = touchedSeries(frame, this.perEdge);
    this.recycled = recycledSeries(frame, this.perEdge);
    return edges * this.perEdge;
  }

  /** The edge a series belongs to. */
  edgeOf(series: number): { readonly src: string; readonly dst: string } {
    const edge = this.edges?.list[this.perEdge === 1 ? series : Math.floor(series / this.perEdge)];
    return edge ?? { src: '?', dst: '?' };
  }

  /** Metric of a series, when it stands for one metric. */
  metricOf(series: number): MetricKey | undefined {
    const metrics = this.metrics;
    if (this.perEdge === 1) return metrics.length === 1 ? metrics[0] : undefined;
    return metrics[series % this.perEdge];
  }

  label(series: number): SeriesLabel {
    const { src, dst } = this.edgeOf(series);
    const metric = this.metricOf(series);
    return metric === undefined ? { src, dst } : { src, dst, metric };
  }
}

/** Series e·perEdge + m of every active edge e, ascending (the frame's own list when perEdge is 1). */
function touchedSeries(frame: Frame, perEdge: number): Int32Array | undefined {
  const active = frame.active;
  if (active === undefined || frame.gap) return undefined;
  if (perEdge === 1) return active;
  const out = new Int32Array(active.length * perEdge);
  for (let j = 0; j < active.length; j++) for (let m = 0; m < perEdge; m++) out[j * perEdge + m] = active[j]! * perEdge + m;
  return out;
}

/** Series e·perEdge + m of every recycled edge e (Frame.recycled), ascending; undefined when none. */
function recycledSeries(frame: Frame, perEdge: number): Int32Array | undefined {
  const recycled = frame.recycled;
  if (recycled === undefined || recycled.length === 0) return undefined;
  if (perEdge === 1) return recycled;
  const out = new Int32Array(recycled.length * perEdge);
  for (let j = 0; j < recycled.length; j++) for (let m = 0; m < perEdge; m++) out[j * perEdge + m] = recycled[j]! * perEdge + m;
  return out;
}

/** Every detector's series switches alike: the line is said once per process. */
const said = new Set<string>();
function logOnce(message: string, level: 'debug' | 'info'): void {
  if (said.has(message)) return;
  said.add(message);
  log[level](message);
}

/**
 * Warn once when a run has none of the metrics a detector watches (it would see only zeros).
 * Call the result after the first judged frame was read: with no training that frame is the
 * first one seen, and before it `sawWatchedMetric` is still false.
 */
export function warnIfBlind(detector: string, volume: { readonly sawWatchedMetric: boolean }, metrics: readonly string[]): () => void {
  return () => {
    if (!volume.sawWatchedMetric) {
      log.warn(`${detector}: none of the watched metrics (${metrics.join(', ')}) appear in the run; set detectors.options.${detector}.metrics`);
    }
  };
}
