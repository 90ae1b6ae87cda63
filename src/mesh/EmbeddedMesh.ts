import { UserError } from '../errors.ts';
import type { Target } from '../types.ts';
import type { FlushTimer } from './Sidecar.ts';

export interface EmbeddedMeshOptions {
  /** Kubernetes-style namespace reported in the Istio labels (e.g. `sock-shop`). */
  readonly namespace: string;
  /** Customers (each with one address and one card) in user-db at start. */
  readonly customers: number;
  /** Socks in catalogue-db. */
  readonly catalogueItems: number;
  /** Seed of the generated records (same seed, same records); default 1. */
  readonly seed?: number;
  /**
   * Seconds between the sidecars' stats flushes (parameters.ts `mesh.statsFlushSeconds`,
   * default 1 there, as munnin sets on a cluster; Istio's own default is 5): histogram sums and
   * TCP byte counters change only at a flush, as Envoy's do. Undefined: no flush delay.
   */
  readonly statsFlushSeconds?: number;
  /** The flush timer (tests drive it in virtual time); default a real interval timer. */
  readonly flushTimer?: FlushTimer;
}

/** The Sock Shop-shaped mesh on 127.0.0.1, with the controls experiments and tests need. */
export interface EmbeddedMesh extends Target {
  readonly kind: 'embedded';
  /** Simulate a workload restart: its sidecar's counters reset to zero (a new process), the service keeps serving. */
  restartWorkload(name: string): Promise<void>;
  /** Take a workload's sidecar metrics endpoint down (connection refused), for gap tests. */
  stopSidecar(name: string): Promise<void>;
  /** Bring a stopped sidecar metrics endpoint back, on the same URL. */
  startSidecar(name: string): Promise<void>;
  /** Scans from any workload (each of a target's other ports stands for a port nothing listens on). */
  scan: NonNullable<Target['scan']>;
  /** Lateral movements from any workload. */
  lateral: NonNullable<Target['lateral']>;
  /** Body bytes the exfiltration sink has received so far. */
  readonly sinkBytes: number;
}

/** Check the options where they enter; messages name the parameter and the bad value. */
export function validateMeshOptions(options: EmbeddedMeshOptions): Required<Omit<EmbeddedMeshOptions, 'statsFlushSeconds' | 'flushTimer'>> & Pick<EmbeddedMeshOptions, 'statsFlushSeconds'> {
  const { namespace, customers, catalogueItems, seed = 1, statsFlushSeconds } = options;
  if (typeof namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new UserError(`mesh.namespace: must be a Kubernetes namespace name (lower-case letters, digits, dashes) (got ${JSON.stringify(namespace)})`);
  }
  const positiveInt = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`mesh.${field}: must be a positive integer (got ${JSON.stringify(v)})`);
  };
  positiveInt('customers', customers);
  positiveInt('catalogueItems', catalogueItems);
  if (!Number.isInteger(seed)) throw new UserError(`mesh.seed: must be an integer (got ${JSON.stringify(seed)})`);
  // Envoy takes whole milliseconds; below 1 ms a timer would spin.
  if (statsFlushSeconds !== undefined && !(Number.isFinite(statsFlushSeconds) && statsFlushSeconds >= 0.001)) {
    throw new UserError(`mesh.statsFlushSeconds: must be a number of seconds, at least 0.001 (got ${JSON.stringify(statsFlushSeconds)})`);
  }
  return { namespace, customers, catalogueItems, seed, ...(statsFlushSeconds !== undefined ? { statsFlushSeconds } : {}) };
}
