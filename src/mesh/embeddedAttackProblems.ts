import { attackProblems, type AttackTarget } from '../attacks/index.ts';
import type { AttackSchedule } from '../config/index.ts';
import { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS } from './topology.ts';

/**
 * The embedded mesh as attackProblems reads it. Its workloads and topology are fixed, so a
 * scan or lateral movement it cannot run is found with the other parameter mistakes, before
 * anything starts, rather than once the mesh is up (startEmbeddedMesh's target agrees: any
 * workload can attack, and it runs both kinds).
 */
const EMBEDDED_ATTACK_TARGET: AttackTarget = { kind: 'embedded', services: SOCK_SHOP_WORKLOADS, topology: SOCK_SHOP_EDGES, scan: true, lateral: true };

/** The schedule's scan and lateral-movement mistakes on the embedded target; none for another target (checked once it is up). */
export function embeddedAttackProblems(schedule: AttackSchedule): readonly string[] {
  return schedule.target === 'embedded' ? attackProblems(schedule, EMBEDDED_ATTACK_TARGET) : [];
}
