// A fake API server plus a kubeconfig pointing at it (contexts `fake` and `other`), ready
// for connectKube. One per test; close() stops the server.
import { KubeConfig } from '@kubernetes/client-node';
import { applyManifests, connectKube, DEFAULT_MANIFESTS_DIR, loadManifests, waitForRollouts, type KubeClient } from '../../src/k8s/index.ts';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from './fakeApiServer.ts';
import { writeKubeconfig } from './fakeKubeconfig.ts';

export interface FakeCluster {
  readonly api: FakeApiServer;
  /** Path of the kubeconfig written for it. */
  readonly kubeconfigPath: string;
  /** A fresh parse of that kubeconfig (connectKube changes the current context of the one it gets). */
  kubeconfig(): KubeConfig;
  /** connectKube on context `fake`. */
  client(requestTimeoutMillis?: number): KubeClient;
  close(): Promise<void>;
}

/** Start the fake (with an available istiod unless `istio: false`) and write its kubeconfig. */
export async function startFakeCluster(options: FakeApiServerOptions & { readonly istio?: boolean } = {}): Promise<FakeCluster> {
  const api = await startFakeApiServer(options);
  if (options.istio ?? true) api.seedIstio();
  const { path } = writeKubeconfig([
    { name: 'fake', server: api.url, token: api.token },
    // A second context whose server is not the fake: picking it by mistake would show.
    { name: 'other', server: 'http://127.0.0.1:9', token: 'other-token' },
  ]);
  const kubeconfig = () => {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return kc;
  };
  return {
    api,
    kubeconfigPath: path,
    kubeconfig,
    client: (requestTimeoutMillis = 5000) => connectKube({ kubeconfig: kubeconfig(), context: 'fake', requestTimeoutMillis }),
    close: () => api.close(),
  };
}

/** The manifests' objects (istio/*.yaml), as the experiment applies them. */
export const SOCK_SHOP_OBJECTS = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object);

/** A fake cluster with the Sock Shop manifests applied and every Deployment rolled out (in virtual time), as the attacks find it. */
export async function startSockShopCluster(): Promise<FakeCluster> {
  const c = await startFakeCluster();
  await applyManifests(c.client(), SOCK_SHOP_OBJECTS);
  const deployments = SOCK_SHOP_OBJECTS.filter((o) => o.kind === 'Deployment').map((o) => ({ namespace: o.metadata.namespace!, name: o.metadata.name }));
  await waitForRollouts(c.client(), deployments, { timeoutMillis: 60_000, clock: virtualClock() });
  return c;
}

/** A clock that never waits: sleep() moves virtual time forward at once. */
export function virtualClock(start = 1_700_000_000_000): { now(): number; sleep(ms: number): Promise<void>; readonly sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}
