import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { wilsonInterval, type RunsComparison } from '../evaluation/index.ts';
import { CHART_FONT, linearAxis, markerStyle, seriesColor, shortName, STATIC_RENDERING } from '../report/charts/index.ts';
import { errorBarsPlugin, formatRateTick } from '../sweep/errorBars.ts';

/**
 * Total width (natural log of the x factor) over which the detectors' points at one size are
 * spread side by side: equal TPRs (0 and 1 are common) would otherwise draw one marker over
 * another and hide a detector. ±6 % of the size, a small fraction of the gap between sizes.
 */
export const DODGE_LOG_WIDTH = 0.12;

/**
 * TPR (events caught / events) against the exfiltrated bytes on a log axis, a line per
 * detector, each with its own marker (MARKERS), the detectors side by side around each size (see
 * DODGE_LOG_WIDTH); each detector's pooled FPR over those runs in its
 * legend entry, since a TPR means nothing without it; each point with its Wilson 95 % interval
 * (caught of events) as an error bar, since five attacks caught of five (0.57-1) is not 100 of
 * 100 (0.96-1). Undefined when fewer than two sizes have events (nothing to draw a line through).
 */
export function tprByBytesChart(c: RunsComparison): ChartConfiguration | undefined {
  const sized = c.byBytes.filter((r) => r.bytes !== null && r.bytes > 0);
  if (sized.length < 2) return undefined;
  const n = c.detectors.length;
  const datasets = c.detectors.map((detector, i) => {
    const color = seriesColor(i);
    const fpr = c.pooled[detector]!.fpr;
    const dodge = Math.exp(n > 1 ? (i / (n - 1) - 0.5) * DODGE_LOG_WIDTH : 0);
    const measured = sized.flatMap((r) => {
      const f = r.detectors[detector];
      return f === undefined || f.tpr === null ? [] : [{ point: { x: r.bytes! * dodge, y: f.tpr }, interval: wilsonInterval(f.caught, f.events) }];
    });
    return {
      label: `${shortName(detector)} (FPR ${fpr === null ? '-' : fpr.toFixed(3)})`,
      data: measured.map((m) => m.point),
      // Drawn by errorBarsPlugin, point by point.
      interval: measured.map((m) => m.interval),
      borderColor: color,
      borderWidth: 2,
      ...markerStyle(i, color),
      pointRadius: 5,
      // Points at TPR 0 or 1 drawn whole, not cut at the frame.
      clip: false,
      showLine: true,
    } as ChartDataset;
  });
  const xs = sized.map((r) => r.bytes!);
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      ...STATIC_RENDERING,
      scales: {
        x: { type: 'logarithmic', min: Math.min(...xs) / 1.25, max: Math.max(...xs) * 1.25, title: { display: true, text: "exfiltrated bytes per attack (events' requestedBytes, else bytes; log)", font: CHART_FONT }, ticks: { font: CHART_FONT, callback: formatRateTick } },
        y: linearAxis('TPR (attacks caught / attacks)', { min: 0, max: 1 }),
      },
      plugins: {
        title: { display: true, text: `Attacks caught by size at the configured false-alarm rate (${c.falseAlarmRate}), with 95 % intervals; pooled FPR in the legend`, font: { ...CHART_FONT, size: 14 } },
        legend: { position: 'bottom', labels: { font: CHART_FONT, boxWidth: 14, usePointStyle: true } },
      },
    },
    plugins: [errorBarsPlugin],
  };
}
