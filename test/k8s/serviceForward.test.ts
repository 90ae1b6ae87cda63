// The local forward through the API server's services proxy: methods, bodies, cookies and
// redirects pass; the kubeconfig's token goes to the API server only; errors are answers.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CARRIED_AUTHORIZATION_HEADER, startServiceForward } from '../../src/k8s/index.ts';
import { listen } from '../../src/mesh/index.ts';
import { startFakeCluster, type FakeCluster } from './fakeCluster.ts';
import { startRelay, type RunningRelay } from './frontEndRelay.ts';

describe('startServiceForward', () => {
  let c: FakeCluster;
  let backend: Server;
  const seen: { method: string; url: string; body: string; authorization?: string; cookie?: string; carried?: string }[] = [];
  let relay: RunningRelay;

  before(async () => {
    c = await startFakeCluster();
    backend = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const carried = req.headers[CARRIED_AUTHORIZATION_HEADER] as string | undefined;
      seen.push({ method: req.method!, url: req.url!, body, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}), ...(carried ? { carried } : {}) });
      if (req.url === '/login') {
        res.writeHead(302, { location: `/api/v1/namespaces/shop/services/front-end:80/proxy/`, 'set-cookie': ['md.sid=s%3Aabc; Path=/; HttpOnly', 'logged_in=abc; Path=/'] }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body, url: req.url }));
    });
    const backendPort = await listen(backend);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'front-end', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    c.api.backends.set('shop/front-end', `http://127.0.0.1:${backendPort}`);
    // The relay of istio/30-front-end-relay.yaml (really run) in front of the same backend.
    relay = await startRelay(`http://127.0.0.1:${backendPort}`);
    c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin' } });
    c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'front-end-relay', namespace: 'munnin' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    c.api.backends.set('munnin/front-end-relay', relay.url);
  });

  after(async () => {
    relay.stop();
    backend.close();
    await c.close();
  });

  it('forwards GET and POST with query and body, through the services proxy with the token', async () => {
    const fwd = await startServiceForward(c.client(), { namespace: 'shop', service: 'front-end', port: 80 });
    try {
      const got = await fetch(`${fwd.url}/catalogue?size=5&tags=blue`);
      assert.deepEqual(await got.json(), { echo: '', url: '/catalogue?size=5&tags=blue' });
      const posted = await fetch(`${fwd.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'md.sid=x' }, body: '{"username":"a"}' });
      assert.deepEqual(await posted.json(), { echo: '{"username":"a"}', url: '/register' });
      const proxied = c.api.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/shop/services/front-end:80/proxy'));
      assert.deepEqual(proxied.map((r) => `${r.method} ${r.path}?${r.query}`), ['GET /api/v1/namespaces/shop/services/front-end:80/proxy/catalogue?size=5&tags=blue', 'POST /api/v1/namespaces/shop/services/front-end:80/proxy/register?']);
      // The fake answers 401 without the kubeconfig's bearer token, and does not pass it on.
      assert.ok(seen.every((s) => s.authorization === undefined));
      assert.equal(seen[1]!.cookie, 'md.sid=x');
    } finally {
      await fwd.close();
    }
  });

  it('never sends the caller\'s Authorization to the API server; carried as X-Munnin-Authorization, the relay restores it', async () => {
    const basic = `Basic ${Buffer.from('munnin-00001:pw-munnin-00001').toString('base64')}`;
    const direct = await startServiceForward(c.client(), { namespace: 'shop', service: 'front-end', port: 80 });
    const relayed = await startServiceForward(c.client(), { namespace: 'munnin', service: 'front-end-relay', port: 80, carryAuthorizationAs: CARRIED_AUTHORIZATION_HEADER });
    try {
      seen.length = 0;
      // Straight through the services proxy: the API server authenticates munnin (bearer token;
      // 401 otherwise) and strips Authorization, so the shop sees no credentials at all.
      assert.equal((await fetch(`${direct.url}/login`, { headers: { authorization: basic }, redirect: 'manual' })).status, 302);
      assert.equal(seen[0]!.authorization, undefined);
      // Through the relay: the shopper's own Basic header arrives as Authorization, nothing else does.
      const res = await fetch(`${relayed.url}/customers?x=1`, { headers: { authorization: basic, cookie: 'md.sid=y' } });
      assert.equal(res.status, 200);
      assert.deepEqual(seen[1], { method: 'GET', url: '/customers?x=1', body: '', authorization: basic, cookie: 'md.sid=y' });
      // A POST with a body, and a request without credentials, pass unchanged.
      const posted = await fetch(`${relayed.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"b"}' });
      assert.deepEqual(await posted.json(), { echo: '{"username":"b"}', url: '/register' });
      assert.equal(seen[2]!.authorization, undefined);
      // Relayed answers keep their cookies.
      const login = await fetch(`${relayed.url}/login`, { headers: { authorization: basic }, redirect: 'manual' });
      assert.deepEqual(login.headers.getSetCookie(), ['md.sid=s%3Aabc; Path=/; HttpOnly', 'logged_in=abc; Path=/']);
      assert.equal(seen[3]!.authorization, basic);
    } finally {
      await direct.close();
      await relayed.close();
    }
  });

  it('reuses one keep-alive connection to the API server for successive requests', async () => {
    const fwd = await startServiceForward(c.client(), { namespace: 'shop', service: 'front-end', port: 80 });
    try {
      const before = c.api.connections;
      for (let i = 0; i < 5; i++) assert.equal((await fetch(`${fwd.url}/catalogue?i=${i}`)).status, 200);
      assert.equal(c.api.connections - before, 1);
    } finally {
      await fwd.close();
    }
  });

  it('passes cookies back and points proxy-path redirects at the local URL', async () => {
    const fwd = await startServiceForward(c.client(), { namespace: 'shop', service: 'front-end', port: 80 });
    try {
      const res = await fetch(`${fwd.url}/login`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/');
      assert.deepEqual(res.headers.getSetCookie(), ['md.sid=s%3Aabc; Path=/; HttpOnly', 'logged_in=abc; Path=/']);
    } finally {
      await fwd.close();
    }
  });

  it('relays the API server\'s refusals: 503 without endpoints, 404 for a missing service', async () => {
    const lonely = await startServiceForward(c.client(), { namespace: 'shop', service: 'lonely', port: 80 });
    const ghost = await startServiceForward(c.client(), { namespace: 'shop', service: 'ghost', port: 80 });
    try {
      const a = await fetch(`${lonely.url}/`);
      assert.equal(a.status, 503);
      assert.equal(((await a.json()) as { message: string }).message, 'no endpoints available for service "lonely"');
      const b = await fetch(`${ghost.url}/`);
      assert.equal(b.status, 404);
      assert.equal(((await b.json()) as { message: string }).message, 'services "ghost" not found');
    } finally {
      await lonely.close();
      await ghost.close();
    }
  });

  it('answers 502 when the API server cannot be reached, and stops listening on close (idempotent)', async () => {
    const down = await startFakeCluster();
    const fwd = await startServiceForward(down.client(), { namespace: 'shop', service: 'front-end', port: 80 });
    await down.close();
    const res = await fetch(`${fwd.url}/`);
    assert.equal(res.status, 502);
    assert.match(await res.text(), /^munnin: cannot reach service shop\/front-end:80 through http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    await fwd.close();
    await fwd.close();
    await assert.rejects(fetch(`${fwd.url}/`));
  });
});
