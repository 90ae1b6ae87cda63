import { Writable } from 'node:stream';
import { Exec, type V1Pod, type V1Status } from '@kubernetes/client-node';
import type { KubeClient } from './KubeClient.ts';
import { describeKubeError } from './kubeErrors.ts';

export const ATTACKER_CONTAINER = 'attacker';
export const EXFILTRATE_COMMAND = ['/bin/bash', '/munnin/exfiltrate.sh'] as const;

export interface ExecEgressOptions {
  readonly namespace: string;
  /** Compromised workload (its pods carry label name=<workload>). */
  readonly workload: string;
  /** Bytes of records to move to the sink. */
  readonly bytes: number;
  /** Longest wait for the whole read-and-upload. */
  readonly timeoutMillis?: number;
}

/**
 * The `egress` exfiltration on a cluster: in a running pod of the workload, run the attacker
 * container's script, which reads the workload's data store and uploads `bytes` of it to the
 * sink outside the mesh, then prints the sink's receipt. Resolves with what the sink received;
 * rejects when the sink got less, the script failed, or no such pod runs.
 */
export async function execEgress(client: KubeClient, options: ExecEgressOptions): Promise<{ readonly bytes: number }> {
  const pod = await attackerPod(client, options.namespace, options.workload);
  const command = [...EXFILTRATE_COMMAND, String(options.bytes)];
  const { stdout, stderr, status } = await execIn(client, options.namespace, pod, ATTACKER_CONTAINER, command, options.timeoutMillis ?? 120_000);
  if (status.status !== 'Success') {
    const why = lastLine(stderr) || status.message || 'failed';
    throw new Error(`egress from ${options.workload} (pod ${pod}): ${why}`);
  }
  const receipt = lastLine(stdout);
  let received: unknown;
  try {
    received = (JSON.parse(receipt) as { received?: unknown }).received;
  } catch {
    received = undefined;
  }
  if (typeof received !== 'number') throw new Error(`egress from ${options.workload} (pod ${pod}): no receipt from the sink (stdout ended with ${JSON.stringify(receipt.slice(0, 200))})`);
  if (received !== options.bytes) throw new Error(`egress from ${options.workload} (pod ${pod}): the sink received ${received} of ${options.bytes} bytes`);
  return { bytes: received };
}

/** A running, ready, not-terminating pod of the workload that has the attacker container (messages start with `what`). */
export async function attackerPod(client: KubeClient, namespace: string, workload: string, what = `egress from ${workload}`): Promise<string> {
  let pods: V1Pod[];
  try {
    pods = (await client.core.listNamespacedPod({ namespace, labelSelector: `name=${workload}` })).items;
  } catch (e) {
    throw new Error(`${what}: cannot list its pods: ${describeKubeError(e)}`);
  }
  const withAttacker = pods.filter((p) => p.spec?.containers.some((c) => c.name === ATTACKER_CONTAINER));
  if (pods.length > 0 && withAttacker.length === 0) {
    throw new Error(`${what}: its pods have no "${ATTACKER_CONTAINER}" container (only the manifests' user deployment has one)`);
  }
  const running = withAttacker.find(
    (p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  if (!running?.metadata?.name) throw new Error(`${what}: no running pod with label name=${workload} in namespace ${namespace}`);
  return running.metadata.name;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: V1Status;
}

/** An exec stopped by its signal; `stdout` is what the command had printed by then. */
export class ExecAborted extends Error {
  override readonly name = 'ExecAborted';
  constructor(
    message: string,
    readonly stdout: string,
  ) {
    super(message);
  }
}

/**
 * Run `command` in the container over the exec WebSocket and collect its output. `signal`
 * closes the connection and rejects with ExecAborted (the command in the container may run
 * on: the API gives no way to kill it).
 */
export function execIn(client: KubeClient, namespace: string, pod: string, container: string, command: string[], timeoutMillis: number, signal?: AbortSignal): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (into: Buffer[]) =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          into.push(chunk);
          done();
        },
      });
    let socket: { close(): void } | undefined;
    let settled = false;
    const finish = (error: Error | undefined, status?: V1Status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        socket?.close();
        reject(error);
      } else resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: status! });
    };
    const timer = setTimeout(() => finish(new Error(`exec in pod ${namespace}/${pod} (${container}) gave no result within ${timeoutMillis} ms`)), timeoutMillis);
    const onAbort = () => finish(new ExecAborted(`exec in pod ${namespace}/${pod} (${container}) aborted`, Buffer.concat(out).toString('utf8')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    new Exec(client.kubeconfig)
      .exec(namespace, pod, container, command, sink(out), sink(err), null, false, (status) => finish(undefined, status))
      .then((ws) => {
        socket = ws;
        if (settled) ws.close();
        // Closed without a status frame: the connection broke mid-way.
        ws.on('close', () => setImmediate(() => finish(new Error(`exec in pod ${namespace}/${pod} (${container}): connection closed without an exit status`))));
      })
      .catch((e: unknown) => finish(new Error(`exec in pod ${namespace}/${pod} (${container}): ${execFailure(e)}`)));
  });
}

function execFailure(e: unknown): string {
  // ws reports a refused upgrade as "Unexpected server response: 404".
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
  return describeKubeError(e);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
