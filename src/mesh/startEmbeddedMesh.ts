import { repeatCalls, sweepTargets } from '../attacks/index.ts';
import { UserError } from '../errors.ts';
import { SOCK_TAGS, generateSocks } from './catalogueData.ts';
import { catalogueService } from './catalogueService.ts';
import { cartsService } from './cartsService.ts';
import { ControlPlane } from './ControlPlane.ts';
import { generateCustomers } from './customerData.ts';
import { DocumentStore } from './DocumentStore.ts';
import { runEgress } from './egress.ts';
import { validateMeshOptions, type EmbeddedMesh, type EmbeddedMeshOptions } from './EmbeddedMesh.ts';
import { frontEndService } from './frontEnd.ts';
import { Intruder } from './Intruder.ts';
import { startMeshHttpServer, type RunningServer } from './MeshHttpServer.ts';
import { startMeshTcpServer } from './MeshTcpServer.ts';
import { ordersService } from './ordersService.ts';
import { paymentService } from './paymentService.ts';
import { QueueBroker } from './QueueBroker.ts';
import { createQueueMaster, type QueueMaster } from './queueMaster.ts';
import type { MeshReply, MeshRequest } from './router.ts';
import { shippingService } from './shippingService.ts';
import { Sidecar } from './Sidecar.ts';
import { Sink } from './Sink.ts';
import { buildStaticPages } from './staticPages.ts';
import { DATA_STORE_OF, SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS } from './topology.ts';
import { userService } from './userService.ts';
import { WorkloadRuntime } from './WorkloadRuntime.ts';

/**
 * Start every Sock Shop workload as a real server on 127.0.0.1 (ephemeral ports), each
 * with a sidecar serving Istio's standard metrics, plus the exfiltration sink outside
 * the mesh. On failure, whatever started is stopped again.
 */
export async function startEmbeddedMesh(options: EmbeddedMeshOptions): Promise<EmbeddedMesh> {
  const { namespace, customers, catalogueItems, seed, statsFlushSeconds } = validateMeshOptions(options);
  const controlPlane = new ControlPlane();
  const stats = { ...(statsFlushSeconds !== undefined ? { statsFlushSeconds } : {}), ...(options.flushTimer ? { flushTimer: options.flushTimer } : {}) };
  const sidecars = new Map(SOCK_SHOP_WORKLOADS.map((w) => [w, new Sidecar(w, namespace, stats)]));
  const sidecar = (name: string): Sidecar => {
    const s = sidecars.get(name);
    if (!s) throw new Error(`no workload "${name}" in the mesh (workloads: ${SOCK_SHOP_WORKLOADS.join(', ')})`);
    return s;
  };
  const servers: RunningServer[] = [];
  const runtimes = new Map<string, WorkloadRuntime>();
  const sink = new Sink();
  const rt = (name: string): WorkloadRuntime => {
    let r = runtimes.get(name);
    if (!r) runtimes.set(name, (r = new WorkloadRuntime(name, sidecar(name), controlPlane)));
    return r;
  };
  const intruders = new Map<string, Intruder>();
  const httpServices = new Set<string>();
  const tcpServices = new Map<string, string | undefined>();
  /** The attacker inside a compromised workload (scan, lateral), one per workload. */
  const intruder = (name: string): Intruder => {
    let i = intruders.get(name);
    if (!i) intruders.set(name, (i = new Intruder(sidecar(name), controlPlane, { http: httpServices, tcp: tcpServices })));
    return i;
  };
  let queueMaster: QueueMaster | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      queueMaster?.stop();
      for (const r of runtimes.values()) r.close();
      for (const i of intruders.values()) i.close();
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all([...sidecars.values()].map((s) => s.stop()));
      for (const s of sidecars.values()) s.stopFlushing();
      await sink.stop();
    })());

  try {
    await Promise.all([...sidecars.values()].map((s) => s.start()));
    for (const s of sidecars.values()) s.startFlushing();
    const socks = generateSocks(catalogueItems, seed);
    const people = generateCustomers(customers, seed);
    const stores = new Map(['catalogue-db', 'carts-db', 'orders-db', 'user-db', 'session-db'].map((n) => [n, new DocumentStore()]));
    stores.get('catalogue-db')?.seed('socks', socks);
    stores.get('catalogue-db')?.seed('tags', SOCK_TAGS.map((id) => ({ id })));
    stores.get('user-db')?.seed('customers', people.customers);
    stores.get('user-db')?.seed('addresses', people.addresses);
    stores.get('user-db')?.seed('cards', people.cards);
    const tcpHandlers = [...[...stores].map(([n, s]) => [n, s.handle] as const), ['rabbitmq', new QueueBroker().handle] as const];
    for (const [name, handler] of tcpHandlers) {
      const server = await startMeshTcpServer({ sidecar: sidecar(name), controlPlane, handler });
      servers.push(server);
      controlPlane.setServicePort(name, server.port);
      const owner = Object.values(DATA_STORE_OF).find((d) => d.store === name);
      tcpServices.set(name, owner?.collections[0]);
    }

    queueMaster = createQueueMaster(rt('queue-master'));
    const handlers: [string, (req: MeshRequest) => Promise<MeshReply>][] = [
      ['front-end', frontEndService({ http: rt('front-end').http, sessions: rt('front-end').store('session-db'), pages: buildStaticPages(socks, SOCK_TAGS) })],
      ['catalogue', catalogueService(rt('catalogue').store('catalogue-db'))],
      ['carts', cartsService(rt('carts').store('carts-db'))],
      ['orders', ordersService(rt('orders').http, rt('orders').store('orders-db'))],
      ['payment', paymentService()],
      ['shipping', shippingService(rt('shipping').tcp('rabbitmq'))],
      ['user', userService(rt('user').store('user-db'))],
      ['queue-master', queueMaster.handler],
    ];
    for (const [name, handler] of handlers) {
      const server = await startMeshHttpServer({ sidecar: sidecar(name), controlPlane, handler });
      servers.push(server);
      controlPlane.setServicePort(name, server.port);
      httpServices.add(name);
    }
    queueMaster.start();
    await sink.start();
  } catch (error) {
    await stop();
    throw error;
  }

  const attackerIn = (workload: string, kind: string): Intruder => {
    if (!SOCK_SHOP_WORKLOADS.includes(workload)) throw new UserError(`${kind}.workload: no workload "${workload}" in the mesh (workloads: ${SOCK_SHOP_WORKLOADS.join(', ')})`);
    if (stopping) throw new Error(`${kind}: the mesh is stopped`);
    return intruder(workload);
  };

  return {
    kind: 'embedded',
    frontEndUrl: `http://127.0.0.1:${controlPlane.portOf('front-end')}`,
    services: SOCK_SHOP_WORKLOADS,
    topology: SOCK_SHOP_EDGES,
    scrapeTargets: SOCK_SHOP_WORKLOADS.map((workload) => ({ workload, url: sidecar(workload).url })),
    compromisable: Object.keys(DATA_STORE_OF),
    describe: () => ({
      kind: 'embedded',
      namespace: options.namespace,
      customers: options.customers,
      catalogueItems: options.catalogueItems,
      ...(statsFlushSeconds !== undefined ? { statsFlushSeconds } : {}),
    }),
    get sinkBytes() {
      return sink.bytes;
    },
    async egress(workload: string, bytes: number) {
      const owned = DATA_STORE_OF[workload];
      if (!owned) throw new UserError(`exfiltration.workload: "${workload}" has no data store to read (choose one of ${Object.keys(DATA_STORE_OF).join(', ')})`);
      if (!Number.isInteger(bytes) || bytes < 1) throw new UserError(`exfiltration.bytes: must be a positive integer (got ${JSON.stringify(bytes)})`);
      if (stopping) throw new Error('egress: the mesh is stopped');
      return runEgress({ runtime: rt(workload), store: owned.store, collections: owned.collections, sinkUrl: sink.url, bytes });
    },
    // The embedded mesh has every service on 127.0.0.1: a scan's other ports (22, 443, ...)
    // are each stood in by a port nothing listens on, as on a cluster nothing listens on a port
    // a Service does not declare.
    async scan(workload, targets, options) {
      const from = attackerIn(workload, 'scan');
      for (const t of targets) if (!SOCK_SHOP_WORKLOADS.includes(t.service)) throw new UserError(`scan: no service "${t.service}" in the mesh (workloads: ${SOCK_SHOP_WORKLOADS.join(', ')})`);
      return sweepTargets(targets, options.secondsBetweenTargets, (service, port) => (port === undefined ? from.probeService(service) : from.probeClosedPort()), options.signal);
    },
    async lateral(workload, to, options) {
      const from = attackerIn(workload, 'lateral');
      if (!SOCK_SHOP_WORKLOADS.includes(to)) throw new UserError(`lateral.to: no service "${to}" in the mesh (workloads: ${SOCK_SHOP_WORKLOADS.join(', ')})`);
      return repeatCalls(options.calls, options.secondsBetweenCalls, () => from.call(to), options.signal);
    },
    restartWorkload: async (name) => sidecar(name).restart(),
    stopSidecar: (name) => sidecar(name).stop(),
    startSidecar: (name) => sidecar(name).start(),
    stop,
  };
}
