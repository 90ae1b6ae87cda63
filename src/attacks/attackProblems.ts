import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Target } from '../types.ts';

type AttackTarget = Pick<Target, 'kind' | 'services' | 'topology' | 'attackers' | 'scan' | 'lateral'>;

/**
 * What the schema cannot know about scans and lateral movements, checked once the target is up
 * and before recording starts (a mistake found when an attack fires would cost the run): the
 * target can run them, the workloads are its own and can be compromised there, a scan's
 * services exist, and a lateral movement's destination is one the workload never calls.
 * Every problem at once, each naming its field and value.
 */
export function attackProblems(params: Pick<Parameters, 'scan' | 'lateral'>, target: AttackTarget): string[] {
  const problems: string[] = [];
  const services = new Set(target.services);
  const attackers = target.attackers ?? target.services;
  const known = (field: string, name: string) => {
    if (!services.has(name)) problems.push(`${field}: "${name}" is not a workload of the ${target.kind} target (workloads: ${target.services.join(', ')})`);
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

/** attackProblems as one UserError (nothing when there is none). */
export function checkAttacks(params: Pick<Parameters, 'scan' | 'lateral'>, target: AttackTarget): void {
  const problems = attackProblems(params, target);
  if (problems.length > 0) throw new UserError(`invalid attacks for this target:\n  ${problems.join('\n  ')}`);
}
