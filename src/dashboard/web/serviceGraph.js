// The service graph: workloads as nodes, edges weighted by one interval's volume, edges an
// alarm blames in red, edges never seen before marked. Drawn as SVG from text nodes only.
import { shortName } from '/src/report/charts/index.ts';
import { edgeKey } from '/src/report/edgeVolumes.ts';
import { svg } from './dom.js';
import { formatBytes } from './format.js';

const WIDTH = 900;
const PAD_X = 90;
const ROW = 58;
const RADIUS = 9;
const ENTRY = /^(?:external|unknown)$/;
const NODE_LABEL_CHARS = 22;

/**
 * Columns by longest call chain from where traffic enters (nodes named external/unknown,
 * then nodes nothing calls), ignoring the edges that close a cycle (such as data leaving
 * back to `external`); rows ordered by their callers' rows so edges cross less.
 */
function layout(nodes, edges) {
  const callees = new Map(nodes.map((n) => [n, []]));
  const callers = new Map(nodes.map((n) => [n, []]));
  for (const e of edges) {
    if (e.src === e.dst || !callees.has(e.src) || !callees.has(e.dst)) continue;
    callees.get(e.src).push(e.dst);
    callers.get(e.dst).push(e.src);
  }
  const sorted = [...nodes].sort();
  const starts = [...sorted.filter((n) => ENTRY.test(n)), ...sorted.filter((n) => !ENTRY.test(n) && callers.get(n).length === 0), ...sorted];
  // Depth-first from the entries: an edge to a node still on the stack closes a cycle.
  const state = new Map();
  const order = [];
  const back = new Set();
  for (const root of starts) {
    if (state.has(root)) continue;
    const stack = [[root, 0]];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      const next = callees.get(n)[i];
      if (next === undefined) {
        state.set(n, 'done');
        order.push(n);
        stack.pop();
        continue;
      }
      top[1] += 1;
      if (state.get(next) === 'open') back.add(edgeKey(n, next));
      else if (!state.has(next)) {
        state.set(next, 'open');
        stack.push([next, 0]);
      }
    }
  }
  const depth = new Map();
  for (const n of order.reverse()) {
    const ds = callers.get(n).filter((c) => !back.has(edgeKey(c, n)) && depth.has(c)).map((c) => depth.get(c) + 1);
    depth.set(n, ds.length > 0 ? Math.max(...ds) : 0);
  }
  const columns = [];
  for (const n of sorted) (columns[depth.get(n)] ??= []).push(n);
  const row = new Map();
  columns.forEach((col, c) => {
    if (c > 0) {
      const center = (n) => {
        const ys = callers.get(n).filter((m) => row.has(m)).map((m) => row.get(m));
        return ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY;
      };
      col.sort((a, b) => center(a) - center(b) || a.localeCompare(b));
    }
    col.forEach((n, i) => row.set(n, (i + 0.5) / col.length));
  });
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = Math.max(240, tallest * ROW + 30);
  const span = Math.max(1, columns.length - 1);
  const pos = new Map();
  for (const n of nodes) pos.set(n, { x: PAD_X + ((WIDTH - 2 * PAD_X) * depth.get(n)) / span, y: 15 + row.get(n) * (height - 30) });
  return { pos, height };
}

function curve(a, b, bend) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const cx = (a.x + b.x) / 2 - (dy / len) * bend;
  const cy = (a.y + b.y) / 2 + (dx / len) * bend;
  // End at the target's rim, so the arrowhead shows.
  const ex = b.x - cx;
  const ey = b.y - cy;
  const el = Math.hypot(ex, ey) || 1;
  const end = { x: b.x - (ex / el) * (RADIUS + 3), y: b.y - (ey / el) * (RADIUS + 3) };
  const mid = { x: 0.25 * a.x + 0.5 * cx + 0.25 * end.x, y: 0.25 * a.y + 0.5 * cy + 0.25 * end.y };
  return { d: `M ${a.x.toFixed(1)} ${a.y.toFixed(1)} Q ${cx.toFixed(1)} ${cy.toFixed(1)} ${end.x.toFixed(1)} ${end.y.toFixed(1)}`, mid };
}

function marker(id, color) {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: color }));
}

/**
 * A graph that redraws itself on update({ nodes, edges, selected, gap }): edges carry
 * { src, dst, value (this interval; null when unknown), blamed, isNew }. `onSelect(edge)`
 * is called when an edge is clicked.
 */
export function createServiceGraph({ onSelect, idPrefix = 'g' } = {}) {
  const root = svg('svg', { class: 'service-graph', viewBox: `0 0 ${WIDTH} 240`, role: 'img', 'aria-label': 'service graph' });
  let cached = { signature: '', layout: undefined };
  const ids = { plain: `${idPrefix}-arrow`, blamed: `${idPrefix}-arrow-blamed`, isNew: `${idPrefix}-arrow-new` };

  function update({ nodes, edges, selected, gap }) {
    const signature = `${nodes.join('\u0001')}\u0002${edges.map((e) => edgeKey(e.src, e.dst)).join('\u0001')}`;
    if (signature !== cached.signature) cached = { signature, layout: layout(nodes, edges) };
    const { pos, height } = cached.layout;
    root.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    const max = Math.max(0, ...edges.map((e) => e.value ?? 0));
    const scale = (v) => (v > 0 && max > 0 ? 1.5 + (7 * Math.log10(1 + v)) / Math.log10(1 + max) : 1);
    const pairs = new Set(edges.map((e) => edgeKey(e.src, e.dst)));
    const edgeGroup = svg('g', { class: 'edges' });
    const labels = svg('g', { class: 'edge-labels' });
    // Quiet edges first, so busy and blamed ones are drawn over them.
    const ordered = [...edges].sort((a, b) => Number(a.blamed) - Number(b.blamed) || (a.value ?? 0) - (b.value ?? 0));
    for (const e of ordered) {
      const a = pos.get(e.src);
      const b = pos.get(e.dst);
      if (!a || !b || e.src === e.dst) continue;
      const backward = b.x <= a.x;
      const bend = backward ? 45 : pairs.has(edgeKey(e.dst, e.src)) ? 14 : 6;
      const { d, mid } = curve(a, b, bend);
      const silent = !(e.value > 0);
      const isSelected = selected && selected.src === e.src && selected.dst === e.dst;
      const classes = ['edge', e.blamed && 'edge-blamed', e.isNew && 'edge-new', silent && 'edge-silent', isSelected && 'edge-selected', gap && 'edge-unknown'];
      const arrow = e.blamed ? ids.blamed : e.isNew ? ids.isNew : ids.plain;
      const what = e.value === null || e.value === undefined ? 'unknown (no telemetry)' : `${formatBytes(e.value)} this interval`;
      const note = [e.blamed ? 'blamed by an alarm' : '', e.isNew ? 'new edge' : ''].filter(Boolean).join(', ');
      const title = svg('title', null, `${e.src} → ${e.dst}: ${what}${note ? ` (${note})` : ''}`);
      const group = svg('g', { class: classes, 'data-src': e.src, 'data-dst': e.dst, onclick: () => onSelect?.(e) }, title);
      group.append(svg('path', { class: 'edge-hit', d }), svg('path', { class: 'edge-line', d, 'stroke-width': scale(e.value ?? 0).toFixed(2), 'marker-end': `url(#${arrow})` }));
      edgeGroup.append(group);
      if (e.isNew) labels.append(svg('text', { class: 'edge-tag', x: mid.x.toFixed(1), y: (mid.y - 5).toFixed(1) }, 'new'));
    }
    const nodeGroup = svg('g', { class: 'nodes' });
    for (const n of nodes) {
      const p = pos.get(n);
      nodeGroup.append(
        svg('g', { class: ['node', ENTRY.test(n) && 'node-outside'], 'data-node': n }, svg('title', null, n), svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: RADIUS }), svg('text', { x: p.x.toFixed(1), y: (p.y + RADIUS + 13).toFixed(1) }, shortName(n, NODE_LABEL_CHARS))),
      );
    }
    const defs = svg('defs', null, marker(ids.plain, '#5b6b7d'), marker(ids.blamed, '#c00000'), marker(ids.isNew, '#d97706'));
    root.replaceChildren(defs, edgeGroup, labels, nodeGroup);
  }

  return { element: root, update };
}
