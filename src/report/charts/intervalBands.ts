import type { Chart, ChartType, Plugin } from 'chart.js';
import { ATTACK_BAND, GAP_BAND, TRAINING_BAND } from './palette.ts';

/** A shaded stretch of the x axis, in x-scale units. */
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly color: string;
}

/** Options of the plugin, under `options.plugins.munninIntervalBands`. */
export interface IntervalBandsOptions {
  readonly bands: readonly Band[];
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    munninIntervalBands?: IntervalBandsOptions;
  }
}

/** Narrowest band drawn, in pixels. */
const MIN_BAND_PIXELS = 2;

/**
 * Shades x ranges (attack intervals, gaps, training) behind the datasets. Works wherever
 * chart.js does (Node canvas or a browser): it only uses the chart's own context and scales.
 */
export const intervalBandsPlugin: Plugin = {
  id: 'munninIntervalBands',
  beforeDatasetsDraw(chart: Chart, _args, options: unknown) {
    const bands = (options as Partial<IntervalBandsOptions> | undefined)?.bands ?? [];
    const x = chart.scales['x'];
    const area = chart.chartArea;
    if (!x || !area || bands.length === 0) return;
    const ctx = chart.ctx;
    ctx.save();
    for (const band of bands) {
      let left = Math.max(area.left, x.getPixelForValue(band.from));
      let right = Math.min(area.right, x.getPixelForValue(band.to));
      if (!(right >= left)) continue;
      // A short attack in a long run must stay visible.
      if (right - left < MIN_BAND_PIXELS) {
        const mid = (left + right) / 2;
        left = mid - MIN_BAND_PIXELS / 2;
        right = mid + MIN_BAND_PIXELS / 2;
      }
      ctx.fillStyle = band.color;
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
    }
    ctx.restore();
  },
};

/** A stretch of the x axis, in x-scale units. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** What the report shades behind time-series charts. */
export interface Shading {
  readonly attacks: readonly Span[];
  readonly gaps: readonly Span[];
  /** End of the training stretch (shaded from the axis start), if any. */
  readonly trainingUntil?: number;
}

/** Shading → coloured bands (training first, so attacks and gaps show over it). */
export function shadingBands(shading: Shading): Band[] {
  const bands: Band[] = [];
  if (shading.trainingUntil !== undefined && shading.trainingUntil > 0) bands.push({ from: 0, to: shading.trainingUntil, color: TRAINING_BAND });
  for (const s of shading.attacks) bands.push({ ...s, color: ATTACK_BAND });
  for (const s of shading.gaps) bands.push({ ...s, color: GAP_BAND });
  return bands;
}

/** Empty datasets whose only job is a legend entry for each kind of shading present. */
export function shadingLegend(shading: Shading): { label: string; data: never[]; backgroundColor: string; borderColor: string }[] {
  const entries: { label: string; data: never[]; backgroundColor: string; borderColor: string }[] = [];
  const entry = (label: string, color: string) => entries.push({ label, data: [], backgroundColor: color, borderColor: color });
  if (shading.attacks.length > 0) entry('attack interval', ATTACK_BAND);
  if (shading.gaps.length > 0) entry('gap (no telemetry)', GAP_BAND);
  if (shading.trainingUntil !== undefined && shading.trainingUntil > 0) entry('training', TRAINING_BAND);
  return entries;
}
