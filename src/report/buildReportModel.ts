import type { ChartConfiguration } from 'chart.js';
import { UserError } from '../errors.ts';
import { describeInjection } from '../replay/replayInjection.ts';
import { intervalStart } from '../intervalBounds.ts';
import { edgeChart } from './charts/edgeChart.ts';
import type { Shading } from './charts/intervalBands.ts';
import { rocChart, type RocChartCurve } from './charts/rocChart.ts';
import { RATIO_FLOOR, scoreChart, scoreRatio, scoredWithoutThreshold, type ScorePoint } from './charts/scoreChart.ts';
import { formatScore } from './charts/scoreFormat.ts';
import { trafficMatrixSpec, type TrafficMatrixSpec } from './charts/trafficMatrix.ts';
import { edgeSeries, edgeTotals, edgeVolume, volumeMeasure, type EdgeRef, type VolumeMeasure } from './edgeVolumes.ts';
import { ewmaBand, ewmaBandSettings } from './ewmaBand.ts';
import type { ReportInputs } from './loadReportInputs.ts';
import { pickMatrixIntervals, type MatrixIntervals } from './matrixIntervals.ts';
import type { ScoreRow } from './readScoresCsv.ts';
import { buildTimeline, timelineSpans, type Timeline } from './timeline.ts';
import { configuredFalseAlarmRate } from './configuredFalseAlarmRate.ts';
import { detectorView, type DetectorView } from './detectorView.ts';
import { defaultWatchedEdges, type WatchedEdge } from './watchedEdges.ts';

export interface ReportOptions {
  /** Edges charted with their EWMA band. Default: the attacks' path edges plus the busiest others. */
  readonly watchedEdges?: readonly EdgeRef[];
  /** How many of the busiest edges (besides attack paths) are charted by default. Default 4. */
  readonly topEdgesByVolume?: number;
  /** One metric key as an edge's volume. Default: the sum of the run's byte metrics. */
  readonly edgeMetric?: string;
  /** EWMA weight λ of the edge bands. Default: parameters' detectors.options.ewma.lambda, else 0.2. */
  readonly ewmaLambda?: number;
  /** Half-width of the edge bands in σ. Default: parameters' detectors.options.ewma.k, else 3. */
  readonly ewmaK?: number;
  /** The replay's resolved parameters, shown in the report (run.json's are shown too). */
  readonly parameters?: unknown;
}

/** A chart of the report: what to draw, into which file. */
export interface ReportChart {
  /** File name (never derived from telemetry: names are attacker-controlled). */
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  readonly section: 'scores' | 'roc' | 'edges' | 'matrix';
  readonly draw:
    | { readonly kind: 'chart'; readonly config: ChartConfiguration; readonly width: number; readonly height: number }
    | { readonly kind: 'matrix'; readonly spec: TrafficMatrixSpec };
}

/** Everything the HTML shows, computed from the inputs; no drawing yet. */
export interface ReportModel {
  readonly inputs: ReportInputs;
  readonly timeline: Timeline;
  readonly detectors: readonly DetectorView[];
  readonly watched: readonly WatchedEdge[];
  readonly measure: VolumeMeasure;
  readonly matrix: MatrixIntervals;
  readonly ewma: { readonly lambda: number; readonly k: number };
  readonly parameters?: unknown;
  /** The parameters' detectors.falseAlarmRate: its operating point is in every detector's, marked as configured. */
  readonly falseAlarmRate?: number;
  readonly charts: readonly ReportChart[];
}

export const TIME_CHART_SIZE = { width: 960, height: 300 } as const;
export const ROC_CHART_SIZE = { width: 640, height: 640 } as const;

const formatOffset = (seconds: number): string => `+${Math.round(seconds * 10) / 10} s`;

/** Compute everything the report shows from what was read. */
export function buildReportModel(inputs: ReportInputs, options: ReportOptions = {}): ReportModel {
  const { run, snapshots, events } = inputs;
  const timeline = buildTimeline(snapshots, events);
  const parameters = options.parameters;
  const fromParameters = ewmaBandSettings(parameters);
  const lambda = options.ewmaLambda ?? fromParameters.lambda;
  const k = options.ewmaK ?? fromParameters.k;
  if (!(lambda > 0 && lambda <= 1)) throw new UserError(`report ewmaLambda: expected a number in (0, 1] (got ${lambda})`);
  if (!(k >= 0 && Number.isFinite(k))) throw new UserError(`report ewmaK: expected a non-negative number (got ${k})`);
  const topN = options.topEdgesByVolume ?? 4;
  if (!(Number.isInteger(topN) && topN >= 0)) throw new UserError(`report topEdgesByVolume: expected a whole number >= 0 (got ${topN})`);
  const measure = volumeMeasure(run.metrics, options.edgeMetric);
  const last = snapshots[snapshots.length - 1];
  const xMax = last ? last.t - timeline.t0 : run.intervalSeconds;
  // The charts of traffic show what the detectors saw: say so when that is not the recording alone.
  const injected = inputs.injection === undefined ? '' : ` Includes the bytes this replay injected (${describeInjection(inputs.injection)}), as the detectors saw them.`;
  const attackSpans = timelineSpans(timeline, (pos) => timeline.attack[pos] === true);
  const gapSpans = timelineSpans(timeline, (pos) => timeline.snapshots[pos]?.gap === true);

  // Detectors: summary.json's order, then any only scores.csv names.
  const byDetector = new Map<string, ScoreRow[]>();
  for (const name of Object.keys(inputs.summary.detectors)) byDetector.set(name, []);
  for (const row of inputs.scores) {
    const list = byDetector.get(row.detector) ?? [];
    list.push(row);
    byDetector.set(row.detector, list);
  }
  const falseAlarmRate = configuredFalseAlarmRate(parameters);
  const detectors = [...byDetector.entries()].map(([name, rows], i) => detectorView(name, i, rows.sort((a, b) => a.t - b.t), inputs, timeline, falseAlarmRate));

  const charts: ReportChart[] = [];
  detectors.forEach((d, i) => {
    const firstPos = d.rows[0] ? timeline.positionOf(d.rows[0].t) : undefined;
    const first = firstPos === undefined ? undefined : snapshots[firstPos];
    const trainingUntil = first ? intervalStart(first.t, first.dt, snapshots[firstPos! - 1]?.t) - timeline.t0 : undefined;
    const shading: Shading = { attacks: attackSpans, gaps: gapSpans, ...(trainingUntil !== undefined && trainingUntil > 0 ? { trainingUntil } : {}) };
    const points = d.rows.map((r) => ({ x: r.t - timeline.t0, score: r.score, threshold: r.threshold, alarm: r.alarm }));
    charts.push({
      file: `score-${i + 1}.png`,
      title: d.name,
      caption: scoreCaption(d.name, points),
      section: 'scores',
      draw: { kind: 'chart', config: scoreChart({ detector: d.name, color: d.color, points, shading, intervalSeconds: run.intervalSeconds, xMax }), ...TIME_CHART_SIZE },
    });
  });

  const curves: RocChartCurve[] = detectors.flatMap((d) =>
    d.roc ? [{ detector: d.name, color: d.color, points: d.roc.points, auc: typeof d.summary?.auc === 'number' ? d.summary.auc : d.roc.auc, ...(d.operating ? { operating: d.operating } : {}) }] : [],
  );
  if (curves.length > 0) {
    charts.push({
      file: 'roc.png',
      title: 'ROC curves',
      caption: 'Each detector’s true-positive rate against its false-positive rate as its threshold sweeps over its scores (one point per scored interval); the diamond is where its own threshold puts it.',
      section: 'roc',
      draw: { kind: 'chart', config: rocChart(curves), ...ROC_CHART_SIZE },
    });
  }

  const totals = edgeTotals(snapshots, measure.keys);
  const attackEvents = timeline.attacks.map((a) => a.event);
  const watched: WatchedEdge[] = options.watchedEdges
    ? options.watchedEdges.map((e) => ({ src: e.src, dst: e.dst, reason: 'requested' as const }))
    : defaultWatchedEdges(attackEvents, totals, topN);
  const x = snapshots.map((s) => s.t - timeline.t0);
  watched.forEach((edge, i) => {
    const values = edgeSeries(snapshots, edge, measure.keys);
    const band = ewmaBand(values, { alpha: lambda, k });
    const why = edge.reason === 'attack path' ? 'on an attack’s path' : edge.reason === 'top volume' ? 'one of the busiest edges' : 'requested';
    charts.push({
      file: `edge-${i + 1}.png`,
      title: `${edge.src} → ${edge.dst}`,
      caption: `${edge.src} → ${edge.dst} (${why}): ${measure.label} per interval, with the EWMA mean (λ = ${lambda}) and ±${k}σ band forecast from the intervals before each.${injected}`,
      section: 'edges',
      draw: { kind: 'chart', config: edgeChart({ src: edge.src, dst: edge.dst, x, values, ...band, lambda, k, unit: measure.unit, shading: { attacks: attackSpans, gaps: gapSpans }, xMax }), ...TIME_CHART_SIZE },
    });
  });

  const pathEdges = defaultWatchedEdges(attackEvents, totals, 0);
  const matrix = pickMatrixIntervals(timeline, measure.keys, pathEdges);
  const panels = (
    [
      [matrix.benign, 'typical benign interval'],
      [matrix.attack, 'worst attack interval'],
    ] as const
  ).flatMap(([pos, what]) => {
    const s = pos === undefined ? undefined : snapshots[pos];
    if (!s) return [];
    return [{ title: `${what} (${formatOffset(intervalStart(s.t, s.dt, snapshots[pos! - 1]?.t) - timeline.t0)} to ${formatOffset(s.t - timeline.t0)})`, edges: s.edges.map((e) => ({ src: e.src, dst: e.dst, value: edgeVolume(e, measure.keys) })) }];
  });
  if (panels.length > 0) {
    charts.push({
      file: 'traffic-matrix.png',
      title: 'Traffic matrix',
      caption: `${measure.label} from each source (row) to each destination (column), coloured by log volume on one scale for both panels. Typical benign interval: the median total volume among benign intervals; worst attack interval: the most volume on the attacks’ path edges (outlined).${injected}`,
      section: 'matrix',
      draw: { kind: 'matrix', spec: trafficMatrixSpec(run.services ?? [], panels, measure.unit, pathEdges) },
    });
  }

  return { inputs, timeline, detectors, watched, measure, matrix, ewma: { lambda, k }, ...(parameters !== undefined ? { parameters } : {}), ...(falseAlarmRate !== undefined ? { falseAlarmRate } : {}), charts };
}

/** The score chart's caption: how to read the ratio, and the raw scores and thresholds it came from. */
function scoreCaption(name: string, points: readonly ScorePoint[]): string {
  const span = (values: number[]): string => {
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return 'none finite';
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    return lo === hi ? formatScore(lo) : `${formatScore(lo)} to ${formatScore(hi)}`;
  };
  const noRatio = points.filter((p) => p.threshold <= 0).length;
  const uncalibrated = points.filter(scoredWithoutThreshold).length;
  const low = points.filter((p) => p.threshold > 0 && scoreRatio(p).clamped === 'floor').length;
  return (
    `Score ÷ threshold of ${name} in each of its ${points.length} scored intervals, on a log axis: 1 (dashed) is the threshold, alarms are triangles. ` +
    `Raw scores ${span(points.map((p) => p.score))}; threshold ${span(points.map((p) => p.threshold))}.` +
    (uncalibrated > 0 ? ` ${uncalibrated} intervals were scored before a threshold existed (its limit still calibrating: no alarm possible), shaded green and not drawn.` : '') +
    (noRatio > 0 ? ` ${noRatio} intervals had a threshold ≤ 0 (no ratio): drawn at the top when they alarmed, at the bottom otherwise.` : '') +
    (low > 0 ? ` ${low} intervals scored under ${RATIO_FLOOR} × the threshold (or ≤ 0): drawn at the bottom.` : '')
  );
}
