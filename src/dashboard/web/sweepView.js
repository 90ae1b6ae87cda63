// One sweep: its axes, how far recording got, the comparison over repeats (each detector
// only against the axes that change it) with its F1 charts, and every run, linked.
import { getJson, runHash, sweepPath } from './api.js';
import { chartBox, makeChart } from './charts.js';
import { htmlLegend, withoutCanvasLegend } from './chartLegend.js';
import { el, replaceChildren, scrollTable } from './dom.js';
import { formatBytes, formatDate, formatStat, formatValue, plural } from './format.js';
import { bestCell } from './runsView.js';

const STATUSES = ['complete', 'running', 'interrupted', 'failed', 'pending'];
const METRICS = [
  ['tpr', 'TPR'],
  ['fpr', 'FPR'],
  ['f1', 'F1'],
  ['auc', 'AUC'],
];

export function mountSweep(main, name, setStatus) {
  const cleanups = [];
  const reload = el('button', { type: 'button', id: 'sweep-reload', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, 'Reload');
  const facts = el('section', { class: 'panel', id: 'sweep-facts' }, el('p', { class: 'note' }, 'Loading…'));
  const comparison = el('section', { class: 'panel', id: 'sweep-comparison' });
  const runs = el('section', { class: 'panel', id: 'sweep-runs' });
  replaceChildren(main, el('p', null, el('a', { href: '#/runs' }, '← all runs and sweeps')), el('h2', null, 'Sweep ', el('span', { class: 'run-name' }, name), ' ', reload), facts, comparison, runs);

  (async () => {
    let sweep;
    try {
      sweep = await getJson(sweepPath(name));
    } catch (e) {
      replaceChildren(facts, el('p', { class: 'error' }, e.message));
      setStatus(e.status === 404 ? 'no such sweep' : 'error', 'warn');
      return;
    }
    const done = sweep.progress.complete ?? 0;
    setStatus(`sweep: ${done} of ${plural(sweep.progress.planned, 'run')} complete`, 'ok');
    renderFacts(facts, sweep);
    renderRuns(runs, sweep);
    renderComparison(comparison, sweep, cleanups);
  })();

  return () => {
    for (const c of cleanups) c();
  };
}

function renderFacts(box, s) {
  const progress = el('progress', { id: 'sweep-progress', max: Math.max(1, s.progress.planned), value: s.progress.complete ?? 0 });
  const counts = STATUSES.filter((k) => s.progress[k]).map((k) => el('span', { class: `badge status-${k}` }, `${s.progress[k]} ${k}`));
  const axes = s.axes.map((a) => ({
    attrs: { 'data-axis': a.name },
    cells: [a.name, el('code', null, a.path), a.side === 'detector' ? 'detector (replays)' : 'experiment (runs)', a.values.map(formatValue).join(', ')],
  }));
  const inject = s.inject ? `injected rates: ${s.inject.bytesPerInterval.map((b) => `${formatBytes(b)}/interval`).join(', ')}` : null;
  replaceChildren(
    box,
    el('p', null, `Created ${formatDate(s.createdAt)}, updated ${formatDate(s.updatedAt)}; ${plural(s.repeats ?? 1, 'repeat')} of each combination; folder `, el('code', null, s.path), '.'),
    el('div', { class: 'sweep-progress' }, progress, ' ', el('span', { id: 'sweep-progress-text' }, `${s.progress.complete ?? 0} of ${plural(s.progress.planned, 'run')} complete `), counts),
    el('h3', null, 'Axes'),
    scrollTable({ class: 'compact', id: 'sweep-axes' }, ['axis', 'path', 'side', 'values'], axes),
    inject ? el('p', { class: 'note' }, inject) : null,
  );
}

function renderRuns(box, s) {
  const names = s.axes.filter((a) => a.side === 'experiment').map((a) => a.name);
  const rows = s.runs.map((r) => ({
    attrs: { 'data-run': r.name },
    cells: [
      r.run ? el('a', { href: runHash(r.name, s.self ? undefined : s.name), class: 'run-link' }, r.name) : r.name,
      ...names.map((n) => formatValue(r.axisValues[n])),
      { text: String(r.repeat), class: 'num' },
      el('span', { class: `badge status-${r.run?.status ?? r.status}` }, r.run?.status ?? r.status),
      { text: String(r.run?.variants?.length ?? 0), class: 'num' },
      r.run ? bestCell(r.run) : { text: 'not recorded', class: 'note' },
    ],
  }));
  replaceChildren(box, el('h3', null, 'Runs'), scrollTable({ class: 'runs', id: 'sweep-runs-table' }, ['run', ...names, 'repeat', 'status', 'replays', 'best detector'], rows));
}

function renderComparison(box, s, cleanups) {
  const c = s.comparison;
  if (!c) {
    replaceChildren(box, el('h3', null, 'Comparison'), el('p', { class: 'note' }, 'Not replayed yet: ', el('code', null, `npm run replay -- ${s.path}`)));
    return;
  }
  if (c.problem) {
    replaceChildren(box, el('h3', null, 'Comparison'), el('p', { class: 'error' }, c.problem));
    return;
  }
  const names = c.axes.map((a) => a.name);
  const rows = c.rows.map((r) => ({
    attrs: { 'data-detector': r.detector },
    cells: [
      r.detector,
      ...names.map((n) => (n in r.axisValues ? formatValue(r.axisValues[n]) : { text: 'any', class: 'note', title: `${n} does not change ${r.detector}` })),
      ...(c.withInject ? [{ text: r.injectBytesPerInterval === null ? '–' : formatBytes(r.injectBytesPerInterval), class: 'num' }] : []),
      { text: String(r.runs), class: 'num' },
      ...METRICS.map(([m]) => ({ text: formatStat(r[m], r.runs), class: 'num' })),
    ],
  }));
  const anyCell = c.rows.some((r) => names.some((n) => !(n in r.axisValues)));
  // The legend as a list under each chart: eleven long labels do not fit in its canvas.
  const figures = c.charts.map((chart) => {
    const { box: div, canvas } = chartBox(340);
    return { figure: el('figure', { class: 'chart', 'data-file': chart.file }, div), canvas, config: withoutCanvasLegend(chart.config) };
  });
  replaceChildren(
    box,
    el('h3', null, 'Comparison over repeats'),
    el('p', { class: 'note' }, `Mean ± sample standard deviation (n − 1) over repeats; [k]: only k runs defined the value; –: none did.${anyCell ? ' any: the axis does not change that detector, so it is listed once.' : ''}${c.createdAt ? ` Replayed ${formatDate(c.createdAt)}.` : ''}`),
    scrollTable({ class: 'numbers', id: 'sweep-comparison-table' }, ['detector', ...names, ...(c.withInject ? ['injected'] : []), 'runs', ...METRICS.map(([, t]) => t)], rows),
    figures.length > 0 ? [el('h3', null, 'F1 against the exfiltration rate'), el('div', { class: 'chart-grid' }, figures.map((f) => f.figure))] : el('p', { class: 'note' }, 'No F1 chart: the sweep has no exfiltration-rate axis (exfiltration[*].bytes or injected rates).'),
  );
  for (const f of figures) {
    const chart = makeChart(f.canvas, f.config);
    f.figure.append(htmlLegend(chart));
    cleanups.push(() => chart.destroy());
  }
}
