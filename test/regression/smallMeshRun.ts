import type { EdgeSample, Snapshot } from '../../src/types.ts';
import { gaussian } from '../util.ts';

// The run of tester tc's new-edge reports (today's regressions of pca-subspace and eigenspace):
// 9 Sock-Shop edges with Gaussian noise (seed 1), 2-s intervals from t = 1,700,000,002. One
// generator, so that the tests that compare against each other's figures read the same traffic.

const NODES = ['front-end', 'user', 'user-db', 'catalogue', 'catalogue-db', 'orders', 'orders-db', 'carts', 'carts-db', 'external'];
const EDGES = [[9, 0], [0, 1], [1, 2], [0, 3], [3, 4], [0, 5], [5, 6], [0, 7], [7, 8]] as const;

export interface SmallMeshRunOptions {
  readonly intervals: number;
  /** Interval → bytes of an api exfiltration, added to the responses of external → front-end, front-end → user and user → user-db. */
  readonly attacks?: ReadonlyMap<number, number>;
  /** An edge to add to interval i (after the mesh's own), or undefined. */
  readonly extra?: (i: number) => EdgeSample | undefined;
}

export function smallMeshRun(options: SmallMeshRunOptions): Snapshot[] {
  const gauss = gaussian(1);
  return Array.from({ length: options.intervals }, (_, i) => {
    const edges: EdgeSample[] = EDGES.map(([a, b], j) => ({
      src: NODES[a]!,
      dst: NODES[b]!,
      values: {
        requests: Math.max(0, Math.round(20 + 3 * gauss())),
        request_bytes: Math.max(0, Math.round(2000 * (j + 1) + 200 * (j + 1) * gauss())),
        response_bytes: Math.max(0, Math.round(10000 * (j + 1) + 1000 * (j + 1) * gauss())) + (j <= 2 ? (options.attacks?.get(i) ?? 0) : 0),
      },
    }));
    const extra = options.extra?.(i);
    if (extra !== undefined) edges.push(extra);
    return { t: 1_700_000_000 + 2 * (i + 1), dt: 2, gap: false, edges };
  });
}
