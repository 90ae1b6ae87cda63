import type { ChartConfiguration } from 'chart.js';
import { intervalBandsPlugin, shadingBands, shadingLegend, type Shading, type Span } from './intervalBands.ts';
import { ALARM_COLOR, NO_THRESHOLD_BAND, shortName } from './palette.ts';
import { CHART_FONT, STATIC_RENDERING, timeAxis } from './axes.ts';
import { formatRatioTick, scoreTooltipLabel } from './scoreFormat.ts';

/** One scored interval of one detector; x in seconds since the run's start. */
export interface ScorePoint {
  readonly x: number;
  /** NaN or ±Infinity are not drawn on the line. */
  readonly score: number;
  readonly threshold: number;
  readonly alarm: boolean;
}

export interface ScoreChartInput {
  readonly detector: string;
  readonly color: string;
  /** One per scored interval, in increasing x. */
  readonly points: readonly ScorePoint[];
  /** Attack intervals, gaps, training (seconds since start). */
  readonly shading: Shading;
  /** The run's interval: lines break where consecutive points are farther apart (gaps). */
  readonly intervalSeconds: number;
  /** Length of the run in seconds (x axis end). */
  readonly xMax: number;
}

/** A drawn point: y is score ÷ threshold; the raw values ride along for the tooltip. */
export interface RatioPoint {
  readonly x: number;
  readonly y: number | null;
  readonly score: number | string;
  readonly threshold: number | string;
  /** Where y is not the true ratio: `floor` (ratio ≤ the axis bottom or undefined low), `top` (infinite). */
  readonly clamped?: 'floor' | 'top';
}

/** The lowest decade drawn: three decades under the limit are enough to see how close scores come. */
export const RATIO_FLOOR = 1e-3;

/** NaN and infinities as text (JSON keeps no non-finite numbers). */
const raw = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

/**
 * Score ÷ threshold, the one scale every detector shares: 1 is the limit. A threshold ≤ 0
 * (e.g. new-edge: alarm when score > 0) has no ratio; its points are drawn at the top when
 * they alarm and at the floor when not. An infinite score is drawn at the top; NaN not at all.
 */
export function scoreRatio(p: ScorePoint): { y: number | null; clamped?: 'floor' | 'top' } {
  if (Number.isNaN(p.score) || Number.isNaN(p.threshold)) return { y: null };
  if (p.score === Infinity) return { y: null, clamped: 'top' };
  if (p.score === -Infinity) return { y: null, clamped: 'floor' };
  if (!(p.threshold > 0) || !Number.isFinite(p.threshold)) return { y: null, clamped: p.alarm ? 'top' : 'floor' };
  const r = p.score / p.threshold;
  return r > RATIO_FLOOR ? { y: r } : { y: null, clamped: 'floor' };
}

/** Log axis bounds: a decade at or below the smallest ratio (not under RATIO_FLOOR), a decade at or above the largest (at least 10). */
export function ratioAxisRange(ratios: readonly number[]): { min: number; max: number } {
  const finite = ratios.filter((r) => Number.isFinite(r) && r > 0);
  const lo = finite.length > 0 ? Math.min(...finite) : 0.1;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const min = Math.max(RATIO_FLOOR, Math.min(0.1, 10 ** Math.floor(Math.log10(lo) + 1e-9)));
  const max = Math.max(10, 10 ** Math.ceil(Math.log10(hi) - 1e-9));
  return { min, max };
}

/** An interval the detector scored before it had a threshold (NaN: its limit still calibrating). */
export function scoredWithoutThreshold(p: ScorePoint): boolean {
  return Number.isNaN(p.threshold) && !Number.isNaN(p.score);
}

/**
 * The stretches where the detector scored but had no threshold yet (NaN: its limit is still
 * calibrating, README "One knob"), as intervals (t − dt, t] merged where they touch. No ratio
 * can be drawn there and no alarm was possible; shaded so the line's late start is explained,
 * not hidden.
 */
export function noThresholdSpans(points: readonly ScorePoint[], intervalSeconds: number): Span[] {
  const spans: Span[] = [];
  for (const p of points) {
    if (!scoredWithoutThreshold(p)) continue;
    const from = p.x - intervalSeconds;
    const last = spans[spans.length - 1];
    // Touching within a tenth of an interval: slice ends jitter by milliseconds on real runs.
    if (last !== undefined && from - last.to <= intervalSeconds / 10) spans[spans.length - 1] = { from: last.from, to: p.x };
    else spans.push({ from, to: p.x });
  }
  return spans;
}

/**
 * A detector's score ÷ threshold over time on a log axis, with the limit (1) dashed, alarms
 * marked and attack intervals shaded. Every detector reads the same way, whatever its own
 * scale (bytes, σ, probabilities); the raw score and threshold are in each point's tooltip.
 */
export function scoreChart(input: ScoreChartInput): ChartConfiguration {
  const { points } = input;
  const drawn = points.map((p) => ({ p, ...scoreRatio(p) }));
  const range = ratioAxisRange(drawn.flatMap((d) => (d.y === null ? [] : [d.y])));
  const place = (d: (typeof drawn)[number]): number | null => (d.clamped === 'top' ? range.max : d.clamped === 'floor' ? range.min : d.y);
  const toPoint = (d: (typeof drawn)[number]): RatioPoint => ({ x: d.p.x, y: place(d), score: raw(d.p.score), threshold: raw(d.p.threshold), ...(d.clamped ? { clamped: d.clamped } : {}) });
  // The limit is drawn where there was one (not over the intervals still calibrating).
  const withLimit = points.filter((p) => !Number.isNaN(p.threshold));
  const xs = (withLimit.length > 0 ? withLimit : points).map((p) => p.x);
  const xFrom = xs.length > 0 ? Math.min(...xs) : 0;
  const xTo = xs.length > 0 ? Math.max(...xs) : input.xMax;
  const uncalibrated = noThresholdSpans(points, input.intervalSeconds);
  const bands = [...shadingBands(input.shading), ...uncalibrated.map((s) => ({ ...s, color: NO_THRESHOLD_BAND }))];
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'score ÷ threshold', data: drawn.map(toPoint), spanGaps: input.intervalSeconds * 1.5, borderColor: input.color, backgroundColor: input.color, borderWidth: 1.5, pointRadius: points.length > 150 ? 0 : 1.5, order: 2 },
        {
          label: 'threshold (= 1)',
          data: [
            { x: xFrom, y: 1 },
            { x: xTo, y: 1 },
          ],
          borderColor: '#444444',
          backgroundColor: '#444444',
          borderWidth: 1,
          borderDash: [6, 4],
          pointRadius: 0,
          order: 3,
        },
        {
          type: 'scatter',
          label: 'alarm',
          data: drawn.filter((d) => d.p.alarm).map(toPoint),
          borderColor: ALARM_COLOR,
          backgroundColor: ALARM_COLOR,
          pointStyle: 'triangle',
          pointRadius: 5,
          order: 1,
        },
        ...shadingLegend(input.shading),
        ...(uncalibrated.length > 0 ? [{ label: 'scored, no threshold yet (no alarm possible)', data: [] as never[], backgroundColor: NO_THRESHOLD_BAND, borderColor: NO_THRESHOLD_BAND }] : []),
      ],
    },
    options: {
      ...STATIC_RENDERING,
      scales: {
        x: timeAxis(input.xMax),
        y: {
          type: 'logarithmic',
          min: range.min,
          max: range.max,
          title: { display: true, text: 'score ÷ threshold (log)', font: CHART_FONT },
          ticks: { font: CHART_FONT, callback: formatRatioTick },
        },
      },
      plugins: {
        title: { display: true, text: `${shortName(input.detector, 60)}: score ÷ threshold (above 1: alarm)`, font: { ...CHART_FONT, size: 14 } },
        legend: { labels: { font: CHART_FONT, boxWidth: 14 } },
        tooltip: { callbacks: { label: scoreTooltipLabel } },
        munninIntervalBands: { bands },
      },
    },
    plugins: [intervalBandsPlugin],
  };
}
