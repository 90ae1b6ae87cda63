import type { LateralSpec, ScanSpec } from '../config/index.ts';
import type { ScanTarget, Target } from '../types.ts';

/** Ground-truth route of a scan (run format events.ndjson `path`): the workload to any node. */
export function scanPath(spec: Pick<ScanSpec, 'workload'>): readonly string[] {
  return [spec.workload, '*'];
}

/** Ground-truth route of a lateral movement: the one edge the workload never uses. */
export function lateralPath(spec: Pick<LateralSpec, 'workload' | 'to'>): readonly string[] {
  return [spec.workload, spec.to];
}

/** What a scan tries: its `services` (default every service of the target but the workload), each with the spec's other ports. */
export function scanTargets(spec: Pick<ScanSpec, 'workload' | 'services' | 'otherPorts'>, target: Pick<Target, 'services'>): ScanTarget[] {
  const services = spec.services ?? target.services.filter((s) => s !== spec.workload);
  return services.map((service) => ({ service, otherPorts: spec.otherPorts }));
}
