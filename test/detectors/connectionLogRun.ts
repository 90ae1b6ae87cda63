// A seeded benign run shaped like a converted connection log (per-minute connection counts
// per host pair, `requests` only): a pool of recurring client → server pairs (a few dominate)
// and one-off pairs of a random client with a popular server, so about a third of each
// minute's pairs were never seen before, under a daily swing of activity; optionally with
// fast network sweeps (one host connecting to `scanTargets` hosts in one minute). Built from
// the definitions of such logs, not from any real trace.

import type { EdgeSample, Snapshot } from '../../src/types.ts';
import { seededRandom } from '../util.ts';

export interface ConnectionLogOptions {
  readonly intervals: number;
  readonly hosts: number;
  readonly seed: number;
  /** Intervals (0-based) in which a fresh host sweeps `scanTargets` random hosts. */
  readonly scansAt?: readonly number[];
  readonly scanTargets?: number;
}

export function connectionLogRun(o: ConnectionLogOptions): { readonly snapshots: Snapshot[]; readonly scanners: readonly string[] } {
  const random = seededRandom(o.seed);
  const servers = Math.min(200, o.hosts);
  const popular = () => Math.min(servers - 1, Math.floor(random() ** 2.5 * servers));
  const pool = Array.from({ length: 1500 }, () => [Math.floor(random() * o.hosts), popular()] as const);
  const scanners: string[] = [];
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < o.intervals; i++) {
    const day = 1 + 0.6 * Math.sin((2 * Math.PI * i) / 1440);
    const count = Math.max(5, Math.round(60 * day * (0.9 + 0.2 * random())));
    const edges = new Map<string, EdgeSample>();
    const add = (s: number | string, d: number, requests: number) => {
      const key = `${s}>${d}`;
      const e = edges.get(key);
      if (e === undefined) edges.set(key, { src: `h-${s}`, dst: `h-${d}`, values: { requests } });
      else (e.values as Record<string, number>)['requests']! += requests;
    };
    for (let k = 0; k < count; k++) {
      const [s, d] = random() < 0.7 ? pool[Math.floor(random() ** 2 * pool.length)]! : [Math.floor(random() * o.hosts), popular()];
      // Connections per pair and minute: mostly a few, sometimes hundreds (Pareto, index 1.5).
      if (s !== d) add(s, d, Math.floor((1 - random()) ** (-1 / 1.5)));
    }
    if (o.scansAt?.includes(i)) {
      const scanner = `scanner-${scanners.length}`;
      scanners.push(`h-${scanner}`);
      for (let k = 0; k < (o.scanTargets ?? 100); k++) add(scanner, Math.floor(random() * o.hosts), 1);
    }
    snapshots.push({ t: 1_700_000_000 + (i + 1) * 60, dt: 60, gap: false, edges: [...edges.values()] });
  }
  return { snapshots, scanners };
}
