import { join } from 'node:path';
import { buildReportModel, loadReportInputs, type ReportChart } from '../report/index.ts';

/** A chart of a run's report as the page draws it: a chart.js configuration or heatmap data. */
export type ServedChart = Pick<ReportChart, 'title' | 'caption' | 'section'> & ReportChart['draw'];

export interface ReportCharts {
  readonly charts: readonly ServedChart[];
  readonly detectors: readonly { readonly name: string; readonly color: string }[];
  /** What an edge's "volume" is (e.g. `bytes (tcp_sent_bytes + tcp_received_bytes)`). */
  readonly measure: string;
}

/**
 * The charts of a run's report, built by the same code as the PNG report (buildReportModel),
 * for the browser to draw with chart.js. Callbacks (legend filters, the shading plugin's
 * drawing) do not survive JSON; the page puts them back by plugin id.
 */
export async function reportCharts(runDir: string, replayDir: string = join(runDir, 'replay')): Promise<ReportCharts> {
  const inputs = await loadReportInputs(runDir, replayDir);
  const model = buildReportModel(inputs, inputs.run.parameters === undefined ? {} : { parameters: inputs.run.parameters });
  return {
    charts: model.charts.map((c) => ({ title: c.title, caption: c.caption, section: c.section, ...c.draw })),
    detectors: model.detectors.map((d) => ({ name: d.name, color: d.color })),
    measure: model.measure.label,
  };
}
