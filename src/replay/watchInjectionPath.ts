import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { DEFAULT_OUTSIDE_NODES, OutsideNodes } from '../detectors/series/index.ts';
import { intervalStart, isBefore } from '../intervalBounds.ts';
import type { Snapshot } from '../types.ts';
import { terminalText } from '../terminalText.ts';
import { edgeKey } from '../edgeKey.ts';

/** A matrix edge, caller → callee. */
export interface PathEdge {
  readonly src: string;
  readonly dst: string;
}

/**
 * Watches a run's own traffic (before anything is injected) for the nodes of an injection's
 * path and the edges its hops add bytes to (`hopEdges`, caller → callee: injectionEdges), up
 * to and including the first interval the injection reaches (window start `firstStartSeconds`
 * after the run start, a non-gap interval overlapping it). A node or edge the run has not shown
 * by then (the default path's `external` on a run whose outside world is an address, a typo,
 * or a route skipping a hop the run has, such as user-db → front-end) makes the injection add
 * edges the run never had: new-edge, which alarms on edges, would alarm on the route, not the
 * exfiltration. `onUnseen` gets the missing nodes, the missing edges between nodes seen, and
 * the run's nodes that stand for an outside world; never called when everything was seen or
 * the window is never reached.
 */
export function watchInjectionPath(
  path: readonly string[],
  hopEdges: readonly PathEdge[],
  firstStartSeconds: number,
  onUnseen: (missing: readonly string[], missingEdges: readonly PathEdge[], outsideLooking: readonly string[]) => void,
): MonoTypeOperatorFunction<Snapshot> {
  return (snapshots) =>
    defer(() => {
      const seen = new Set<string>();
      // src → dst pairs seen, as `src\0dst` (NUL: no node name holds one).
      const seenEdges = new Set<string>();
      let windowStart = Number.NaN;
      let done = false;
      return snapshots.pipe(
        tap((s) => {
          if (done) return;
          if (Number.isNaN(windowStart)) windowStart = intervalStart(s.t, s.dt) + firstStartSeconds;
          for (const e of s.edges) {
            seen.add(e.src);
            seen.add(e.dst);
            seenEdges.add(edgeKey(e.src, e.dst));
          }
          if (s.gap || !isBefore(windowStart, s.t)) return;
          done = true;
          const missing = path.filter((n, i) => !seen.has(n) && path.indexOf(n) === i);
          // An edge with a missing node is said by that node.
          const missingEdges = hopEdges.filter((e) => seen.has(e.src) && seen.has(e.dst) && !seenEdges.has(edgeKey(e.src, e.dst)));
          if (missing.length > 0 || missingEdges.length > 0) {
            const outside = new OutsideNodes(DEFAULT_OUTSIDE_NODES, true);
            onUnseen(missing, missingEdges, [...seen].filter((n) => outside.has(n)).sort());
          }
        }),
      );
    });
}

/** The warning for path nodes and hop edges the run has not shown (see watchInjectionPath). */
export function unseenPathWarning(path: readonly string[], isDefault: boolean, firstStartSeconds: number, missing: readonly string[], missingEdges: readonly PathEdge[], outsideLooking: readonly string[]): string {
  const nodes = missing.length === 0 ? [] : [`${missing.length === 1 ? 'node' : 'nodes'} ${missing.map((n) => JSON.stringify(n)).join(', ')}`];
  const edges = missingEdges.length === 0 ? [] : [`${missingEdges.length === 1 ? 'edge' : 'edges'} ${missingEdges.map((e) => `${terminalText(e.src)} → ${terminalText(e.dst)}`).join(', ')}`];
  // Where the data leaves is the node most often missing (the default's `external`): name the run's own candidates.
  const exit = path[path.length - 1]!;
  const outside =
    missing.includes(exit) && outsideLooking.length > 0
      ? `; this run's outside world looks like ${outsideLooking.join(', ')} (e.g. --inject-path ${[...path.slice(0, -1), outsideLooking[0]!].join(',')})`
      : '; see --inject-path';
  return (
    `--inject-path ${path.join(',')}${isDefault ? ' (the default)' : ''}: ${[...nodes, ...edges].join(' and ')} ` +
    `not seen in the run by the first injected interval (${firstStartSeconds} s): the injection adds edges the run never had, ` +
    `so a new-edge alarm tells the route, not the exfiltration${outside}`
  );
}
