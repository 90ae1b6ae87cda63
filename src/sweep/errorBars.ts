import type { Plugin } from 'chart.js';

// Parts of the F1 charts that are code, not data: the page gets them by id after the
// configuration came as JSON (this module imports nothing, so the browser can load it).

/**
 * Error bars drawn over each line's points, clipped to [0, 1]: from `dataset.interval[j]`
 * ([low, high], e.g. a binomial confidence interval, which need not be symmetric) when the
 * dataset has one, else mean ± `dataset.std[j]`. A null entry draws no bar.
 */
export const errorBarsPlugin: Plugin = {
  id: 'munninErrorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales['y'];
    if (y === undefined) return;
    chart.data.datasets.forEach((dataset, i) => {
      const { std, interval } = dataset as { std?: readonly (number | null)[]; interval?: readonly (readonly [number, number] | null)[] };
      if ((!std && !interval) || !chart.isDatasetVisible(i)) return;
      const points = chart.getDatasetMeta(i).data;
      const data = dataset.data as readonly ({ y: number | null } | null)[];
      ctx.save();
      ctx.strokeStyle = String(dataset.borderColor ?? '#000000');
      ctx.lineWidth = 1;
      points.forEach((point, j) => {
        const mean = data[j]?.y;
        if (mean === null || mean === undefined) return;
        let ends: readonly [number, number];
        if (interval) {
          const bar = interval[j];
          if (bar === null || bar === undefined) return;
          ends = bar;
        } else {
          const s = std![j];
          if (s === null || s === undefined) return;
          ends = [mean - s, mean + s];
        }
        const top = y.getPixelForValue(Math.min(1, ends[1]));
        const bottom = y.getPixelForValue(Math.max(0, ends[0]));
        ctx.beginPath();
        ctx.moveTo(point.x, top);
        ctx.lineTo(point.x, bottom);
        ctx.moveTo(point.x - 4, top);
        ctx.lineTo(point.x + 4, top);
        ctx.moveTo(point.x - 4, bottom);
        ctx.lineTo(point.x + 4, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

/** A tick of the log bytes axis: 1, 2 and 5 × a power of ten, in B / kB / MB; nothing between. */
export function formatRateTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const e = Math.floor(Math.log10(v) + 1e-9);
  const lead = Math.round(v / 10 ** e);
  if (![1, 2, 5].includes(lead) || Math.abs(v - lead * 10 ** e) > 1e-6 * v) return '';
  const units: [number, string][] = [
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) if (v >= size) return `${Number((v / size).toPrecision(3))} ${unit}`;
  return `${Number(v.toPrecision(3))} B`;
}
