// The front-end relay script (istio/30-front-end-relay.yaml), really run with python3: it turns
// X-Munnin-Authorization back into Authorization, passes bodies (also chunked) and every
// Set-Cookie, keeps its upstream connection alive, and answers 502 when the front-end is down.
import assert from 'node:assert/strict';
import { Agent, createServer, request, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { listen } from '../../src/mesh/index.ts';
import { startRelay, type RunningRelay } from './frontEndRelay.ts';

describe('front-end relay', () => {
  let upstream: Server;
  let relay: RunningRelay;
  let connections = 0;
  before(async () => {
    upstream = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.setHeader('set-cookie', ['md.sid=s1; Path=/', 'logged_in=s1; Path=/']);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, body, authorization: req.headers.authorization ?? null, carried: req.headers['x-munnin-authorization'] ?? null }));
    });
    upstream.on('connection', () => void (connections += 1));
    relay = await startRelay(`http://127.0.0.1:${await listen(upstream)}`);
  });
  after(() => {
    relay.stop();
    upstream.closeAllConnections();
    upstream.close();
  });

  it('restores Authorization from X-Munnin-Authorization and drops any other Authorization', async () => {
    const res = await fetch(`${relay.url}/login?x=1`, { headers: { 'x-munnin-authorization': 'Basic dTpw', authorization: 'Bearer not-for-the-shop' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers.getSetCookie(), ['md.sid=s1; Path=/', 'logged_in=s1; Path=/']);
    assert.deepEqual(await res.json(), { method: 'GET', url: '/login?x=1', body: '', authorization: 'Basic dTpw', carried: null });
    const anonymous = await fetch(`${relay.url}/catalogue`, { headers: { authorization: 'Bearer not-for-the-shop' } });
    assert.equal(((await anonymous.json()) as { authorization: string | null }).authorization, null);
  });

  it('passes request bodies, chunked ones too', async () => {
    const posted = await fetch(`${relay.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"a"}' });
    assert.equal(((await posted.json()) as { body: string }).body, '{"username":"a"}');
    const chunked = await new Promise<string>((resolve, reject) => {
      const req = request(`${relay.url}/orders`, { method: 'POST', agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('{"items":');
      req.end('[1,2]}');
    });
    assert.equal((JSON.parse(chunked) as { body: string }).body, '{"items":[1,2]}');
  });

  it('keeps one upstream connection for successive requests on one client connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        request(`${relay.url}/catalogue`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        }).on('error', reject).end();
      });
    const before = connections;
    for (let i = 0; i < 4; i++) assert.equal(await get(), 200);
    agent.destroy();
    assert.equal(connections - before, 1);
  });

  it('answers 502 naming the front-end when it cannot be reached', async () => {
    const dead = await startRelay('http://127.0.0.1:9');
    try {
      const res = await fetch(`${dead.url}/catalogue`);
      assert.equal(res.status, 502);
      assert.match(await res.text(), /^front-end relay: cannot reach 127\.0\.0\.1:9: .*refused/);
    } finally {
      dead.stop();
    }
  });
});
