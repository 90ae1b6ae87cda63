import { from, takeWhile } from 'rxjs';
import { graphLasso, vectorize, type GraphLassoModel } from '../detectors/index.ts';
import type { ReportModel } from './buildReportModel.ts';
import { count, percent } from './html/format.ts';
import { html, type SafeHtml } from './html/safeHtml.ts';

const NAME = 'graph-lasso';

/** The replay's `detectors` parameters as far as graph-lasso needs them (the report gets them untyped). */
function setupOf(parameters: unknown): { options: Record<string, unknown>; trainingSeconds?: number; falseAlarmRate?: number } {
  const detectors = (parameters as { detectors?: Record<string, unknown> } | undefined)?.detectors ?? {};
  const options = (detectors['options'] as Record<string, unknown> | undefined)?.[NAME];
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const out: { options: Record<string, unknown>; trainingSeconds?: number; falseAlarmRate?: number } = { options: typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {} };
  const training = number(detectors['trainingSeconds']);
  const rate = number(detectors['falseAlarmRate']);
  if (training !== undefined) out.trainingSeconds = training;
  if (rate !== undefined) out.falseAlarmRate = rate;
  return out;
}

/**
 * graph-lasso's model as the replay fitted it: the run's own snapshots up to the fit, through the
 * detector with the replay's parameters (the code is deterministic, so this is the replay's model
 * whenever the training stretch was not injected into). Undefined when it cannot be refitted.
 */
export function refitGraphLasso(model: ReportModel): GraphLassoModel | undefined {
  const setup = setupOf(model.parameters);
  let fitted: GraphLassoModel | undefined;
  try {
    from(model.inputs.snapshots)
      .pipe(
        takeWhile(() => fitted === undefined),
        // The run's metrics from the first frame, as replay gives them: else a first interval
        // carrying only counts would make the volumes fall back to counts for the whole refit.
        vectorize({ metrics: model.inputs.run.metrics }),
        graphLasso(setup.options, setup, (m) => (fitted = m)),
      )
      .subscribe();
  } catch {
    return undefined;
  }
  return fitted;
}

/**
 * Mimir's view of its learned detector: the model's non-zero coefficients (on mod-z features),
 * and a confusion matrix per attack path (the attacks of a `--inject` replay share one), its
 * attack intervals caught or missed, and the benign intervals' false alarms, counted as the
 * summary counts them (scored intervals, grace intervals left out). Empty when graph-lasso did
 * not score the run.
 */
export function graphLassoSection(model: ReportModel): SafeHtml {
  const view = model.detectors.find((d) => d.name === NAME);
  if (view === undefined || view.rows.length === 0) return html``;
  const fitted = refitGraphLasso(model);
  const coefficients =
    fitted === undefined
      ? html`<p class="note">The model could not be refitted from this run (not enough clean intervals to fit).</p>`
      : html`<p>Fitted on ${fitted.trainingIntervals} clean training intervals and ${fitted.injectedRows} copies with a synthetic exfiltration injected along ${fitted.routes.length} candidate routes; λ = ${fitted.lambda.toPrecision(3)} (one standard error above the least cross-validated deviance), intercept ${fitted.intercept.toFixed(3)}; ${fitted.coefficients.length} of ${fitted.features} features kept.</p>
<table class="numbers"><thead><tr><th>feature</th><th>coefficient</th></tr></thead><tbody>${fitted.coefficients.map((c) => html`<tr><td style="text-align:left">${c.feature}</td><td>${c.coefficient.toFixed(4)}</td></tr>`)}</tbody></table>`;
  const { timeline } = model;
  const alarmAt = new Map<number, boolean>();
  for (const row of view.rows) {
    const at = timeline.positionOf(row.t);
    if (at !== undefined && Number.isFinite(row.score)) alarmAt.set(at, row.alarm);
  }
  const byPath = new Map<string, { attacks: number; injected: boolean; intervals: Set<number> }>();
  for (const a of timeline.attacks) {
    const key = (a.event.path ?? []).join(' → ') || `(${a.event.kind}, no path)`;
    const entry = byPath.get(key) ?? { attacks: 0, injected: false, intervals: new Set<number>() };
    entry.attacks++;
    entry.injected ||= a.event.injected === true;
    for (const i of a.intervals) entry.intervals.add(i);
    byPath.set(key, entry);
  }
  const rows = [...byPath].map(([path, e]) => {
    let tp = 0;
    let fn = 0;
    for (const i of e.intervals) {
      const alarm = alarmAt.get(i);
      if (alarm === undefined || timeline.grace[i] === true) continue;
      if (alarm) tp++;
      else fn++;
    }
    return html`<tr><td style="text-align:left">${path}${e.injected ? ' (injected)' : ''}</td><td>${e.attacks}</td><td>${count(tp)}</td><td>${count(fn)}</td><td>${percent(tp + fn > 0 ? tp / (tp + fn) : null)}</td><td>–</td><td>–</td></tr>`;
  });
  let fp = 0;
  let tn = 0;
  for (const [i, alarm] of alarmAt) {
    if (timeline.attack[i] === true || timeline.grace[i] === true) continue;
    if (alarm) fp++;
    else tn++;
  }
  const matrix =
    byPath.size === 0
      ? html`<p class="note">No attack in the ground truth: only the benign intervals' false alarms (${count(fp)} of ${count(fp + tn)}).</p>`
      : html`<table class="numbers"><thead><tr><th>attack path</th><th>attacks</th><th>TP</th><th>FN</th><th>TPR</th><th>FP</th><th>TN</th></tr></thead><tbody>${rows}<tr><td style="text-align:left">benign intervals</td><td>–</td><td>–</td><td>–</td><td>–</td><td>${count(fp)}</td><td>${count(tn)}</td></tr></tbody></table>`;
  return html`<h2 id="graph-lasso">graph-lasso: the learned model</h2>
<p>Non-zero coefficients of the L1-regularised logistic regression (on features standardised by their training median and MAD); a positive one raises the log odds of an attack as its feature rises.</p>
${coefficients}
<h3>Per attack path</h3>
<p>Scored attack intervals of each path's attacks, caught (TP) or missed (FN) by graph-lasso's alarms, and its false alarms on the benign intervals (grace intervals left out, as in the summary).</p>
${matrix}`;
}
