import { applyManifests, DEFAULT_MANIFESTS_DIR, execEgress, loadManifests, waitForRollouts } from '../../src/k8s/index.ts';
import { startFakeCluster, virtualClock } from './fakeCluster.ts';
const objects = loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object);
const c = await startFakeCluster();
await applyManifests(c.client(), objects);
await waitForRollouts(c.client(), objects.filter((o) => o.kind === 'Deployment').map((o) => ({ namespace: o.metadata.namespace!, name: o.metadata.name })), { timeoutMillis: 60_000, clock: virtualClock() });
c.api.execHandler = () => new Promise(() => {});
const t = setInterval(() => console.log('tick'), 100);
try { await execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 10, timeoutMillis: 300 }); } catch (e) { console.log('rejected', e); }
clearInterval(t);
const t0 = Date.now(); await c.close(); console.log("closed after", Date.now() - t0);
