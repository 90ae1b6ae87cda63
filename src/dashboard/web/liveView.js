// The live view: progress and exfiltration schedule, the service graph of the newest
// interval, one edge's traffic over time, every detector's score against its threshold and
// the alerts as they fire. Fed by Server-Sent Events from /api/live/stream.
import { edgeChart, scoreChart, seriesColor } from '/src/report/charts/index.ts';
import { ewmaBand } from '/src/report/ewmaBand.ts';
import { intervalStart } from '/src/intervalBounds.ts';
import { edgeKey, edgeSeries, edgeTotals, edgeVolume } from '/src/report/edgeVolumes.ts';
import { chartBox, makeChart, updateChart } from './charts.js';
import { el, replaceChildren } from './dom.js';
import { formatBytes, formatClock, formatSeconds, plural } from './format.js';
import { alertsTable, scheduleTable } from './liveTables.js';
import { LiveModel } from './liveModel.js';
import { createServiceGraph } from './serviceGraph.js';
import { visibleBidi } from '/src/visibleBidi.ts';

const RENDER_DELAY_MILLIS = 50;

export function mountLive(main, setStatus) {
  const model = new LiveModel();
  let selected = null;
  let userSelected = false;
  let renderTimer;
  const charts = new Map();
  let edgeChartInstance;

  const heading = el('h2', null, 'Live experiment');
  const stateLine = el('p', { class: 'note', id: 'live-state' });
  const progressBar = el('progress', { id: 'live-progress', max: 1, value: 0 });
  const progressText = el('span', { id: 'live-progress-text' });
  const schedule = el('div', { id: 'live-schedule' });
  const graph = createServiceGraph({ idPrefix: 'live', onSelect: (e) => ((selected = { src: e.src, dst: e.dst }), (userSelected = true), render()) });
  const graphCaption = el('p', { class: 'caption', id: 'live-graph-caption' });
  const alertsBox = el('div', { id: 'live-alerts', class: 'scroll' });
  let edgeList = [];
  let edgeListSignature = '';
  const edgeSelect = el('select', { id: 'live-edge-select', 'aria-label': 'edge', onchange: () => ((selected = edgeList[Number(edgeSelect.value)] ?? null), (userSelected = true), render()) });
  const edgeBox = chartBox(280);
  const detectorGrid = el('div', { class: 'chart-grid', id: 'live-detectors' });
  const empty = el('div', { id: 'live-empty', class: 'empty', hidden: true }, el('p', null, 'No experiment is running in this dashboard.'), el('p', null, 'Start one with ', el('code', null, 'npm run experiment -- --dashboard'), '; recorded runs are under ', el('a', { href: '#/runs' }, 'Runs'), '.'));

  const content = el(
    'div',
    { id: 'live-content' },
    el('section', { class: 'panel progress-panel' }, el('div', null, progressBar, ' ', progressText), schedule),
    el('div', { class: 'row' }, el('section', { class: 'panel graph-panel' }, el('h3', null, 'Service graph (newest interval)'), graph.element, graphCaption, legend()), el('section', { class: 'panel alerts-panel' }, el('h3', null, 'Alerts'), alertsBox)),
    el('section', { class: 'panel' }, el('h3', null, 'Traffic of one edge ', edgeSelect), edgeBox.box),
    el('section', { class: 'panel' }, el('h3', null, 'Detectors: score ÷ threshold (log; above 1: alarm)'), detectorGrid),
  );
  replaceChildren(main, heading, stateLine, empty, content);

  const source = new EventSource('/api/live/stream');
  for (const type of ['state', 'begin', 'snapshot', 'verdict', 'event', 'end']) {
    source.addEventListener(type, (m) => {
      model.apply(type, JSON.parse(m.data));
      if (type === 'state' || type === 'begin') {
        for (const c of charts.values()) c.destroy();
        charts.clear();
        detectorGrid.replaceChildren();
        if (!userSelected) selected = null;
      }
      scheduleRender();
    });
  }
  source.onopen = () => setStatus('live: connected', 'ok');
  source.onerror = () => setStatus('live: reconnecting…', 'warn');

  function scheduleRender() {
    renderTimer ??= setTimeout(() => {
      renderTimer = undefined;
      render();
    }, RENDER_DELAY_MILLIS);
  }

  function render() {
    const info = model.info;
    empty.hidden = info !== null;
    content.hidden = info === null;
    if (!info) {
      heading.textContent = 'Live experiment';
      stateLine.textContent = '';
      return;
    }
    heading.textContent = visibleBidi(`Live experiment: ${info.name}`);
    const timeline = model.timeline;
    const shading = model.shading(timeline);
    const t0 = timeline.t0;
    const latest = model.latest;
    const elapsed = latest ? latest.t - t0 : 0;
    stateLine.textContent = visibleBidi(model.ended
      ? `ended${model.ended.complete ? '' : ' (interrupted)'}${model.ended.error ? `: ${model.ended.error}` : ''}: ${model.ended.intervals} intervals recorded`
      : latest
        ? `recording since ${formatClock(t0)}, target ${info.target ?? '?'}, ${info.intervalSeconds} s intervals`
        : 'starting: bringing up the target, telemetry and traffic…');
    const gaps = model.snapshots.filter((s) => s.gap).length;
    progressBar.max = info.plannedIntervals;
    progressBar.value = Math.min(model.snapshots.length + model.dropped, info.plannedIntervals);
    progressText.textContent = `${model.snapshots.length + model.dropped} / ${info.plannedIntervals} intervals · ${formatSeconds(elapsed)} of ${formatSeconds(info.durationSeconds)} · ${plural(gaps, 'gap')} · ${plural(model.alerts.length, 'alert')}`;
    renderSchedule(info, elapsed, t0);
    renderGraph(latest);
    renderAlerts(t0, timeline);
    renderEdge(t0, shading, info);
    renderDetectors(t0, shading, info);
  }

  function renderSchedule(info, elapsed, t0) {
    replaceChildren(schedule, el('h3', null, 'Exfiltration schedule'), scheduleTable(info, model.events, model.snapshots.length > 0, elapsed, t0));
  }

  function renderGraph(latest) {
    if (!latest) {
      graph.update({ nodes: [], edges: [] });
      graphCaption.textContent = 'waiting for the first interval…';
      return;
    }
    const last = model.snapshots.length - 1;
    const blamed = new Map(model.alerts.filter((a) => a.t === latest.t).flatMap((a) => (a.blamed ?? []).map((b) => [edgeKey(b.src, b.dst), { src: b.src, dst: b.dst }])));
    const values = new Map(latest.edges.map((e) => [edgeKey(e.src, e.dst), volume(e)]));
    const edges = [...model.firstSeen.values()].map((f) => {
      const k = edgeKey(f.src, f.dst);
      return { src: f.src, dst: f.dst, value: latest.gap ? null : (values.get(k) ?? 0), blamed: blamed.has(k), isNew: f.index === last && last > 0 };
    });
    for (const [k, b] of blamed) if (!model.firstSeen.has(k)) edges.push({ ...b, value: 0, blamed: true, isNew: false });
    const nodes = [...new Set([...model.nodes, ...edges.flatMap((e) => [e.src, e.dst])])].sort();
    graph.update({ nodes, edges, selected, gap: latest.gap });
    const total = latest.edges.reduce((sum, e) => sum + volume(e), 0);
    graphCaption.textContent = latest.gap
      ? visibleBidi(`interval ending ${formatClock(latest.t)}: gap (telemetry unreadable${latest.reason ? `: ${latest.reason}` : ''})`)
      : `interval ending ${formatClock(latest.t)}: ${latest.edges.length} edges, ${formatBytes(total)} (${model.measure.label}); ${blamed.size} blamed, ${edges.filter((e) => e.isNew).length} new`;
  }

  function renderAlerts(t0, timeline) {
    replaceChildren(alertsBox, alertsTable(model.alerts, timeline, t0));
  }

  function renderEdge(t0, shading, info) {
    const totals = edgeTotals(model.snapshots, model.measure.keys);
    if (!userSelected) {
      const lastAlert = model.alerts[model.alerts.length - 1];
      const b = lastAlert?.blamed?.[0];
      selected = b ? { src: b.src, dst: b.dst } : totals[0] ? { src: totals[0].src, dst: totals[0].dst } : null;
    }
    const same = (e) => selected && e.src === selected.src && e.dst === selected.dst;
    const list = totals.map((e) => ({ src: e.src, dst: e.dst }));
    if (selected && !list.some(same)) list.unshift(selected);
    // Rebuilt only when the edges change, so an open drop-down is not yanked away each interval.
    const signature = list.map((e) => edgeKey(e.src, e.dst)).join('\u0001');
    if (signature !== edgeListSignature) {
      edgeListSignature = signature;
      edgeList = list;
      replaceChildren(edgeSelect, list.map((e, i) => el('option', { value: String(i) }, `${e.src} → ${e.dst}`)));
    }
    if (!selected) return;
    edgeSelect.value = String(edgeList.findIndex(same));
    const x = model.snapshots.map((s) => s.t - t0);
    const values = edgeSeries(model.snapshots, selected, model.measure.keys);
    const band = ewmaBand(values, { alpha: info.ewma.lambda, k: info.ewma.k });
    const config = edgeChart({ src: selected.src, dst: selected.dst, x, values, ...band, lambda: info.ewma.lambda, k: info.ewma.k, unit: model.measure.unit, shading, xMax: info.durationSeconds });
    if (edgeChartInstance) updateChart(edgeChartInstance, config);
    else edgeChartInstance = makeChart(edgeBox.canvas, config);
  }

  function renderDetectors(t0, shading, info) {
    model.detectors.forEach((name, i) => {
      const verdicts = model.verdicts.get(name) ?? [];
      const scored = verdicts.filter((v) => !v.training && !v.gap);
      const first = scored[0];
      const trainingUntil = first ? intervalStart(first.t, first.dt) - t0 : info.trainingSeconds;
      const points = scored.map((v) => ({ x: v.t - t0, score: v.score, threshold: v.threshold, alarm: v.alarm }));
      const config = scoreChart({ detector: name, color: seriesColor(i), points, shading: { ...shading, trainingUntil }, intervalSeconds: info.intervalSeconds, xMax: info.durationSeconds });
      const chart = charts.get(name);
      if (chart) updateChart(chart, config);
      else {
        const { box, canvas } = chartBox(220);
        box.dataset.detector = name;
        detectorGrid.append(box);
        charts.set(name, makeChart(canvas, config));
      }
    });
  }

  function volume(e) {
    return edgeVolume(e, model.measure.keys);
  }

  return () => {
    source.close();
    clearTimeout(renderTimer);
    for (const c of charts.values()) c.destroy();
    edgeChartInstance?.destroy();
  };
}

function legend() {
  return el(
    'p',
    { class: 'legend' },
    el('span', { class: 'swatch swatch-edge' }),
    'traffic (width: log volume) ',
    el('span', { class: 'swatch swatch-blamed' }),
    'blamed by an alarm ',
    el('span', { class: 'swatch swatch-new' }),
    'new edge ',
    el('span', { class: 'swatch swatch-silent' }),
    'silent this interval; click an edge to chart it',
  );
}
