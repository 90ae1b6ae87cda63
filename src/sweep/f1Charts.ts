import type { ChartConfiguration, ChartDataset, Plugin } from 'chart.js';
import { CHART_FONT, linearAxis, seriesColor, shortName, STATIC_RENDERING } from '../report/charts/index.ts';
import type { ComparisonRow } from './compareSummaries.ts';
import type { ResolvedAxis } from './resolveSweep.ts';
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

/** Error bars (mean ± std) drawn over each line's points; the std of point j is `dataset.std[j]`. */
const errorBars: Plugin = {
  id: 'munninErrorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales['y'];
    if (y === undefined) return;
    chart.data.datasets.forEach((dataset, i) => {
      const std = (dataset as { std?: readonly (number | null)[] }).std;
      if (!std || !chart.isDatasetVisible(i)) return;
      const points = chart.getDatasetMeta(i).data;
      const data = dataset.data as readonly ({ y: number | null } | null)[];
      ctx.save();
      ctx.strokeStyle = String(dataset.borderColor ?? '#000000');
      ctx.lineWidth = 1;
      points.forEach((point, j) => {
        const s = std[j];
        const mean = data[j]?.y;
        if (s === null || s === undefined || mean === null || mean === undefined) return;
        const top = y.getPixelForValue(Math.min(1, mean + s));
        const bottom = y.getPixelForValue(Math.max(0, mean - s));
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

/**
 * F1 (mean ± std over repeats) against the exfiltration rate, one chart per combination of the
 * other axes' values, one line per detector. Points where F1 is undefined are left out.
 */
export function f1Charts(rows: readonly ComparisonRow[], axes: readonly Pick<ResolvedAxis, 'name' | 'values' | 'labels'>[], rate: RateAxis): F1Chart[] {
  const rateOf = (r: ComparisonRow): number | null => {
    const v = rate.key === 'inject' ? r.injectBytesPerInterval : r.axisValues[rate.key];
    return typeof v === 'number' ? v : null;
  };
  const others = axes.filter((a) => a.name !== rate.key);
  const labelOf = (a: (typeof others)[number], value: unknown) => a.labels[a.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(value))] ?? valueLabel(value);
  const groups = new Map<string, { parts: [string, string][]; shown: string; rows: ComparisonRow[] }>();
  for (const r of rows) {
    const parts = others.map((a): [string, string] => [a.name, labelOf(a, r.axisValues[a.name])]);
    const key = JSON.stringify(others.map((a) => cellValue(r.axisValues[a.name])));
    const shown = others.map((a) => `${a.name} = ${shortName(cellValue(r.axisValues[a.name]), 40)}`).join(', ');
    const group = groups.get(key) ?? { parts, shown, rows: [] };
    group.rows.push(r);
    groups.set(key, group);
  }
  const base = `f1-vs-${valueLabel(rate.key === 'inject' ? 'rate' : rate.key)}`;
  const charts: F1Chart[] = [];
  for (const group of groups.values()) {
    const detectors = [...new Set(group.rows.map((r) => r.detector))];
    const datasets = detectors.map((detector, i) => {
      const points = group.rows
        .filter((r) => r.detector === detector && rateOf(r) !== null && r.f1.mean !== null)
        .map((r) => ({ x: rateOf(r)!, y: r.f1.mean!, std: r.f1.std }))
        .sort((a, b) => a.x - b.x);
      const color = seriesColor(i);
      return {
        label: shortName(detector),
        data: points.map(({ x, y }) => ({ x, y })),
        std: points.map((p) => p.std),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        pointRadius: 3,
        showLine: true,
      } as ChartDataset;
    });
    charts.push({
      file: group.parts.length > 0 ? `${base}_${joinLabels(group.parts)}.png` : `${base}.png`,
      config: {
        type: 'scatter',
        data: { datasets },
        options: {
          ...STATIC_RENDERING,
          scales: {
            x: linearAxis(rate.title),
            y: linearAxis('F1 (mean ± std over repeats)', { min: 0, max: 1 }),
          },
          plugins: {
            title: { display: true, text: `F1 against exfiltration rate${group.shown ? ` (${group.shown})` : ''}`, font: { ...CHART_FONT, size: 14 } },
            legend: { position: 'bottom', labels: { font: CHART_FONT, boxWidth: 14 } },
          },
        },
        plugins: [errorBars],
      },
    });
  }
  return charts;
}
