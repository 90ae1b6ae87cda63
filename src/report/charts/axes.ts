import { niceAxisMax } from './niceAxisMax.ts';
import { FONT_FAMILY } from './palette.ts';

/** The font every chart uses for titles, ticks and legends. */
export const CHART_FONT = { family: FONT_FAMILY } as const;

/**
 * Options for charts drawn once at a fixed size (PNG in Node, or a static panel): no resize
 * observer and no animation, which a canvas without a DOM cannot run; one device pixel per pixel.
 */
export const STATIC_RENDERING = { responsive: false, animation: false, devicePixelRatio: 1 } as const;

/** A linear axis with a title, in the charts' font. */
export function linearAxis(title: string, range: { readonly min?: number; readonly max?: number } = {}) {
  return { type: 'linear' as const, ...range, title: { display: true, text: title, font: CHART_FONT }, ticks: { font: CHART_FONT } };
}

/** The x axis of every time-series chart: seconds since the run started, 0 to a round number past the end. */
export function timeAxis(xMaxSeconds: number) {
  return linearAxis('seconds since start', { min: 0, max: niceAxisMax(xMaxSeconds) });
}
