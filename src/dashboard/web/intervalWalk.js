// Step through a recorded run one interval at a time: the graph of that interval, its
// edges and what the detectors said about it (the timestamp-by-timestamp walk).
import { edgeKey, edgeVolume, volumeMeasure } from '/src/report/edgeVolumes.ts';
import { isAttack, overlaps } from '/src/evaluation/attackIntervals.ts';
import { intervalStart } from '/src/intervalBounds.ts';
import { ownValue } from '/src/ownValue.ts';
import { formatScore } from '/src/report/charts/index.ts';
import { getJson } from './api.js';
import { el, replaceChildren, table } from './dom.js';
import { formatBytes, formatClock, formatNumber, formatOffset, plural } from './format.js';
import { fromLine } from './liveModel.js';
import { createServiceGraph } from './serviceGraph.js';
import { visibleBidi } from '/src/visibleBidi.ts';

const BLOCK = 200;

/** `api(part)`: the run's API path for `part` ('/alerts', '/snapshots?...'), with its replay variant. */
export function mountIntervalWalk(box, api, run) {
  const total = run.intervals + run.invalidLines;
  if (total === 0) {
    replaceChildren(box, el('h3', null, 'Intervals'), el('p', { class: 'note' }, 'No interval recorded yet.'));
    return () => {};
  }
  const blocks = new Map();
  let alerts = [];
  let shown = -1;
  let alive = true;
  const volumeKeys = volumeMeasure(run.manifest.metrics).keys;
  const nodes = [...new Set([...(run.manifest.services ?? []), ...run.edges.flatMap((e) => [e.src, e.dst])])].sort();

  const slider = el('input', { type: 'range', id: 'interval-slider', min: 0, max: total - 1, step: 1, value: 0, 'aria-label': 'interval', oninput: () => show(Number(slider.value)) });
  const prev = el('button', { type: 'button', id: 'interval-prev', onclick: () => step(-1) }, '◀');
  const next = el('button', { type: 'button', id: 'interval-next', onclick: () => step(1) }, '▶');
  const label = el('p', { id: 'interval-label', class: 'interval-label' });
  const graph = createServiceGraph({ idPrefix: 'walk' });
  const detail = el('div', { id: 'interval-detail' });
  // The served intervals carry the replay's injected bytes (as its detectors saw them): said, not left to guess.
  const injected = run.injected ? el('p', { class: 'note', id: 'interval-injected' }, visibleBidi(`Edge volumes include the bytes this replay injected (--inject: ${run.injected}), as the detectors saw them.`)) : '';
  replaceChildren(box, el('h3', null, 'Intervals, one at a time'), injected, el('div', { class: 'walk-controls' }, prev, slider, next), label, el('div', { class: 'row' }, el('div', { class: 'graph-panel' }, graph.element), el('div', { class: 'alerts-panel' }, detail)));

  if (run.replay) getJson(api('/alerts')).then((r) => ((alerts = r.alerts), shown >= 0 && show(shown, true)), () => {});
  show(0);

  function step(d) {
    const i = Math.min(total - 1, Math.max(0, Number(slider.value) + d));
    slider.value = String(i);
    show(i);
  }

  function block(b) {
    if (!blocks.has(b)) blocks.set(b, getJson(api(`/snapshots?from=${b * BLOCK}&count=${BLOCK}`)).catch((e) => (blocks.delete(b), Promise.reject(e))));
    return blocks.get(b);
  }

  async function show(i, force = false) {
    if (i === shown && !force) return;
    shown = i;
    let entry;
    try {
      const data = await block(Math.floor(i / BLOCK));
      entry = data.intervals[i % BLOCK];
    } catch (e) {
      label.textContent = visibleBidi(`interval ${i + 1}: ${e.message}`);
      return;
    }
    if (!alive || shown !== i) return;
    if (!entry || entry.invalid !== undefined) {
      label.textContent = visibleBidi(`line ${i + 1} of ${total}: skipped (${entry?.invalid ?? 'missing'})`);
      graph.update({ nodes, edges: [] });
      replaceChildren(detail);
      return;
    }
    const s = fromLine(entry);
    const vol = (e) => edgeVolume(e, volumeKeys);
    const attack = run.events.some((e) => isAttack(e) && overlaps(s.t, s.dt, e));
    const here = alerts.filter((a) => Math.abs(a.t - s.t) < 1e-3);
    const blamed = new Set(here.flatMap((a) => a.blamed.map((b) => edgeKey(b.src, b.dst))));
    const values = new Map(s.edges.map((e) => [edgeKey(e.src, e.dst), vol(e)]));
    const edges = run.edges.map((e) => {
      const k = edgeKey(e.src, e.dst);
      return { src: e.src, dst: e.dst, value: s.gap ? null : (values.get(k) ?? 0), blamed: blamed.has(k), isNew: e.firstIndex === entry.i && entry.i > 0 };
    });
    graph.update({ nodes, edges, gap: s.gap });
    label.replaceChildren(
      `Interval ${i + 1} of ${total}: ${formatOffset(intervalStart(s.t, s.dt) - run.t0)} to ${formatOffset(s.t - run.t0)} (ends ${formatClock(s.t)}) `,
      attack ? el('span', { class: 'badge attack' }, 'attack interval') : '',
      s.gap ? el('span', { class: 'badge gap' }, `gap${s.reason ? `: ${s.reason}` : ''}`) : '',
      here.length > 0 ? el('span', { class: 'badge alarm' }, plural(here.length, 'alarm')) : '',
    );
    const alarmRows = here.map((a) => ({
      attrs: { 'data-detector': a.detector },
      cells: [a.detector, { text: formatScore(a.score), class: 'num' }, { text: formatScore(a.threshold), class: 'num' }, blamedText(a.blamed)],
    }));
    const edgeRows = [...s.edges].sort((a, b) => vol(b) - vol(a)).map((e) => [e.src, e.dst, { text: formatBytes(vol(e)), class: 'num' }, ...run.manifest.metrics.map((m) => ({ text: formatNumber(ownValue(e.values, m) ?? 0), class: 'num' }))]);
    replaceChildren(
      detail,
      el('h4', null, 'Alarms'),
      here.length > 0 ? table({ class: 'compact', id: 'interval-alarms' }, ['alarm', 'score', 'threshold', 'blamed edges'], alarmRows) : el('p', { class: 'note', id: 'interval-no-alarm' }, run.replay ? 'No alarm in this interval.' : run.problem ? 'Replay unreadable: no alarms to show.' : 'Not replayed: no alarms to show.'),
      el('h4', null, 'Edges'),
      s.gap ? el('p', { class: 'note' }, 'Telemetry could not be read: traffic unknown (not zero).') : el('div', { class: 'table-scroll' }, table({ class: 'compact', id: 'interval-edges' }, ['src', 'dst', 'volume', ...run.manifest.metrics], edgeRows)),
    );
  }

  return () => {
    alive = false;
  };
}

const MAX_BLAMED_SHOWN = 4;

/** The edges an alarm blames, the first few named, the rest counted. */
function blamedText(blamed) {
  if (blamed.length === 0) return '–';
  const named = blamed.slice(0, MAX_BLAMED_SHOWN).map((b) => `${b.src} → ${b.dst}`).join(', ');
  return blamed.length > MAX_BLAMED_SHOWN ? `${named} and ${blamed.length - MAX_BLAMED_SHOWN} more` : named;
}
