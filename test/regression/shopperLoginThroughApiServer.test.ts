// Bug: every shopper login failed on a real cluster when the users ran on this machine (the
// default). The front-end forward went through the API server's services proxy, which deletes
// `Authorization` once it has authenticated munnin (kubernetes#38775), and the forward had
// overwritten Sock Shop's Basic header with the kubeconfig's bearer token anyway. The front-end
// passed no credentials to user's /login, got 401, and every `buy` stopped at login.
// Here the fake API server strips Authorization as the real one does; behind its services
// proxy stand the relay of istio/30-front-end-relay.yaml (really run) and the embedded Sock
// Shop, whose front-end checks the password against user-db.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { customerUsername, startKubernetesTarget } from '../../src/k8s/index.ts';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { startFakeCluster, virtualClock, type FakeCluster } from '../k8s/fakeCluster.ts';
import { startRelay, type RunningRelay } from '../k8s/frontEndRelay.ts';

let mesh: EmbeddedMesh;
let relay: RunningRelay;
let c: FakeCluster;
// A Prometheus that answers (the cluster target checks the given one before applying anything).
let prometheus: Server;
let prometheusUrl = '';

before(async () => {
  prometheus = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: req.url === '/api/v1/status/config' ? { yaml: 'global:\n  scrape_interval: 1s\n' } : { resultType: 'vector', result: [] } }));
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 2, catalogueItems: 5 });
  relay = await startRelay(mesh.frontEndUrl);
  c = await startFakeCluster();
  c.api.backends.set('sock-shop/front-end', mesh.frontEndUrl);
  c.api.backends.set('munnin/front-end-relay', relay.url);
});
after(async () => {
  prometheus.close();
  await c.close();
  relay.stop();
  await mesh.stop();
});

it('logs a registered shopper in through the local front-end URL, with Sock Shop\'s Basic credentials', async () => {
  const target = await startKubernetesTarget({
    kubernetes: { context: 'fake', namespace: 'sock-shop', teardown: false, rolloutTimeoutMillis: 600_000, inClusterLocust: false },
    prometheusUrl,
    customers: 2,
    kubeconfig: c.kubeconfig(),
    clock: virtualClock(),
  });
  try {
    const name = customerUsername(1);
    const basic = (password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
    const ok = await fetch(`${target.frontEndUrl}/login`, { headers: { authorization: basic(`pw-${name}`) } });
    assert.equal(ok.status, 200, await ok.text());
    assert.ok(ok.headers.getSetCookie().some((cookie) => cookie.startsWith('logged_in=')), 'logged in');
    // The password is really checked on the way: a wrong one is refused.
    const wrong = await fetch(`${target.frontEndUrl}/login`, { headers: { authorization: basic('not-the-password') } });
    assert.equal(wrong.status, 401);
  } finally {
    await target.stop();
  }
});
