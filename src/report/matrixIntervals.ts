import type { MetricKey } from '../types.ts';
import { edgeKey, edgeVolume, type EdgeRef } from './edgeVolumes.ts';
import type { Timeline } from './timeline.ts';

/** Which intervals the traffic-matrix heatmaps show (positions in the snapshot list). */
export interface MatrixIntervals {
  /** A typical benign interval: the median total volume among benign, non-gap intervals. */
  readonly benign?: number;
  /** The worst attack interval: most volume on the attacks' path edges (or in total, without paths). */
  readonly attack?: number;
}

export function pickMatrixIntervals(timeline: Timeline, keys: readonly MetricKey[], pathEdges: readonly EdgeRef[]): MatrixIntervals {
  const onPath = new Set(pathEdges.map((e) => edgeKey(e.src, e.dst)));
  const benign: { pos: number; total: number }[] = [];
  let attack: { pos: number; score: number } | undefined;
  timeline.snapshots.forEach((s, pos) => {
    if (s.gap) return;
    let total = 0;
    let path = 0;
    for (const e of s.edges) {
      const v = edgeVolume(e, keys);
      total += v;
      if (onPath.has(edgeKey(e.src, e.dst))) path += v;
    }
    if (!timeline.attack[pos]) benign.push({ pos, total });
    else {
      const score = onPath.size > 0 ? path : total;
      if (!attack || score > attack.score) attack = { pos, score };
    }
  });
  benign.sort((a, b) => a.total - b.total || a.pos - b.pos);
  const median = benign[Math.floor((benign.length - 1) / 2)];
  return { ...(median ? { benign: median.pos } : {}), ...(attack ? { attack: attack.pos } : {}) };
}
