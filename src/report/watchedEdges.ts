import type { RunEvent } from '../types.ts';
import { edgeKey, type EdgeRef } from './edgeVolumes.ts';

/** Why an edge is charted (shown in its caption). */
export interface WatchedEdge extends EdgeRef {
  readonly reason: 'attack path' | 'top volume' | 'requested';
}

/**
 * The default edges to chart: those on the attacks' paths, then the `topByVolume` busiest
 * others. A path lists where the data went (e.g. user-db → user → front-end → external),
 * while telemetry records caller → callee, so each hop matches the edge in either
 * direction; hops never seen in the run, and `*` wildcards, are skipped.
 */
export function defaultWatchedEdges(
  attacks: readonly RunEvent[],
  totals: readonly { src: string; dst: string; total: number }[],
  topByVolume: number,
): WatchedEdge[] {
  const present = new Set(totals.map((e) => edgeKey(e.src, e.dst)));
  const chosen = new Map<string, WatchedEdge>();
  const add = (src: string, dst: string, reason: WatchedEdge['reason']) => {
    const k = edgeKey(src, dst);
    if (!chosen.has(k)) chosen.set(k, { src, dst, reason });
  };
  for (const attack of attacks) {
    const path = attack.path ?? [];
    for (let i = 0; i + 1 < path.length; i++) {
      const a = path[i];
      const b = path[i + 1];
      if (a === undefined || b === undefined || a === '*' || b === '*') continue;
      if (present.has(edgeKey(a, b))) add(a, b, 'attack path');
      if (present.has(edgeKey(b, a))) add(b, a, 'attack path');
    }
  }
  let extra = 0;
  for (const e of totals) {
    if (extra >= topByVolume) break;
    if (e.total <= 0 || chosen.has(edgeKey(e.src, e.dst))) continue;
    add(e.src, e.dst, 'top volume');
    extra++;
  }
  return [...chosen.values()];
}
