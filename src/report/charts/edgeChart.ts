import type { ChartConfiguration } from 'chart.js';
import { intervalBandsPlugin, shadingBands, shadingLegend, type Shading } from './intervalBands.ts';
import { shortName } from './palette.ts';
import { CHART_FONT, linearAxis, STATIC_RENDERING, timeAxis } from './axes.ts';

export interface EdgeChartInput {
  readonly src: string;
  readonly dst: string;
  /** Interval ends, seconds since the run's start. */
  readonly x: readonly number[];
  /** Volume per interval; null in gaps. */
  readonly values: readonly (number | null)[];
  /** EWMA forecast mean and ±k·σ limits per interval (null where there is none). */
  readonly mean: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly lambda: number;
  readonly k: number;
  /** Unit of the volume for the axis, e.g. `bytes`. */
  readonly unit: string;
  /** Attack intervals and gaps (seconds since start). */
  readonly shading: Shading;
  readonly xMax: number;
}

const BAND_FILL = 'rgba(0, 114, 178, 0.15)';

/** One edge's volume per interval with its EWMA mean and ±k·σ band (Munnin's generate_graphs). */
export function edgeChart(input: EdgeChartInput): ChartConfiguration {
  const xy = (ys: readonly (number | null)[]) => input.x.map((x, i) => ({ x, y: ys[i] ?? null }));
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'volume', data: xy(input.values), borderColor: '#000000', backgroundColor: '#000000', borderWidth: 1.5, pointRadius: input.x.length > 150 ? 0 : 1.5, order: 1 },
        { label: `EWMA mean (λ = ${input.lambda})`, data: xy(input.mean), borderColor: '#0072B2', backgroundColor: '#0072B2', borderWidth: 1, borderDash: [5, 3], pointRadius: 0, order: 2 },
        // The band: the upper line filled down to the next dataset (the lower line).
        { label: `±${input.k}σ`, data: xy(input.upper), borderColor: 'rgba(0, 114, 178, 0.4)', backgroundColor: BAND_FILL, borderWidth: 0.5, pointRadius: 0, fill: '+1', order: 3 },
        { label: '', data: xy(input.lower), borderColor: 'rgba(0, 114, 178, 0.4)', backgroundColor: BAND_FILL, borderWidth: 0.5, pointRadius: 0, order: 4 },
        ...shadingLegend(input.shading),
      ],
    },
    options: {
      ...STATIC_RENDERING,
      scales: {
        x: timeAxis(input.xMax),
        // Volumes are never negative; the lower limit may be, and is cut at 0.
        y: linearAxis(`${input.unit} per interval`, { min: 0 }),
      },
      plugins: {
        title: { display: true, text: `${shortName(input.src)} → ${shortName(input.dst)}`, font: { ...CHART_FONT, size: 14 } },
        legend: { labels: { font: CHART_FONT, boxWidth: 14, filter: (item) => item.text !== '' } },
        munninIntervalBands: { bands: shadingBands(input.shading) },
      },
    },
    plugins: [intervalBandsPlugin],
  };
}
