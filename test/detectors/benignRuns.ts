// Seeded synthetic BENIGN runs for the calibration suite: several shapes and sizes of mesh
// traffic with no attack, so every alarm on them is a false alarm. Made here, from a seed, so
// the suite needs no data files and every figure it checks can be reproduced.

import type { EdgeSample, Snapshot } from '../../src/types.ts';
import { seededRandom } from '../util.ts';

/**
 * - `steady`: Poisson request counts, log-normal message sizes, a shared ±5 % load wobble;
 * - `bursty`: steady, plus on 1 % of edge-intervals a burst multiplying the edge's bytes by
 *   1 + 3·Pareto(1.5) (batch jobs, retries, cache refills: heavy-tailed in time);
 * - `heavy`: message sizes Pareto(2.2) instead of log-normal (heavy-tailed volumes);
 * - `intermittent`: steady, but a quarter of the edges are health checks or batch jobs: silent,
 *   then ~5 kB every 10-50 intervals;
 * - `diurnal`: steady under a ±50 % load swing with a 300-interval period (Munnin's curve, faster);
 * - `lumpy`: steady, but a quarter of the edges report their bytes only every third interval
 *   (what a real Envoy's 5-s stats flush gives 2-s intervals: 0, 0, then three intervals' worth),
 *   each edge on its own phase.
 *
 * Two shapes whose load leaves the range the training saw, not in BENIGN_SHAPES (the suite's
 * table) but checked on their own (calibration.test.ts, "load outside training"):
 * - `slow-diurnal`: steady under a ±50 % load swing of one period over the whole run (a day's
 *   cycle, of which training sees the start only);
 * - `step`: steady, the load doubling for good half-way through (a deploy, a new client).
 */
export type BenignShape = 'steady' | 'bursty' | 'heavy' | 'intermittent' | 'diurnal' | 'lumpy' | 'slow-diurnal' | 'step';

export const BENIGN_SHAPES: readonly BenignShape[] = ['steady', 'bursty', 'heavy', 'intermittent', 'diurnal', 'lumpy'];

export interface BenignRunOptions {
  readonly shape: BenignShape;
  /** Edges of the mesh (callers → callees among `edges / 3 + 2` services, plus external → svc-0). */
  readonly edges: number;
  readonly intervals: number;
  readonly seed: number;
  /** Interval length in seconds. Default 2. */
  readonly dt?: number;
}

export function benignRun(options: BenignRunOptions): Snapshot[] {
  const random = seededRandom(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const poisson = (mean: number) => {
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  };
  const dt = options.dt ?? 2;
  const services = Math.max(3, Math.floor(options.edges / 3) + 2);
  const pairs: [string, string][] = [['external', 'svc-0']];
  const seen = new Set<string>(['external>svc-0']);
  while (pairs.length < options.edges) {
    const a = Math.floor(random() * (services - 1));
    const b = a + 1 + Math.floor(random() * (services - 1 - a));
    if (seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    pairs.push([`svc-${a}`, `svc-${b}`]);
  }
  const m = pairs.length;
  const rate = Array.from({ length: m }, () => Math.exp(Math.log(4) + 1.2 * gauss()));
  const size = Array.from({ length: m }, () => Math.exp(Math.log(2000) + gauss()));
  const every = Array.from({ length: m }, (_, e) => (options.shape === 'intermittent' && e % 4 === 1 ? 10 + Math.floor(random() * 40) : 0));
  const lumpy = Array.from({ length: m }, (_, e) => options.shape === 'lumpy' && e % 4 === 2);
  // Each sidecar flushes on its own clock: the phase of the 3-interval cycle differs per edge.
  const phase = Array.from({ length: m }, () => Math.floor(random() * 3));
  const held = new Float64Array(m * 3);
  const out: Snapshot[] = [];
  for (let t = 0; t < options.intervals; t++) {
    let load = 1 + 0.05 * gauss();
    if (options.shape === 'diurnal') load *= 1 + 0.5 * Math.sin((2 * Math.PI * t) / 300);
    if (options.shape === 'slow-diurnal') load *= 1 + 0.5 * Math.sin((2 * Math.PI * t) / options.intervals);
    if (options.shape === 'step' && t >= options.intervals / 2) load *= 2;
    const edges: EdgeSample[] = [];
    for (let e = 0; e < m; e++) {
      const [src, dst] = pairs[e]!;
      if (every[e]! > 0) {
        if (t % every[e]! === 0) edges.push({ src, dst, values: { requests: 1, request_bytes: 200, response_bytes: 4800 + Math.round(20 * gauss()) } });
        continue;
      }
      const requests = poisson(rate[e]! * dt * load);
      if (requests === 0) continue;
      let bytes = 0;
      const sampled = Math.min(requests, 200);
      for (let i = 0; i < sampled; i++) bytes += options.shape === 'heavy' ? 0.5 * size[e]! * (1 - random()) ** (-1 / 2.2) : size[e]! * Math.exp(0.4 * gauss());
      bytes *= requests / sampled;
      if (options.shape === 'bursty' && random() < 0.01) bytes *= 1 + 3 * (1 - random()) ** (-1 / 1.5);
      let requestBytes = Math.round(0.1 * bytes);
      let responseBytes = Math.round(bytes) - requestBytes;
      if (lumpy[e]) {
        // Held back until the flush (requests are counted at once, as Envoy's counters are).
        held[3 * e]! += requestBytes;
        held[3 * e + 1]! += responseBytes;
        if ((t + phase[e]!) % 3 !== 2) requestBytes = responseBytes = 0;
        else {
          requestBytes = held[3 * e]!;
          responseBytes = held[3 * e + 1]!;
          held[3 * e] = held[3 * e + 1] = 0;
        }
      }
      edges.push({ src, dst, values: { requests, request_bytes: requestBytes, response_bytes: responseBytes } });
    }
    out.push({ t: 1_700_000_000 + (t + 1) * dt, dt, gap: false, edges });
  }
  return out;
}
