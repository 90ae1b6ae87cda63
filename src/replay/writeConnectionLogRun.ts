import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../mulberry32.ts';
import { RUN_FORMAT } from '../store/index.ts';
import type { RunEvent } from '../types.ts';

export interface ConnectionLogRunOptions {
  /** Intervals to write (a converted log: one per minute of the log). */
  readonly intervals: number;
  /** Host names in the log; clients are drawn from all of them, so the set seen grows all run long. Default 20,000. */
  readonly nodes?: number;
  /** Mean number of edges (client → server pairs with connections) per interval. Default 100. */
  readonly edgesPerInterval?: number;
  /** Interval length in seconds. Default 60. */
  readonly intervalSeconds?: number;
  /** Seed of the pseudo-random generator. Default 1. */
  readonly seed?: number;
  /** Called every few thousand intervals with how many are written. */
  readonly progress?: (written: number) => void;
}

/** Hosts that serve (called by many): the first SERVERS names, popularity 1/rank. */
const SERVERS = 500;
/** Pairs that recur (a client's usual servers), drawn at start. */
const RECURRING_PAIRS = 2_000;
/** Share of an interval's edges that are recurring pairs; the rest are one-off pairs. */
const RECURRING_SHARE = 0.7;

/**
 * A run shaped like a converted connection log (e.g. a network flow or authentication log
 * binned per minute): many hosts, few of them active at once, connection counts only
 * (`requests`). Each interval holds about `edgesPerInterval` pairs, most of them from a pool of
 * recurring client → server pairs (heavy-tailed: a few dominate), the rest one-off pairs of a
 * random client with a popular server, so new nodes and new edges keep appearing all run long,
 * as in real logs. Three exfiltrations: a host opens many connections to `external` for
 * three intervals (with their events). Streams to disk; for the benchmark.
 */
export function writeConnectionLogRun(dir: string, options: ConnectionLogRunOptions): { readonly dir: string; readonly nodes: number; readonly intervals: number } {
  const random = mulberry32(options.seed ?? 1);
  const nodes = options.nodes ?? 20_000;
  const perInterval = options.edgesPerInterval ?? 100;
  const dt = options.intervalSeconds ?? 60;
  const start = 1_700_000_000;
  const names = Array.from({ length: nodes }, (_, i) => `h-${i}`);
  const zipf = cumulative(Math.min(SERVERS, nodes), (rank) => 1 / (rank + 1));
  const server = () => pick(zipf, random());
  const client = () => Math.floor(random() * nodes);
  const pool = Array.from({ length: RECURRING_PAIRS }, () => [client(), server()] as const);
  const poolWeights = cumulative(RECURRING_PAIRS, (rank) => 1 / (rank + 1));

  const events: RunEvent[] = [];
  const exfiltration = new Map<number, number>();
  for (let x = 0; x < 3; x++) {
    const first = Math.floor(options.intervals * (0.5 + 0.15 * x));
    const host = client();
    for (let i = first; i < Math.min(options.intervals, first + 3); i++) exfiltration.set(i, host);
    events.push({ kind: 'exfiltration', start: start + first * dt, end: start + Math.min(options.intervals, first + 3) * dt, path: [names[host]!, 'external'], method: 'synthetic' });
  }

  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify({ format: RUN_FORMAT, name: `connection-log-${nodes}`, intervalSeconds: dt, metrics: ['requests'], source: { kind: 'synthetic', shape: 'connection-log', seed: options.seed ?? 1 }, complete: true }, null, 2)}\n`);
  writeFileSync(join(dir, 'events.ndjson'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const fd = openSync(join(dir, 'snapshots.ndjson'), 'w');
  try {
    const seen = new Set<number>();
    for (let i = 0; i < options.intervals; i++) {
      seen.clear();
      const parts: string[] = [];
      const count = Math.max(1, Math.round(perInterval * (1 + 0.2 * (random() - 0.5))));
      // Distinct pairs: a popular recurring pair drawn twice is one edge, so draw again.
      for (let attempts = 0; parts.length < count && attempts < 4 * count; attempts++) {
        const [s, d] = random() < RECURRING_SHARE ? pool[pick(poolWeights, random())]! : [client(), server()];
        if (s === d || seen.has(s * nodes + d)) continue;
        seen.add(s * nodes + d);
        // Connections per pair and minute: mostly a few, sometimes hundreds (Pareto, α = 1.5).
        const requests = Math.floor(Math.pow(1 - random(), -1 / 1.5));
        parts.push(`{"src":"${names[s]}","dst":"${names[d]}","requests":${requests}}`);
      }
      const host = exfiltration.get(i);
      if (host !== undefined) parts.push(`{"src":"${names[host]}","dst":"external","requests":${200 + Math.floor(random() * 100)}}`);
      writeSync(fd, `{"t":${start + (i + 1) * dt},"dt":${dt},"edges":[${parts.join(',')}]}\n`);
      if (i % 5000 === 0) options.progress?.(i);
    }
  } finally {
    closeSync(fd);
  }
  return { dir, nodes, intervals: options.intervals };
}

function cumulative(n: number, weight: (rank: number) => number): Float64Array {
  const c = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) c[j + 1] = c[j]! + weight(j);
  return c;
}

/** Index j with probability weight(j) / total: binary search of u · total in the prefix sums. */
function pick(c: Float64Array, u: number): number {
  const x = u * c[c.length - 1]!;
  let lo = 0;
  let hi = c.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid + 1]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
