// One run: its facts and ground truth, the replay's summary table, a slider through its
// intervals (graph and edges of each), and the report's charts drawn with chart.js.
import { getJson, runHash, runPath, sweepHash, withVariant } from './api.js';
import { chartBox, drawTrafficMatrix, makeChart } from './charts.js';
import { el, replaceChildren, scrollTable, table } from './dom.js';
import { formatBytes, formatDate, formatDelay, formatNumber, formatOffset, formatSeconds, plural } from './format.js';
import { mountIntervalWalk } from './intervalWalk.js';
import { attackOutcomesTable } from './attackOutcomesTable.js';
// summary.json's falseAlarmPromise.p below this: the promise was not kept, as the tables and the report have it.
import { PROMISE_SIGNIFICANCE } from '/src/evaluation/promiseSignificance.ts';

const SECTIONS = [
  ['scores', 'Detector scores'],
  ['roc', 'ROC curves'],
  ['edges', 'Edges'],
  ['matrix', 'Traffic matrix'],
];

/** A run of the data folder, or of a sweep (`sweep`), with one of its replays (`variant`, default the server's). */
export function mountRun(main, { name, sweep, variant }, setStatus) {
  const cleanups = [];
  const base = runPath(name, sweep);
  const api = (part) => withVariant(`${base}${part}`, variant);
  // A run being written grows: reloading re-reads it (the page is not pushed its lines).
  const reload = el('button', { type: 'button', id: 'run-reload', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, 'Reload');
  const heading = el('h2', null, 'Run ', el('span', { class: 'run-name' }, name), ' ', reload);
  const back = sweep === undefined ? el('a', { href: '#/runs' }, '← all runs') : el('a', { href: sweepHash(sweep) }, `← sweep ${sweep}`);
  const facts = el('section', { class: 'panel', id: 'run-facts' }, el('p', { class: 'note' }, 'Loading…'));
  const summary = el('section', { class: 'panel', id: 'run-summary' });
  const walk = el('section', { class: 'panel', id: 'run-walk' });
  const charts = el('section', { class: 'panel', id: 'run-charts' });
  replaceChildren(main, el('p', null, back), heading, facts, summary, walk, charts);

  (async () => {
    let run;
    try {
      run = await getJson(api(''));
    } catch (e) {
      replaceChildren(facts, el('p', { class: 'error' }, e.message));
      setStatus(e.status === 404 ? 'no such run' : 'error', 'warn');
      return;
    }
    setStatus(`run: ${run.status}`, 'ok');
    renderFacts(facts, run);
    renderSummary(summary, run, (v) => (location.hash = runHash(name, sweep, v)));
    cleanups.push(mountIntervalWalk(walk, api, run));
    await renderCharts(charts, api, run, cleanups);
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
    ['source', fields(m.source)],
    ['traffic', fields(m.traffic)],
    ['target', fields(m.target)],
    ['metrics', m.metrics.join(', ')],
    ['services', Array.isArray(m.services) ? m.services.join(', ') : '–'],
  ].map(([k, v]) => [{ text: k, class: 'key' }, v]);
  // Injected attacks (a sweep's `--inject` variant) are marked, as in the report.
  const attacks = run.events.map((e) => [e.injected === true ? `${e.kind} (injected)` : e.kind, formatOffset(e.start - run.t0), formatOffset(e.end - run.t0), e.bytes !== undefined ? formatBytes(e.bytes) : '–', typeof e.method === 'string' ? e.method : '–', Array.isArray(e.path) ? e.path.join(' → ') : '–']);
  replaceChildren(
    box,
    scrollTable({ class: 'facts' }, ['', ''], rows),
    el('h3', null, run.eventsSource === 'replay' ? `Events (ground truth this replay scored: ${run.variant ? `replay/${run.variant}` : 'replay'}/events.ndjson)` : 'Events (ground truth)'),
    attacks.length > 0 ? scrollTable({ class: 'compact', id: 'run-events' }, ['kind', 'start', 'end', 'bytes', 'method', 'path'], attacks) : el('p', { class: 'note' }, 'none: every interval counts as benign'),
  );
}

/** An object of run.json (source, traffic) as `key: value` fields, not raw JSON. */
function fields(o) {
  if (o === null || o === undefined) return '–';
  if (typeof o !== 'object') return String(o);
  const value = (v) => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  return el(
    'dl',
    { class: 'fields' },
    Object.entries(o).map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, value(v)))),
  );
}

/** Which replay is shown, when a sweep replayed the run several times (replay/<variant>/). */
function variantPicker(run, choose) {
  const variants = run.variants ?? [];
  if (variants.length < 2) return null;
  const unreadable = new Set(run.unreadableReplays ?? []);
  const select = el('select', { id: 'variant-select', 'aria-label': 'replay', onchange: () => choose(select.value) }, variants.map((v) => el('option', { value: v }, v === '' ? 'replay/' : v, unreadable.has(v) ? ' (unreadable)' : '')));
  select.value = run.variant ?? variants[0];
  return el('p', null, `${plural(variants.length, 'replay')} of this run (a sweep's variants); showing `, select);
}

function renderSummary(box, run, choose) {
  // An unreadable summary.json (this replay's or another's) is named with why; the picker stays, so a readable replay can be chosen.
  const problem = run.problem ? el('p', { class: 'error', id: 'replay-problem' }, 'Replay unreadable: ', run.problem) : null;
  if (!run.replay) {
    replaceChildren(box, el('h3', null, 'Detectors'), variantPicker(run, choose), problem ?? el('p', { class: 'note' }, 'Not replayed yet: ', el('code', null, `npm run replay -- ${run.path}`)));
    return;
  }
  const r = run.replay;
  // Rates with three decimals always (1.000, not 1), so the column reads evenly.
  const rate = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : formatNumber(v));
  const rows = Object.entries(r.detectors).map(([d, s]) => ({
    attrs: { 'data-detector': d },
    cells: [
      d,
      ...['tp', 'fp', 'tn', 'fn'].map((k) => ({ text: formatNumber(s[k]), class: 'num' })),
      // The TPR's and the FPR's 95 % intervals as their tooltips, and † when the false alarms broke the promised rate (as the report marks it).
      { text: rate(s.tpr), class: 'num', title: intervalTitle(s.tprInterval95) },
      { text: `${rate(s.fpr)}${promiseBroken(s) ? ` ${BROKEN_MARK}` : ''}`, class: 'num', title: intervalTitle(s.fprInterval95) },
      ...['precision', 'f1', 'auc'].map((k) => ({ text: rate(s[k]), class: 'num' })),
      { text: s.events ? `${formatNumber(s.events.detected)}/${formatNumber(s.events.total)}` : '–', class: 'num' },
      { text: s.events ? formatDelay(s.events.meanDelaySeconds) : '–', class: 'num' },
    ],
  }));
  replaceChildren(
    box,
    el('h3', null, 'Detectors'),
    variantPicker(run, choose),
    problem,
    el('p', { class: 'note' }, `${plural(r.intervals, 'interval')}, ${formatNumber(r.scoredIntervals)} scored after training, ${plural(r.attackIntervals, 'attack interval')}.`),
    scrollTable({ class: 'numbers', id: 'summary-table' }, ['detector', 'TP', 'FP', 'TN', 'FN', 'TPR', 'FPR', 'precision', 'F1', 'AUC', 'attacks', 'mean delay'], rows),
    ...Object.entries(r.detectors)
      .filter(([, s]) => promiseBroken(s))
      .map(([d, s]) => {
        const p = s.falseAlarmPromise;
        return el('p', { class: 'note promise-broken' }, `${BROKEN_MARK} ${d}: ${p.episodes} false-alarm episode(s) (adjacent pairs of false alarms count once) in ${p.judgedIntervals} benign intervals judged with a threshold; at ${p.rate}, the rate its threshold was calibrated to, so many come by chance with probability ${p.p.toPrecision(2)}: on this run the threshold did not keep its promise.`);
      }),
    attackOutcomesTable(r, run.t0),
  );
}

/** Marks an FPR whose false alarms broke the calibrated rate (the report's mark). */
const BROKEN_MARK = '†';

function promiseBroken(s) {
  const p = s.falseAlarmPromise;
  return p !== null && typeof p === 'object' && typeof p.p === 'number' && p.p < PROMISE_SIGNIFICANCE;
}

/** A 95 % interval of summary.json (fprInterval95, tprInterval95), as a tooltip (undefined when the replay wrote none). */
function intervalTitle(interval) {
  if (!Array.isArray(interval) || interval.length !== 2 || !interval.every((x) => typeof x === 'number')) return undefined;
  return `95 % interval ${(100 * interval[0]).toFixed(1)} % – ${(100 * interval[1]).toFixed(1)} %`;
}

async function renderCharts(box, api, run, cleanups) {
  replaceChildren(box, el('h3', null, 'Report charts'), el('p', { class: 'note' }, run.replay ? 'Drawing…' : run.problem ? 'The report charts need a readable replay (see Detectors above).' : 'The report charts need a replay.'));
  if (!run.replay) return;
  let report;
  try {
    report = await getJson(api('/report'));
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
