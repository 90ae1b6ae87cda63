import type { ExfiltrationSpec } from '../config/index.ts';
import type { Target } from '../types.ts';

/** Route of the `api` method: records leave user-db through user and the front-end to the attacker. */
export const API_PATH: readonly string[] = ['user-db', 'user', 'front-end', 'external'];

/**
 * The data store a workload reads its records from: `<workload>-db` when the topology has
 * that edge (Sock Shop's naming), else the workload's one callee whose name ends in `-db`;
 * undefined when the topology shows the workload calling no store. A topology that does not
 * mention the workload at all (unknown) falls back to `<workload>-db`.
 */
export function dataStoreOf(workload: string, topology: Target['topology']): string | undefined {
  const callees = topology.filter((edge) => edge.src === workload).map((edge) => edge.dst);
  const conventional = `${workload}-db`;
  if (callees.includes(conventional)) return conventional;
  const stores = callees.filter((name) => name.endsWith('-db'));
  if (stores.length > 0) return stores[0];
  const mentioned = topology.some((edge) => edge.src === workload || edge.dst === workload);
  return mentioned ? undefined : conventional;
}

/** Ground-truth route of one exfiltration (run format events.ndjson `path`). */
export function exfiltrationPath(spec: ExfiltrationSpec, topology: Target['topology']): readonly string[] {
  if (spec.method === 'api') return API_PATH;
  const store = dataStoreOf(spec.workload, topology);
  return store === undefined ? [spec.workload, 'external'] : [store, spec.workload, 'external'];
}
