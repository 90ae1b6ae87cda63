// A chart's legend as an HTML list under its canvas. chart.js draws its legend inside the
// canvas, at most half the chart high and one label wide: with many lines and long labels
// (a sweep's F1 charts: eleven detectors, "control-chart (= three-tier, new-edge, midas)")
// it cut labels at both ends and dropped the last entries. A list wraps its labels in the
// page instead, so every entry is shown whole at any width.
import { el, sizedContext } from './dom.js';

const Chart = globalThis.Chart;
const MARKER = 16;

/** The configuration with chart.js's own legend off (htmlLegend lists the lines instead). */
export function withoutCanvasLegend(config) {
  const options = config.options ?? {};
  const plugins = options.plugins ?? {};
  return { ...config, options: { ...options, plugins: { ...plugins, legend: { ...(plugins.legend ?? {}), display: false } } } };
}

/**
 * The legend of a drawn chart: each line's marker and whole label, in the order and with the
 * filter of chart.js's legend (which builds its items even when not displayed). Clicking an
 * entry hides or shows its line, as chart.js's legend does.
 */
export function htmlLegend(chart) {
  const items = chart.legend?.legendItems ?? [];
  return el(
    'ul',
    { class: 'chart-legend' },
    items.map((item) => {
      const li = el('li', { class: item.hidden ? 'hidden' : null, 'data-dataset': item.datasetIndex });
      const toggle = () => {
        const shown = !chart.isDatasetVisible(item.datasetIndex);
        chart.setDatasetVisibility(item.datasetIndex, shown);
        chart.update();
        li.classList.toggle('hidden', !shown);
      };
      li.append(el('button', { type: 'button', onclick: toggle }, marker(item), el('span', null, item.text)));
      return li;
    }),
  );
}

/** The line's point marker (shape, rotation, fill), drawn by chart.js's own point routine. */
function marker(item) {
  const canvas = el('canvas', { class: 'legend-marker', 'aria-hidden': 'true' });
  const ctx = sizedContext(canvas, MARKER, MARKER);
  ctx.fillStyle = item.fillStyle;
  ctx.strokeStyle = item.strokeStyle;
  ctx.lineWidth = item.lineWidth ?? 1;
  Chart.helpers.drawPoint(ctx, { pointStyle: item.pointStyle ?? 'circle', rotation: item.rotation ?? 0, radius: MARKER / 2 - 2, borderWidth: item.lineWidth ?? 1 }, MARKER / 2, MARKER / 2);
  return canvas;
}
