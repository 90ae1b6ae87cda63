// A seeded benign run shaped like Sock Shop (front door, services, their data stores), with a
// `requests` count and request/response bytes per edge driven by one load curve: what the
// load-adjusted detectors need to show their worth, and a background to inject attacks into.

import type { EdgeSample, Snapshot } from '../../src/types.ts';
import { seededRandom } from '../util.ts';

/** Caller → callee, requests per second at load 1, response bytes per request. */
const CALLS: readonly (readonly [string, string, number, number])[] = [
  ['external', 'front-end', 20, 6000],
  ['front-end', 'catalogue', 8, 4000],
  ['catalogue', 'catalogue-db', 8, 2500],
  ['front-end', 'user', 4, 1500],
  ['user', 'user-db', 4, 1200],
  ['front-end', 'carts', 5, 1000],
  ['carts', 'carts-db', 5, 800],
  ['front-end', 'orders', 1.5, 2500],
  ['orders', 'orders-db', 1.5, 1500],
  ['orders', 'user', 1.5, 1500],
  ['orders', 'carts', 1.5, 1000],
  ['orders', 'payment', 1.5, 300],
  ['orders', 'shipping', 1.5, 300],
  ['shipping', 'rabbitmq', 1.5, 200],
  ['queue-master', 'rabbitmq', 0.5, 200],
];

export function sockShopRun(options: { readonly intervals: number; readonly seed: number; readonly dt?: number }): Snapshot[] {
  const random = seededRandom(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const dt = options.dt ?? 2;
  const out: Snapshot[] = [];
  for (let t = 0; t < options.intervals; t++) {
    // A slow ±30 % swing (Munnin's diurnal curve, compressed) and a little shared jitter.
    const load = (1 + 0.3 * Math.sin((2 * Math.PI * t) / 200)) * (1 + 0.05 * gauss());
    const edges: EdgeSample[] = [];
    for (const [src, dst, rate, size] of CALLS) {
      const mean = rate * dt * load;
      const requests = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
      if (requests === 0) continue;
      // Log-normal message sizes (σ 0.5): the sum of n has sd ≈ 0.53·size·√n.
      const response = Math.max(0, Math.round(size * requests + 0.53 * size * Math.sqrt(requests) * gauss()));
      edges.push({ src, dst, values: { requests, request_bytes: 300 * requests, response_bytes: response } });
    }
    out.push({ t: 1_700_000_000 + (t + 1) * dt, dt, gap: false, edges });
  }
  return out;
}
