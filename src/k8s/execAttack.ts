import { AttackError } from '../attacks/index.ts';
import type { KubeObject } from './manifests.ts';
import type { KubeClient } from './KubeClient.ts';
import type { ProbeTally, ScanTarget } from '../types.ts';
import { ATTACKER_CONTAINER, attackerPod, ExecAborted, execIn } from './execEgress.ts';

export const SCAN_COMMAND = ['/bin/bash', '/munnin/scan.sh'] as const;
export const LATERAL_COMMAND = ['/bin/bash', '/munnin/lateral.sh'] as const;

/** How the attacker talks to a service's port: HTTP, MongoDB (the image's mongo shell), or bare TCP. */
export type ServiceProtocol = 'http' | 'mongo' | 'tcp';

/** A Service's first port and its protocol, by Istio's port naming (`http…`, `tcp-mongo`, …) or appProtocol. */
export interface ServicePort {
  readonly port: number;
  readonly protocol: ServiceProtocol;
}

/** The first port of every Service in `namespace` among the applied objects. */
export function servicePorts(objects: readonly KubeObject[], namespace: string): ReadonlyMap<string, ServicePort> {
  const out = new Map<string, ServicePort>();
  for (const o of objects) {
    if (o.kind !== 'Service' || o.metadata.namespace !== namespace) continue;
    const first = (o['spec'] as { ports?: { name?: string; port?: number; appProtocol?: string }[] } | undefined)?.ports?.[0];
    if (typeof first?.port !== 'number') continue;
    const name = `${first.appProtocol ?? ''} ${first.name ?? ''}`.toLowerCase();
    out.set(o.metadata.name, { port: first.port, protocol: /\bhttp/.test(name) ? 'http' : /mongo/.test(name) ? 'mongo' : 'tcp' });
  }
  return out;
}

export interface ExecScanOptions {
  readonly namespace: string;
  /** Compromised workload (a pod with the attacker container). */
  readonly workload: string;
  readonly targets: readonly ScanTarget[];
  /** Each target's service port. */
  readonly ports: ReadonlyMap<string, ServicePort>;
  readonly secondsBetweenTargets: number;
  readonly signal?: AbortSignal;
}

/** The `scan` on a cluster: scan.sh in the attacker container, every target by its Service name. */
export async function execScan(client: KubeClient, options: ExecScanOptions): Promise<ProbeTally> {
  const what = `scan from ${options.workload}`;
  const hosts = options.targets.map((t) => {
    const port = options.ports.get(t.service);
    if (!port) throw new AttackError(`${what}: no Service "${t.service}" with a port in namespace ${options.namespace}`, { attempts: 0, answered: 0 });
    return `${t.service}:${port.port}`;
  });
  // scan.sh takes one list of other ports for every target (the parameters give every target the same).
  const others = options.targets[0]?.otherPorts ?? [];
  const command = [...SCAN_COMMAND, String(options.secondsBetweenTargets), others.length > 0 ? others.join(',') : '-', ...hosts];
  // 4 s per try at most (probe.sh), the pauses, and a margin.
  const timeoutMillis = (hosts.length * (1 + others.length) * 4 + Math.max(0, hosts.length - 1) * options.secondsBetweenTargets + 30) * 1000;
  return runAttackScript(client, options.namespace, options.workload, what, command, timeoutMillis, options.signal, 'probe ');
}

export interface ExecLateralOptions {
  readonly namespace: string;
  readonly workload: string;
  readonly to: string;
  readonly ports: ReadonlyMap<string, ServicePort>;
  readonly calls: number;
  readonly secondsBetweenCalls: number;
  readonly signal?: AbortSignal;
}

/** The `lateral` movement on a cluster: lateral.sh in the attacker container, to the Service `to`. */
export async function execLateral(client: KubeClient, options: ExecLateralOptions): Promise<ProbeTally> {
  const what = `lateral movement ${options.workload} → ${options.to}`;
  const port = options.ports.get(options.to);
  if (!port) throw new AttackError(`${what}: no Service "${options.to}" with a port in namespace ${options.namespace}`, { attempts: 0, answered: 0 });
  const command = [...LATERAL_COMMAND, options.to, String(port.port), port.protocol, String(options.calls), String(options.secondsBetweenCalls)];
  const timeoutMillis = (options.calls * 10 + Math.max(0, options.calls - 1) * options.secondsBetweenCalls + 30) * 1000;
  return runAttackScript(client, options.namespace, options.workload, what, command, timeoutMillis, options.signal, 'call ');
}

async function runAttackScript(client: KubeClient, namespace: string, workload: string, what: string, command: string[], timeoutMillis: number, signal: AbortSignal | undefined, tryPrefix: string): Promise<ProbeTally> {
  const none = { attempts: 0, answered: 0 };
  let pod: string;
  try {
    pod = await attackerPod(client, namespace, workload, what);
  } catch (e) {
    throw new AttackError((e as Error).message, none, { cause: e });
  }
  let result;
  try {
    result = await execIn(client, namespace, pod, ATTACKER_CONTAINER, command, timeoutMillis, signal);
  } catch (e) {
    // What the script printed before the end: each try is one line.
    const partial = e instanceof ExecAborted ? tallyOf(e.stdout, tryPrefix) : none;
    throw new AttackError(e instanceof ExecAborted ? `${what} aborted` : `${what} (pod ${pod}): ${(e as Error).message}`, partial, { cause: e });
  }
  const lines = result.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (result.status.status !== 'Success') {
    const why = result.stderr.trim().split('\n').pop() || result.status.message || 'failed';
    throw new AttackError(`${what} (pod ${pod}): ${why}`, tallyOf(result.stdout, tryPrefix));
  }
  let tally: unknown;
  try {
    tally = JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    tally = undefined;
  }
  const t = tally as Partial<ProbeTally> | undefined;
  if (typeof t?.attempts !== 'number' || typeof t.answered !== 'number') {
    throw new AttackError(`${what} (pod ${pod}): no tally from the script (stdout ended with ${JSON.stringify((lines[lines.length - 1] ?? '').slice(0, 200))})`, tallyOf(result.stdout, tryPrefix));
  }
  return { attempts: t.attempts, answered: t.answered };
}

/** Tries counted from the script's lines (`probe … answered|silent`, `call … answered|silent`). */
function tallyOf(stdout: string, prefix: string): ProbeTally {
  const tries = stdout.split('\n').filter((l) => l.startsWith(prefix));
  return { attempts: tries.length, answered: tries.filter((l) => l.trimEnd().endsWith(' answered')).length };
}
