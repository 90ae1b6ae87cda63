import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { shortName } from './palette.ts';
import { CHART_FONT, linearAxis, STATIC_RENDERING } from './axes.ts';

export interface RocChartCurve {
  readonly detector: string;
  readonly color: string;
  /** (fpr, tpr) from (0, 0) to (1, 1). */
  readonly points: readonly { readonly fpr: number; readonly tpr: number }[];
  /** Area under the curve, shown in the legend; null when unknown. */
  readonly auc: number | null;
  /** The detector's operating point (its own threshold), when known. */
  readonly operating?: { readonly fpr: number; readonly tpr: number };
}

/** Every detector's ROC curve on one chart, each with its operating point. */
export function rocChart(curves: readonly RocChartCurve[]): ChartConfiguration {
  const datasets: ChartDataset[] = [
    { label: 'chance', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, borderColor: '#999999', backgroundColor: '#999999', borderDash: [4, 4], borderWidth: 1, pointRadius: 0 },
  ];
  for (const c of curves) {
    const auc = c.auc === null ? '' : ` (AUC ${c.auc.toFixed(3)})`;
    datasets.push({ label: `${shortName(c.detector)}${auc}`, data: c.points.map((p) => ({ x: p.fpr, y: p.tpr })), showLine: true, borderColor: c.color, backgroundColor: c.color, borderWidth: 2, pointRadius: 0 });
    if (c.operating) {
      // Unlabelled: the legend lists each detector once.
      datasets.push({ label: '', data: [{ x: c.operating.fpr, y: c.operating.tpr }], borderColor: '#000000', backgroundColor: c.color, pointStyle: 'rectRot', pointRadius: 7, borderWidth: 1 });
    }
  }
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      ...STATIC_RENDERING,
      scales: {
        x: linearAxis('false-positive rate', { min: 0, max: 1 }),
        y: linearAxis('true-positive rate', { min: 0, max: 1 }),
      },
      plugins: {
        title: { display: true, text: 'ROC curves (◆ = operating point at the detector’s threshold)', font: { ...CHART_FONT, size: 14 } },
        legend: { position: 'bottom', labels: { font: CHART_FONT, boxWidth: 14, filter: (item) => item.text !== '' } },
      },
    },
  };
}
