// One run: its facts and ground truth, the replay's summary table, a slider through its
// intervals (graph and edges of each), and the report's charts drawn with chart.js.
import { getJson, runPath } from './api.js';
import { chartBox, drawTrafficMatrix, makeChart } from './charts.js';
import { el, replaceChildren, table } from './dom.js';
import { formatBytes, formatDate, formatNumber, formatOffset, formatSeconds } from './format.js';
import { mountIntervalWalk } from './intervalWalk.js';

const SECTIONS = [
  ['scores', 'Detector scores'],
  ['roc', 'ROC curves'],
  ['edges', 'Edges'],
  ['matrix', 'Traffic matrix'],
];

export function mountRun(main, name, setStatus) {
  const cleanups = [];
  // A run being written grows: reloading re-reads it (the page is not pushed its lines).
  const reload = el('button', { type: 'button', id: 'run-reload', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, 'Reload');
  const heading = el('h2', null, 'Run ', el('span', { class: 'run-name' }, name), ' ', reload);
  const facts = el('section', { class: 'panel', id: 'run-facts' }, el('p', { class: 'note' }, 'Loading…'));
  const summary = el('section', { class: 'panel', id: 'run-summary' });
  const walk = el('section', { class: 'panel', id: 'run-walk' });
  const charts = el('section', { class: 'panel', id: 'run-charts' });
  replaceChildren(main, el('p', null, el('a', { href: '#/runs' }, '← all runs')), heading, facts, summary, walk, charts);

  (async () => {
    let run;
    try {
      run = await getJson(runPath(name));
    } catch (e) {
      replaceChildren(facts, el('p', { class: 'error' }, e.message));
      setStatus(e.status === 404 ? 'no such run' : 'error', 'warn');
      return;
    }
    setStatus(`run: ${run.status}`, 'ok');
    renderFacts(facts, run);
    renderSummary(summary, run);
    cleanups.push(mountIntervalWalk(walk, name, run));
    await renderCharts(charts, name, run, cleanups);
  })();

  return () => {
    for (const c of cleanups) c();
  };
}

function renderFacts(box, run) {
  const m = run.manifest;
  const rows = [
    ['created', formatDate(m.createdAt)],
    ['status', el('span', { class: `badge status-${run.status}` }, run.status)],
    ['duration', `${formatSeconds(run.durationSeconds)} (${run.intervals} intervals of ${m.intervalSeconds} s, ${run.gaps} gaps${run.invalidLines ? `, ${run.invalidLines} lines skipped: unreadable or out of order` : ''})`],
    ['source', m.source ? JSON.stringify(m.source) : '–'],
    ['target', run.target ?? '–'],
    ['metrics', m.metrics.join(', ')],
    ['services', Array.isArray(m.services) ? m.services.join(', ') : '–'],
  ].map(([k, v]) => [{ text: k, class: 'key' }, v]);
  const attacks = run.events.map((e) => [e.kind, formatOffset(e.start - run.t0), formatOffset(e.end - run.t0), e.bytes !== undefined ? formatBytes(e.bytes) : '–', typeof e.method === 'string' ? e.method : '–', Array.isArray(e.path) ? e.path.join(' → ') : '–']);
  replaceChildren(
    box,
    table({ class: 'facts' }, ['', ''], rows),
    el('h3', null, 'Events (ground truth)'),
    attacks.length > 0 ? table({ class: 'compact', id: 'run-events' }, ['kind', 'start', 'end', 'bytes', 'method', 'path'], attacks) : el('p', { class: 'note' }, 'none: every interval counts as benign'),
  );
}

function renderSummary(box, run) {
  if (!run.replay) {
    replaceChildren(box, el('h3', null, 'Detectors'), el('p', { class: 'note' }, 'Not replayed yet: ', el('code', null, `npm run replay -- ${run.path}`)));
    return;
  }
  const r = run.replay;
  const rows = Object.entries(r.detectors).map(([d, s]) => ({
    attrs: { 'data-detector': d },
    cells: [
      d,
      ...['tp', 'fp', 'tn', 'fn'].map((k) => ({ text: formatNumber(s[k]), class: 'num' })),
      ...['tpr', 'fpr', 'precision', 'f1', 'auc'].map((k) => ({ text: formatNumber(s[k]), class: 'num' })),
      { text: s.events ? `${formatNumber(s.events.detected)}/${formatNumber(s.events.total)}` : '–', class: 'num' },
      { text: s.events && typeof s.events.meanDelaySeconds === 'number' ? formatSeconds(s.events.meanDelaySeconds) : '–', class: 'num' },
    ],
  }));
  replaceChildren(
    box,
    el('h3', null, 'Detectors'),
    el('p', { class: 'note' }, `${formatNumber(r.intervals)} intervals, ${formatNumber(r.scoredIntervals)} scored after training, ${formatNumber(r.attackIntervals)} attack intervals.`),
    table({ class: 'numbers', id: 'summary-table' }, ['detector', 'TP', 'FP', 'TN', 'FN', 'TPR', 'FPR', 'precision', 'F1', 'AUC', 'attacks', 'mean delay'], rows),
  );
}

async function renderCharts(box, name, run, cleanups) {
  replaceChildren(box, el('h3', null, 'Report charts'), el('p', { class: 'note' }, run.replay ? 'Drawing…' : 'The report charts need a replay.'));
  if (!run.replay) return;
  let report;
  try {
    report = await getJson(`${runPath(name)}/report`);
  } catch (e) {
    replaceChildren(box, el('h3', null, 'Report charts'), el('p', { class: 'error' }, e.message));
    return;
  }
  const parts = [el('h3', null, 'Report charts')];
  const drawn = [];
  for (const [section, title] of SECTIONS) {
    const list = report.charts.filter((c) => c.section === section);
    if (list.length === 0) continue;
    parts.push(el('h4', null, title));
    for (const c of list) {
      if (c.kind === 'matrix') {
        const canvas = el('canvas', { class: 'matrix' });
        parts.push(el('figure', { class: 'chart', 'data-section': section }, el('div', { class: 'scroll-x' }, canvas), el('figcaption', null, c.caption)));
        drawn.push(() => drawTrafficMatrix(canvas, c.spec));
      } else {
        const { box: chartDiv, canvas } = chartBox(section === 'roc' ? 460 : 280, section === 'roc' ? 'square' : '');
        parts.push(el('figure', { class: 'chart', 'data-section': section }, chartDiv, el('figcaption', null, c.caption)));
        drawn.push(() => {
          const chart = makeChart(canvas, c.config);
          cleanups.push(() => chart.destroy());
        });
      }
    }
  }
  replaceChildren(box, parts);
  // Drawn once in the page, so chart.js can measure their boxes.
  for (const draw of drawn) draw();
}
