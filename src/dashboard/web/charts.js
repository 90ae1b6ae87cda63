// chart.js in the page, with the chart definitions of the PNG report (src/report/charts,
// served as ES modules). Configurations that came as JSON lost their callbacks; they are
// put back here: plugins by id, the legend filter that hides unlabelled datasets.
import { formatRatioTick, heatColor, intervalBandsPlugin, scoreTooltipLabel, shortName } from '/src/report/charts/index.ts';
import { errorBarsPlugin, formatRateTick } from '/src/sweep/errorBars.ts';
import { visibleBidi } from '/src/visibleBidi.ts';
import { sizedContext } from './dom.js';

const PLUGINS = new Map([
  [intervalBandsPlugin.id, intervalBandsPlugin],
  [errorBarsPlugin.id, errorBarsPlugin],
]);
const Chart = globalThis.Chart;

/** A report chart configuration (drawn once on a fixed canvas in Node) made fit for a resizable page. */
export function forPage(config) {
  const options = config.options ?? {};
  const plugins = options.plugins ?? {};
  const legend = plugins.legend ?? {};
  // Score charts (score ÷ threshold, log axis) sent as JSON: their tick and tooltip text back.
  const isRatio = (config.data?.datasets ?? []).some((d) => (d.data ?? []).some((p) => p && typeof p === 'object' && 'score' in p));
  const scales = { ...(options.scales ?? {}) };
  if (isRatio && scales.y?.type === 'logarithmic' && typeof scales.y.ticks?.callback !== 'function') scales.y = { ...scales.y, ticks: { ...(scales.y.ticks ?? {}), callback: formatRatioTick } };
  // F1 charts: the log bytes axis of the rate.
  if (config.plugins?.some((p) => p?.id === errorBarsPlugin.id) && scales.x?.type === 'logarithmic' && typeof scales.x.ticks?.callback !== 'function') scales.x = { ...scales.x, ticks: { ...(scales.x.ticks ?? {}), callback: formatRateTick } };
  const tooltip = plugins.tooltip ?? {};
  const withTooltip = isRatio && typeof tooltip.callbacks?.label !== 'function' ? { tooltip: { ...tooltip, callbacks: { ...(tooltip.callbacks ?? {}), label: scoreTooltipLabel } } } : {};
  return {
    ...config,
    options: {
      ...options,
      scales,
      responsive: true,
      maintainAspectRatio: false,
      devicePixelRatio: undefined,
      animation: false,
      plugins: { ...plugins, ...withTooltip, legend: { ...legend, labels: { ...(legend.labels ?? {}), filter: (item) => item.text !== '' } } },
    },
    // Plugins known by id only (JSON kept nothing else) are the page's; unknown ones are dropped.
    plugins: (config.plugins ?? []).map((p) => PLUGINS.get(p?.id)).filter(Boolean),
  };
}

/** Draw a configuration on a canvas (inside a sized container). */
export function makeChart(canvas, config) {
  return new Chart(canvas, forPage(config));
}

/** Show a new configuration of the same kind of chart, without rebuilding it. */
export function updateChart(chart, config) {
  const next = forPage(config);
  chart.data = next.data;
  chart.options = next.options;
  chart.update('none');
}

/** A canvas in a box of the given height (chart.js sizes to the box). */
export function chartBox(height, extraClass) {
  const box = document.createElement('div');
  box.className = `chart-box${extraClass ? ` ${extraClass}` : ''}`;
  box.style.height = `${height}px`;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  return { box, canvas };
}

/**
 * The report's traffic-matrix heatmaps (trafficMatrixSpec data) on a canvas: one panel per
 * interval, same node order and colour scale, attack-path cells outlined. Names are drawn
 * as canvas text, never markup.
 */
export function drawTrafficMatrix(canvas, spec) {
  const n = spec.nodes.length;
  const cell = Math.max(8, Math.min(22, Math.floor(360 / Math.max(1, n))));
  const label = 130;
  const gap = 40;
  const panelWidth = n * cell;
  const width = label + spec.panels.length * (panelWidth + gap);
  const height = label + n * cell + 30;
  const ctx = sizedContext(canvas, width, height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.font = '11px sans-serif';
  const short = (s) => shortName(s, 18);
  spec.panels.forEach((panel, p) => {
    const left = label + p * (panelWidth + gap);
    ctx.fillStyle = '#222';
    ctx.textAlign = 'left';
    ctx.fillText(visibleBidi(panel.title).slice(0, 90), left, 14);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        ctx.fillStyle = heatColor(panel.values[r * n + c] ?? 0, spec.max);
        ctx.fillRect(left + c * cell, label + r * cell, cell - 1, cell - 1);
      }
    }
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    for (const h of spec.highlight) ctx.strokeRect(left + h.col * cell, label + h.row * cell, cell - 1, cell - 1);
    ctx.fillStyle = '#333';
    spec.nodes.forEach((name, i) => {
      ctx.save();
      ctx.translate(left + i * cell + cell / 2 + 4, label - 4);
      ctx.rotate(-Math.PI / 2.5);
      ctx.textAlign = 'left';
      ctx.fillText(short(name), 0, 0);
      ctx.restore();
      if (p === 0) {
        ctx.textAlign = 'right';
        ctx.fillText(short(name), label - 6, label + i * cell + cell / 2 + 4);
      }
    });
  });
  ctx.textAlign = 'left';
  ctx.fillStyle = '#555';
  ctx.fillText(`rows: source, columns: destination; colour: log ${spec.unit} per interval (max ${Math.round(spec.max)})`, label, height - 10);
}
