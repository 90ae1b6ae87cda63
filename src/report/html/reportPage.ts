import type { ReportChart, ReportModel } from '../buildReportModel.ts';
import { html, SafeHtml } from './safeHtml.ts';
import { graphLassoSection } from '../graphLassoSection.ts';
import { attackTable, blamedTable, operatingPointsTable, parametersBlock, runFacts, summaryTable } from './tables.ts';

/** Where a chart's image is (a relative path or a data: URI) and its size in pixels. */
export interface PlacedImage {
  readonly src: string;
  readonly width: number;
  readonly height: number;
}

// No script anywhere; the policy forbids it too, so even a mistake in escaping could not run one.
const CSP = "default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'";

// Trusted constant: <style> is raw text, where entity escapes would not be decoded.
// Tables wider than the column scroll inside their own box; words (headers, detector names,
// "detected, 2.0 s") never break in the middle.
const STYLE = new SafeHtml(`
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; margin: 2em auto; max-width: 1000px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; display: block; max-width: 100%; overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
thead th, td.hit, td.miss, td.na, table.numbers td, table.numbers th { white-space: nowrap; }
thead th { background: #f3f3f3; }
table.numbers td { text-align: right; }
table.facts th { background: #f7f7f7; font-weight: normal; white-space: nowrap; }
table.facts td { overflow-wrap: anywhere; }
td.hit { background: #e3f4e6; } td.hit.elsewhere { background: #fdf3d6; } td.miss { background: #fbe3e0; } td.na { color: #888; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; vertical-align: baseline; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; margin-top: 0.3em; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.note { color: #666; font-style: italic; }
`);

function figure(chart: ReportChart, image: PlacedImage | undefined): SafeHtml {
  if (!image) return html`<p class="note">${chart.title}: not drawn.</p>`;
  return html`<figure><img src="${image.src}" width="${image.width}" height="${image.height}" alt="${chart.title}"><figcaption>${chart.caption}</figcaption></figure>`;
}

function section(model: ReportModel, images: ReadonlyMap<string, PlacedImage>, which: ReportChart['section'], empty: string): SafeHtml {
  const charts = model.charts.filter((c) => c.section === which);
  if (charts.length === 0) return html`<p class="note">${empty}</p>`;
  return html`${charts.map((c) => figure(c, images.get(c.file)))}`;
}

/** Problems worth telling the reader (files that disagree with each other). */
function warnings(model: ReportModel): SafeHtml {
  const notes: string[] = [];
  for (const d of model.detectors) {
    if (d.unmatchedRows > 0) notes.push(`${d.name}: ${d.unmatchedRows} rows of scores.csv fall on no interval of the run (a replay of another run?).`);
  }
  for (const d of model.detectors) {
    if (!d.summary) notes.push(`${d.name}: scored in scores.csv but absent from summary.json.`);
    else if (d.rows.length === 0) notes.push(`${d.name}: in summary.json but without a row in scores.csv.`);
  }
  for (const d of model.detectors) {
    const detected = d.outcomes.filter((o) => o.detected).length;
    const official = d.summary?.events?.detected;
    if (typeof official === 'number' && official !== detected) notes.push(`${d.name}: summary.json counts ${official} attacks detected, its alarms in scores.csv make ${detected}.`);
  }
  const scored = model.inputs.summary.scoredIntervals;
  if (typeof scored === 'number') {
    for (const d of model.detectors) {
      if (d.rows.length > 0 && d.rows.length !== scored) notes.push(`${d.name}: ${d.rows.length} scored intervals in scores.csv, summary.json says ${scored}.`);
    }
  }
  if (notes.length === 0) return html``;
  return html`<h2 id="warnings">Warnings</h2><ul>${notes.map((n) => html`<li>${n}</li>`)}</ul>`;
}

/** The whole report page: one HTML file, readable offline, with no script. */
export function reportPage(model: ReportModel, images: ReadonlyMap<string, PlacedImage>, generatedAt: Date): string {
  const { run } = model.inputs;
  const title = `munnin report: ${run.name ?? model.inputs.summary.run ?? 'run'}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p class="note">Generated ${generatedAt.toISOString()} by munnin from the run directory and its replay outputs.</p>
<nav><a href="#detectors">Detectors</a><a href="#attacks">Attacks</a><a href="#scores">Scores</a><a href="#roc">ROC</a><a href="#edges">Edges</a><a href="#matrix">Traffic matrix</a><a href="#blamed">Blamed edges</a><a href="#parameters">Parameters</a></nav>
${runFacts(model)}
${warnings(model)}
<h2 id="detectors">Detectors</h2>
<p>Counted over the scored intervals (after training, gaps excluded). An interval is an attack interval when it shares a stretch of time with an attack. The interval right after an attack’s last one (its grace interval, unless itself an attack interval) is left out of the counts and the AUC: telemetry may report the attack’s last bytes there. An attack is detected when an alarm falls in one of its intervals or in its grace interval. Blame on path: of the alarms in attack intervals, how many name an edge of that attack (consecutive nodes of its path, either direction) as their first blamed edge.</p>
${summaryTable(model)}
<h3 id="operating-points">Operating points</h3>
<p>The threshold a researcher would set for a given false-alarm rate, read off each detector’s ROC over the counted intervals (alarm when score &gt; threshold; at most that fraction of benign intervals above it), and the share of attack intervals it catches.</p>
${operatingPointsTable(model)}
<h2 id="attacks">Attacks</h2>
<p>Delay: from the attack’s start to the end of the first alarmed interval (when the alarm could be raised).</p>
${attackTable(model)}
<h2 id="scores">Scores over time</h2>
<p>Shaded: attack intervals (orange), gaps where telemetry could not be read (grey), the detector’s training stretch (light blue).</p>
${section(model, images, 'scores', 'No scores to chart.')}
<h2 id="roc">ROC curves</h2>
${section(model, images, 'roc', 'No ROC curve: the scored intervals need both attack and benign intervals.')}
<h2 id="edges">Watched edges</h2>
${section(model, images, 'edges', 'No edge to chart.')}
<h2 id="matrix">Traffic matrix</h2>
${section(model, images, 'matrix', 'No interval with traffic to show.')}
<h2 id="blamed">Most-blamed edges</h2>
${blamedTable(model)}
${graphLassoSection(model)}
<h2 id="parameters">Parameters</h2>
<h3>Replay</h3>
${parametersBlock(model.parameters)}
<h3>Experiment (run.json)</h3>
${parametersBlock(run.parameters)}
</body>
</html>
`;
  return page.value;
}
