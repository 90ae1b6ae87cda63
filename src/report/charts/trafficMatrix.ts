import { edgeKey, type EdgeRef } from '../edgeVolumes.ts';

/** One interval's matrix: values[row * n + col] = volume from nodes[row] to nodes[col]. */
export interface TrafficMatrixPanel {
  readonly title: string;
  readonly values: Float64Array;
}

/** Data of the traffic-matrix heatmaps: a shared node order and colour scale. */
export interface TrafficMatrixSpec {
  /** Row (src) and column (dst) order. */
  readonly nodes: readonly string[];
  readonly panels: readonly TrafficMatrixPanel[];
  /** Largest value over all panels (the top of the colour scale). */
  readonly max: number;
  /** What the values are, e.g. `bytes`. */
  readonly unit: string;
  /** Cells outlined (edges on an attack's path). */
  readonly highlight: readonly { readonly row: number; readonly col: number }[];
  /** Nodes left out because there were too many to draw. */
  readonly omittedNodes: number;
}

export interface MatrixPanelInput {
  readonly title: string;
  readonly edges: readonly { readonly src: string; readonly dst: string; readonly value: number }[];
}

/** Most nodes drawn; beyond this cells become too small to read. */
export const MAX_MATRIX_NODES = 48;

/**
 * Build the heatmap data. Nodes: the run's `services` order first (the format says it fixes
 * dense matrices' order), then any other node seen, by name; past MAX_MATRIX_NODES the
 * least busy nodes are dropped.
 */
export function trafficMatrixSpec(services: readonly string[], panels: readonly MatrixPanelInput[], unit: string, highlight: readonly EdgeRef[]): TrafficMatrixSpec {
  const busy = new Map<string, number>();
  for (const s of services) busy.set(s, 0);
  for (const p of panels) {
    for (const e of p.edges) {
      busy.set(e.src, (busy.get(e.src) ?? 0) + e.value);
      busy.set(e.dst, (busy.get(e.dst) ?? 0) + e.value);
    }
  }
  const known = new Set(services);
  let nodes = [...services.filter((s, i) => services.indexOf(s) === i), ...[...busy.keys()].filter((n) => !known.has(n)).sort()];
  let omittedNodes = 0;
  if (nodes.length > MAX_MATRIX_NODES) {
    const keep = new Set([...nodes].sort((a, b) => (busy.get(b) ?? 0) - (busy.get(a) ?? 0)).slice(0, MAX_MATRIX_NODES));
    omittedNodes = nodes.length - keep.size;
    nodes = nodes.filter((n) => keep.has(n));
  }
  const n = nodes.length;
  const position = new Map(nodes.map((node, i) => [node, i]));
  let max = 0;
  const built = panels.map((p): TrafficMatrixPanel => {
    const values = new Float64Array(n * n);
    for (const e of p.edges) {
      const row = position.get(e.src);
      const col = position.get(e.dst);
      if (row === undefined || col === undefined) continue;
      values[row * n + col] = (values[row * n + col] ?? 0) + e.value;
      if (values[row * n + col]! > max) max = values[row * n + col]!;
    }
    return { title: p.title, values };
  });
  const marks = new Set<string>();
  const cells: { row: number; col: number }[] = [];
  for (const h of highlight) {
    const row = position.get(h.src);
    const col = position.get(h.dst);
    if (row === undefined || col === undefined || marks.has(edgeKey(h.src, h.dst))) continue;
    marks.add(edgeKey(h.src, h.dst));
    cells.push({ row, col });
  }
  return { nodes, panels: built, max, unit, highlight: cells, omittedNodes };
}

// Light yellow to dark red (ColorBrewer YlOrRd), by log volume.
const STOPS: readonly (readonly [number, number, number])[] = [
  [255, 255, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
];

/** Colour of a cell: zero is pale grey (no traffic), otherwise by log10(1 + value) against the max. */
export function heatColor(value: number, max: number): string {
  if (!(value > 0)) return '#f2f2f2';
  const f = max > 0 ? Math.min(1, Math.log10(1 + value) / Math.log10(1 + max)) : 1;
  const pos = f * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(pos));
  const r = pos - i;
  const a = STOPS[i] ?? [0, 0, 0];
  const b = STOPS[i + 1] ?? a;
  const mix = (j: 0 | 1 | 2) => Math.round(a[j] + (b[j] - a[j]) * r);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}
