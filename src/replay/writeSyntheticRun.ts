import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FORMAT } from '../store/index.ts';
import type { RunEvent } from '../types.ts';
import { syntheticCallGraph } from './syntheticCallGraph.ts';
import { mulberry32 } from '../mulberry32.ts';
import { poisson } from './poisson.ts';

export interface SyntheticRunOptions {
  /** Number of services (svc-0 is the front door, called from `external`). */
  readonly services: number;
  /** Mean number of callees per service. Default 5. */
  readonly edgesPerService?: number;
  /** Intervals to write. */
  readonly intervals: number;
  /** Interval length in seconds. Default 5. */
  readonly intervalSeconds?: number;
  /** Exfiltrations to inject, spread over the second half of the run. Default 3. */
  readonly exfiltrations?: number;
  /** Seed of the pseudo-random generator (same seed, same run). Default 1. */
  readonly seed?: number;
  /** Unix seconds the run starts at. Default 1.7e9. */
  readonly startSeconds?: number;
  /** Called every few intervals with how many are written. */
  readonly progress?: (written: number) => void;
}

export interface SyntheticRun {
  readonly dir: string;
  readonly edges: number;
  readonly intervals: number;
  readonly events: readonly RunEvent[];
}

/**
 * Write a run-format directory of synthetic but realistically noisy mesh traffic, for
 * benchmarks: a shallow call graph with shared services (see syntheticCallGraph), per-edge
 * request rates spread over orders of magnitude (log-normal), Poisson request counts,
 * log-normal message sizes, a slow load swing over the run, idle edges left out of an
 * interval, and a few exfiltrations pulled as response bytes up a call chain and out through
 * the front door (with their events). Streams to disk.
 */
export function writeSyntheticRun(dir: string, options: SyntheticRunOptions): SyntheticRun {
  const random = mulberry32(options.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const n = options.services;
  const perService = options.edgesPerService ?? 5;
  const dt = options.intervalSeconds ?? 5;
  const start = options.startSeconds ?? 1_700_000_000;
  const names = Array.from({ length: n }, (_, i) => `svc-${i}`);

  // Caller → callees, always later services, so call chains run from svc-0 downwards.
  const calleesOf = syntheticCallGraph(n, perService, random, gauss);
  const src: string[] = ['external'];
  const dst: string[] = ['svc-0'];
  for (let i = 0; i < n; i++) {
    for (const j of calleesOf[i]!) {
      src.push(names[i]!);
      dst.push(names[j]!);
    }
  }
  const edges = src.length;
  const rate = Float64Array.from({ length: edges }, (_, e) => (e === 0 ? 40 : Math.exp(Math.log(4) + 1.3 * gauss())));
  const requestSize = Float64Array.from({ length: edges }, () => Math.exp(Math.log(400) + 0.5 * gauss()));
  const responseSize = Float64Array.from({ length: edges }, () => Math.exp(Math.log(3000) + 0.9 * gauss()));
  const prefix = Array.from({ length: edges }, (_, e) => `{"src":"${src[e]}","dst":"${dst[e]}","requests":`);

  // Exfiltration: data pulled up a call chain svc-0 → a → b and out to external.
  const chain = [0];
  while (chain.length < 3 && calleesOf[chain.at(-1)!]!.length > 0) chain.push(calleesOf[chain.at(-1)!]![0]!);
  const edgeIndex = (s: string, d: string) => src.findIndex((x, e) => x === s && dst[e] === d);
  const exfilEdges = [edgeIndex('external', 'svc-0'), ...chain.slice(1).map((j, k) => edgeIndex(names[chain[k]!]!, names[j]!))];
  const exfilCount = options.exfiltrations ?? 3;
  const events: RunEvent[] = [];
  const exfilAt = new Map<number, number>();
  for (let x = 0; x < exfilCount; x++) {
    const first = Math.floor(options.intervals * (0.5 + (0.45 * x) / Math.max(1, exfilCount)));
    const length = 2 + Math.floor(random() * 3);
    // Twice what the front door usually returns in an interval: it stands out there, as a real
    // bulk pull would, whatever response size this seed gave the front door.
    const bytesPerInterval = Math.round(2 * rate[0]! * dt * responseSize[0]!);
    for (let i = first; i < Math.min(options.intervals, first + length); i++) exfilAt.set(i, bytesPerInterval);
    events.push({
      kind: 'exfiltration',
      start: start + first * dt,
      end: start + Math.min(options.intervals, first + length) * dt,
      bytes: bytesPerInterval * length,
      path: [...chain.map((j) => names[j]!).reverse(), 'external'],
      method: 'synthetic',
    });
  }

  mkdirSync(dir, { recursive: true });
  const metrics = ['requests', 'request_bytes', 'response_bytes'];
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify({ format: RUN_FORMAT, name: `synthetic-${n}`, intervalSeconds: dt, metrics, services: [...names, 'external'], source: { kind: 'synthetic', seed: options.seed ?? 1 }, complete: true }, null, 2)}\n`);
  writeFileSync(join(dir, 'events.ndjson'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const fd = openSync(join(dir, 'snapshots.ndjson'), 'w');
  try {
    for (let i = 0; i < options.intervals; i++) {
      const load = 1 + 0.4 * Math.sin((2 * Math.PI * i) / Math.max(10, options.intervals)) + 0.05 * gauss();
      const exfil = exfilAt.get(i) ?? 0;
      const parts: string[] = [];
      for (let e = 0; e < edges; e++) {
        const requests = poisson(rate[e]! * dt * Math.max(0.05, load), random, gauss);
        let responseBytes = requests === 0 ? 0 : Math.round(requests * responseSize[e]! * Math.exp(0.2 * gauss()));
        if (exfil > 0 && exfilEdges.includes(e)) responseBytes += exfil;
        if (requests === 0 && responseBytes === 0) continue;
        const requestBytes = Math.round(requests * requestSize[e]! * Math.exp(0.1 * gauss()));
        parts.push(`${prefix[e]}${requests},"request_bytes":${requestBytes},"response_bytes":${responseBytes}}`);
      }
      writeSync(fd, `{"t":${start + (i + 1) * dt},"dt":${dt},"edges":[${parts.join(',')}]}\n`);
      if (i % 50 === 0) options.progress?.(i);
    }
  } finally {
    closeSync(fd);
  }
  return { dir, edges, intervals: options.intervals, events };
}
