import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { resolveParameters } from '../../src/config/index.ts';
import { createBuiltinTraffic, createRandom } from '../../src/traffic/index.ts';
import { RequestTally } from '../../src/traffic/RequestTally.ts';
import { browse, buy, register, type ShopperState } from '../../src/traffic/sockShopBehaviours.ts';
import { UserSession } from '../../src/traffic/UserSession.ts';
import { startFakeFrontEnd, type FakeFrontEnd } from './fakeFrontEnd.ts';

// The Sock Shop behaviours over real HTTP, against the fake front-end (which, like the real
// one, wants the session cookie from /login for the cart and orders).

describe('Sock Shop behaviours over HTTP', () => {
  let shop: FakeFrontEnd;
  before(async () => (shop = await startFakeFrontEnd({ catalogueItems: 5 })));
  after(() => shop.close());

  let shoppers = 0;
  const shopper = (tally: RequestTally): ShopperState => ({
    userNumber: shoppers++,
    runTag: 'test',
    random: createRandom(5, 0),
    registrations: 0,
    session: new UserSession({
      baseUrl: shop.url,
      tally,
      haltSignal: new AbortController().signal,
      abortSignal: new AbortController().signal,
      timeoutMillis: 5000,
      fetch,
    }),
  });

  it('browse reads the index, the catalogue and item pages', async () => {
    shop.requests.length = 0;
    const tally = new RequestTally();
    await browse(shopper(tally));
    const paths = shop.requests.map((r) => r.path);
    assert.deepEqual(paths.slice(0, 2), ['/', '/catalogue']);
    assert.ok(paths.length >= 3 && paths.length <= 5, paths.join(' '));
    assert.ok(paths.slice(2).every((p) => /^\/catalogue\/sock-[0-4]$/.test(p)), paths.join(' '));
    assert.deepEqual([tally.requests, tally.failures], [paths.length, 0]);
  });

  it('register signs up; buy logs in with that account and orders with the session cookie', async () => {
    shop.requests.length = 0;
    const tally = new RequestTally();
    const s = shopper(tally);
    await register(s);
    assert.ok(s.account);
    assert.equal(shop.accounts.get(s.account.username), s.account.password);
    await buy(s);
    assert.deepEqual(shop.orders, [s.account.username]);
    const cart = shop.requests.filter((r) => r.path === '/cart' || r.path === '/orders');
    assert.ok(cart.length >= 3 && cart.every((r) => /sid=\d+/.test(r.cookie ?? '')), 'cart and orders carry the session');
    assert.equal(tally.failures, 0);
  });

  it('buy without an account registers first', async () => {
    const tally = new RequestTally();
    const s = shopper(tally);
    const before = shop.accounts.size;
    await buy(s);
    assert.equal(shop.accounts.size, before + 1);
    assert.equal(tally.failures, 0);
  });
});

describe('createBuiltinTraffic against a fake front-end', () => {
  const traffic = resolveParameters({ traffic: { users: 3, shape: 'constant', thinkTimeScale: 0.02 } }).traffic;

  it('drives every route; its statistics match what the front-end saw', async () => {
    const shop = await startFakeFrontEnd();
    try {
      const gen = createBuiltinTraffic({ frontEndUrl: shop.url, traffic, durationSeconds: 30 });
      await gen.start();
      await wait(1500);
      const stats = await gen.stop();
      const seen = shop.requests.length;
      await wait(200);
      assert.equal(shop.requests.length, seen, 'nothing after stop()');
      assert.equal(stats.requests + (stats['aborted'] as number), seen);
      assert.equal(stats.failures, 0);
      const routes = new Set(shop.requests.map((r) => `${r.method} ${r.path.replace(/^\/catalogue\/.+/, '/catalogue/[id]')}`));
      for (const r of ['GET /', 'GET /catalogue', 'GET /catalogue/[id]', 'POST /register', 'GET /login', 'POST /cart', 'GET /cart', 'POST /addresses', 'POST /cards', 'POST /orders']) {
        assert.ok(routes.has(r), `${r} not seen in ${[...routes].join(', ')}`);
      }
      assert.ok(shop.orders.length > 0);
      const endpoints = stats['endpoints'] as { name: string; requests: number }[];
      assert.equal(endpoints.reduce((sum, e) => sum + e.requests, 0), stats.requests);
    } finally {
      await shop.close();
    }
  });

  it('counts an unreachable front-end as failures, without throwing', async () => {
    const shop = await startFakeFrontEnd();
    const url = shop.url;
    await shop.close();
    const gen = createBuiltinTraffic({ frontEndUrl: url, traffic, durationSeconds: 30 });
    await gen.start();
    await wait(500);
    const stats = await gen.stop();
    assert.ok(stats.requests > 0);
    assert.equal(stats.failures, stats.requests);
    const errors = stats['errors'] as { error: string }[];
    assert.ok(errors.every((e) => /ECONNREFUSED/.test(e.error)), JSON.stringify(errors));
  });
});
