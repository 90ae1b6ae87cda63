import type { ChartConfiguration } from 'chart.js';
import { intervalBandsPlugin, shadingBands, shadingLegend, type Shading } from './intervalBands.ts';
import { ALARM_COLOR, shortName } from './palette.ts';
import { CHART_FONT, linearAxis, STATIC_RENDERING, timeAxis } from './axes.ts';

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

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Heavy-tailed scores (a few huge, the rest tiny) read better on a log axis; it is used
 * when every drawn value is positive and they span more than three decades.
 */
export function scoreAxisType(points: readonly ScorePoint[]): 'linear' | 'logarithmic' {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    for (const v of [p.score, p.threshold]) {
      if (!Number.isFinite(v)) continue;
      if (v <= 0) return 'linear';
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return max / min > 1e3 ? 'logarithmic' : 'linear';
}

/** A detector's score over time with its threshold, alarms marked and attack intervals shaded. */
export function scoreChart(input: ScoreChartInput): ChartConfiguration {
  const { points } = input;
  const finiteScores = points.map((p) => p.score).filter(Number.isFinite);
  const top = finiteScores.length > 0 ? Math.max(...finiteScores) : 1;
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'score', data: points.map((p) => ({ x: p.x, y: finite(p.score) })), spanGaps: input.intervalSeconds * 1.5, borderColor: input.color, backgroundColor: input.color, borderWidth: 1.5, pointRadius: points.length > 150 ? 0 : 1.5, order: 2 },
        {
          label: 'threshold',
          data: points.map((p) => ({ x: p.x, y: finite(p.threshold) })),
          spanGaps: input.intervalSeconds * 1.5,
          borderColor: '#444444',
          backgroundColor: '#444444',
          borderWidth: 1,
          borderDash: [6, 4],
          pointRadius: 0,
          stepped: 'before',
          order: 3,
        },
        {
          type: 'scatter',
          label: 'alarm',
          // An infinite score (e.g. a never-seen edge) is marked at the top of the chart.
          data: points.filter((p) => p.alarm).map((p) => ({ x: p.x, y: Number.isFinite(p.score) ? p.score : top })),
          borderColor: ALARM_COLOR,
          backgroundColor: ALARM_COLOR,
          pointStyle: 'triangle',
          pointRadius: 5,
          order: 1,
        },
        ...shadingLegend(input.shading),
      ],
    },
    options: {
      ...STATIC_RENDERING,
      scales: {
        x: timeAxis(input.xMax),
        y: { ...linearAxis('score'), type: scoreAxisType(points) },
      },
      plugins: {
        title: { display: true, text: `${shortName(input.detector, 60)}: score and threshold`, font: { ...CHART_FONT, size: 14 } },
        legend: { labels: { font: CHART_FONT, boxWidth: 14 } },
        munninIntervalBands: { bands: shadingBands(input.shading) },
      },
    },
    plugins: [intervalBandsPlugin],
  };
}
