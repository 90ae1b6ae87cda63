import { closestName } from '../closestName.ts';
import type { LateralSpec, Parameters, ScanSpec } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Target } from '../types.ts';

/** What the checks read of a target: a running one, or a static description (the embedded mesh's, see embeddedAttackProblems). */
export type AttackTarget = Pick<Target, 'kind' | 'services' | 'topology' | 'attackers'> & { readonly scan?: unknown; readonly lateral?: unknown };

/**
 * What the schema cannot know about scans and lateral movements, checked once the target is up
 * and before recording starts (a mistake found when an attack fires would cost the run): the
 * target can run them, the workloads are its own and can be compromised there, a scan's
 * services exist, and a lateral movement's destination is one the workload never calls.
 * Every problem at once, each naming its field and value. Sparse `scan`/`lateral` arrays are
 * fine (a hole, an entry the schema refused, is skipped and the others keep their index).
 */
export function attackProblems(params: { readonly scan: readonly ScanSpec[]; readonly lateral: readonly LateralSpec[] }, target: AttackTarget): string[] {
  const problems: string[] = [];
  const services = new Set(target.services);
  const attackers = target.attackers ?? target.services;
  const known = (field: string, name: string) => {
    if (!services.has(name)) {
      const meant = closestName(name, target.services);
      problems.push(`${field}: "${name}" is not a workload of the ${target.kind} target (${meant ? `did you mean "${meant}"? ` : ''}workloads: ${target.services.join(', ')})`);
    }
    return services.has(name);
  };
  const compromisable = (field: string, name: string) => {
    if (known(field, name) && !attackers.includes(name)) {
      problems.push(`${field}: the ${target.kind} target cannot run an attacker in "${name}" (choose one of ${attackers.join(', ') || 'none'})`);
    }
  };
  params.scan.forEach((s, i) => {
    if (!target.scan) problems.push(`scan[${i}]: the ${target.kind} target cannot run scans`);
    compromisable(`scan[${i}].workload`, s.workload);
    s.services?.forEach((name, j) => {
      if (known(`scan[${i}].services[${j}]`, name) && name === s.workload) problems.push(`scan[${i}].services[${j}]: the scanning workload itself (got "${name}")`);
    });
  });
  params.lateral.forEach((l, i) => {
    if (!target.lateral) problems.push(`lateral[${i}]: the ${target.kind} target cannot run lateral movements`);
    compromisable(`lateral[${i}].workload`, l.workload);
    if (known(`lateral[${i}].to`, l.to) && target.topology.some((e) => e.src === l.workload && e.dst === l.to)) {
      problems.push(`lateral[${i}].to: ${l.workload} calls ${l.to} in the application's topology, so calling it is no lateral movement (got "${l.to}")`);
    }
  });
  return problems;
}

/** attackProblems as one UserError naming the parameters file `origin` (nothing when there is none). */
export function checkAttacks(params: Pick<Parameters, 'scan' | 'lateral'>, target: AttackTarget, origin = 'parameters'): void {
  const problems = attackProblems(params, target);
  if (problems.length > 0) throw new UserError(`${origin}: invalid attacks for this target:\n  ${problems.join('\n  ')}`);
}
