import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { CHART_FONT, linearAxis, markerStyle, seriesColor, shortName, STATIC_RENDERING } from '../report/charts/index.ts';
import type { AxisValues } from './applyAxisValues.ts';
import type { ComparisonRow } from './compareSummaries.ts';
import type { ResolvedAxis } from './resolveSweep.ts';
import { errorBarsPlugin, formatRateTick } from './errorBars.ts';
import { cellValue } from './formatComparison.ts';
import { joinLabels, valueLabel } from './valueLabel.ts';

/** What a sweep's F1 charts are drawn against. */
export interface RateAxis {
  /** `inject` (the injected bytes per interval) or the name of an experiment-side bytes axis. */
  readonly key: string;
  readonly title: string;
}

/** One PNG to draw: F1 against the rate for one combination of the other axes, a line per detector. */
export interface F1Chart {
  /** File name, e.g. `f1-vs-rate.png` or `f1-vs-rate_shape=bursty.png`. */
  readonly file: string;
  readonly config: ChartConfiguration;
}

/** An exfiltration size axis: `exfiltration[*].bytes` or `exfiltration[<n>].bytes`. */
const BYTES_PATH = /^exfiltration\[(\*|\d+)\]\.bytes$/;

/**
 * The exfiltration rate of a sweep: injected bytes per interval when rates are injected, else
 * the first experiment-side axis sweeping an exfiltration's bytes; undefined when neither.
 */
export function rateAxis(axes: readonly { readonly name: string; readonly path: string; readonly side: string }[], withInject: boolean): RateAxis | undefined {
  if (withInject) return { key: 'inject', title: 'injected bytes per interval' };
  const bytes = axes.find((a) => a.side === 'experiment' && BYTES_PATH.test(a.path));
  return bytes ? { key: bytes.name, title: `exfiltrated bytes (${bytes.path})` } : undefined;
}

/**
 * F1 (mean ± std over repeats) against the exfiltration rate on a log axis, one chart per
 * combination of the other axes' values, one line per detector, each with its own marker.
 * A row without a value for an axis (the axis does not change its detector) belongs to every
 * chart of that axis. Lines with the same points say so in the legend ("= other").
 * Points where F1 is undefined are left out.
 */
export function f1Charts(rows: readonly ComparisonRow[], axes: readonly Pick<ResolvedAxis, 'name' | 'values' | 'labels'>[], rate: RateAxis): F1Chart[] {
  const rateOf = (r: ComparisonRow): number | null => {
    const v = rate.key === 'inject' ? r.injectBytesPerInterval : r.axisValues[rate.key];
    return typeof v === 'number' ? v : null;
  };
  const others = axes.filter((a) => a.name !== rate.key);
  const labelOf = (a: (typeof others)[number], value: unknown) => a.labels[a.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(value))] ?? valueLabel(value);
  const groups = new Map<string, { values: AxisValues; parts: [string, string][]; shown: string; rows: ComparisonRow[] }>();
  for (const r of rows) {
    if (!others.every((a) => a.name in r.axisValues)) continue;
    const key = JSON.stringify(others.map((a) => cellValue(r.axisValues[a.name])));
    if (groups.has(key)) continue;
    const parts = others.map((a): [string, string] => [a.name, labelOf(a, r.axisValues[a.name])]);
    const shown = others.map((a) => `${a.name} = ${shortName(cellValue(r.axisValues[a.name]), 40)}`).join(', ');
    groups.set(key, { values: Object.fromEntries(others.map((a) => [a.name, r.axisValues[a.name]])), parts, shown, rows: [] });
  }
  for (const group of groups.values()) {
    group.rows = rows.filter((r) => others.every((a) => !(a.name in r.axisValues) || JSON.stringify(r.axisValues[a.name]) === JSON.stringify(group.values[a.name])));
  }
  const base = `f1-vs-${valueLabel(rate.key === 'inject' ? 'rate' : rate.key)}`;
  const charts: F1Chart[] = [];
  const allDetectors = [...new Set(rows.map((r) => r.detector))];
  for (const group of groups.values()) {
    const detectors = [...new Set(group.rows.map((r) => r.detector))];
    const lines = detectors.map((detector) => {
      const points = group.rows
        .filter((r) => r.detector === detector && rateOf(r) !== null && (rateOf(r) ?? 0) > 0 && r.f1.mean !== null)
        .map((r) => ({ x: rateOf(r)!, y: r.f1.mean!, std: r.f1.std }))
        .sort((a, b) => a.x - b.x);
      return { detector, points, signature: JSON.stringify(points.map((p) => [p.x, p.y])) };
    });
    const datasets = lines.map(({ detector, points, signature }) => {
      const i = allDetectors.indexOf(detector);
      const color = seriesColor(i);
      const same = lines.filter((l) => l.detector !== detector && l.points.length > 0 && l.signature === signature).map((l) => shortName(l.detector, 20));
      return {
        label: same.length > 0 ? `${shortName(detector)} (= ${same.join(', ')})` : shortName(detector),
        data: points.map(({ x, y }) => ({ x, y })),
        std: points.map((p) => p.std),
        borderColor: color,
        borderWidth: 2,
        ...markerStyle(i, color),
        pointRadius: 5,
        // Points at F1 = 0 or 1 drawn whole, not cut at the axis.
        clip: false,
        showLine: true,
      } as ChartDataset;
    });
    // A quarter beyond the outermost rates, so the first and last points are not on the frame.
    const xs = lines.flatMap((l) => l.points.map((p) => p.x));
    const xRange = xs.length > 0 ? { min: Math.min(...xs) / 1.25, max: Math.max(...xs) * 1.25 } : {};
    charts.push({
      file: group.parts.length > 0 ? `${base}_${joinLabels(group.parts)}.png` : `${base}.png`,
      config: {
        type: 'scatter',
        data: { datasets },
        options: {
          ...STATIC_RENDERING,
          scales: {
            x: { type: 'logarithmic', ...xRange, title: { display: true, text: `${rate.title} (log)`, font: CHART_FONT }, ticks: { font: CHART_FONT, callback: formatRateTick } },
            y: linearAxis('F1 (mean ± std over repeats)', { min: 0, max: 1 }),
          },
          plugins: {
            title: { display: true, text: `F1 against exfiltration rate${group.shown ? ` (${group.shown})` : ''}`, font: { ...CHART_FONT, size: 14 } },
            legend: { position: 'bottom', labels: { font: CHART_FONT, boxWidth: 14, usePointStyle: true } },
          },
        },
        plugins: [errorBarsPlugin],
      },
    });
  }
  return charts;
}
