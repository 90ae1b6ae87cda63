import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { resolveParameters, type ParametersInput } from '../../src/config/index.ts';
import { createBuiltinTraffic } from '../../src/traffic/index.ts';
import type { RunEvent, TrafficStats } from '../../src/types.ts';
import { T0_MILLIS, advance, fakeResponse, settle, useVirtualTime, virtualSeconds } from './virtualTime.ts';

// The built-in generator's scheduling in virtual time, against a fake fetch that answers at
// once and hands each new session a `uid` cookie: distinct uids in a window = users active.

interface Call {
  readonly t: number;
  readonly uid: string;
  readonly method: string;
  readonly path: string;
}

function fakeShop() {
  const calls: Call[] = [];
  let sessions = 0;
  const fetch = (async (url: URL, init: RequestInit) => {
    const cookie = new Headers(init.headers).get('cookie') ?? '';
    const known = /uid=(\d+)/.exec(cookie)?.[1];
    const uid = known ?? String(sessions++);
    calls.push({ t: virtualSeconds(), uid, method: init.method ?? 'GET', path: url.pathname });
    const body = url.pathname === '/catalogue' ? [{ id: 'a' }, { id: 'b' }, { id: 'c' }] : { ok: true };
    return fakeResponse(200, body, known ? {} : { 'set-cookie': `uid=${uid}; Path=/` });
  }) as unknown as typeof globalThis.fetch;
  const activeIn = (from: number, to: number) => new Set(calls.filter((c) => c.t >= from && c.t < to).map((c) => c.uid)).size;
  return { calls, fetch, activeIn };
}

const traffic = (t: ParametersInput['traffic']) => resolveParameters({ traffic: t }).traffic;

describe('createBuiltinTraffic in virtual time', () => {
  beforeEach(useVirtualTime);
  afterEach(() => mock.timers.reset());

  it('follows the normal curve: user levels, load-change events, users really active', async () => {
    const shop = fakeShop();
    const events: RunEvent[] = [];
    const gen = createBuiltinTraffic({
      frontEndUrl: 'http://front-end.test',
      traffic: traffic({ users: 10, shape: 'normal', seed: 3 }),
      durationSeconds: 240,
      onEvent: (e) => events.push(e),
      fetch: shop.fetch,
    });
    await gen.start();
    await advance(240_000, 100);
    const stats = await gen.stop();

    // By hand (see loadShape.test.ts): steps of 10 s, users per step x = 0..23 are
    // 7 6 5 5 4 4 4 4 4 5 5 6 7 8 8 9 10 10 10 10 10 9 8 8.
    assert.deepEqual(events.map((e) => e['users']), [7, 6, 5, 4, 5, 6, 7, 8, 9, 10, 9, 8]);
    const changesAt = [0, 10, 20, 40, 90, 110, 120, 130, 150, 160, 210, 220];
    assert.deepEqual(events.map((e) => e.start - T0_MILLIS / 1000), changesAt);
    assert.deepEqual(events.map((e) => e.end - T0_MILLIS / 1000), [...changesAt.slice(1), 240]);
    assert.ok(events.every((e) => e.kind === 'load-change'));

    // Each active user acts at least every 4 s (think time 2-4 s), so a 4.5 s window sees them all.
    assert.equal(shop.activeIn(0, 4.5), 7);
    assert.equal(shop.activeIn(45, 49.5), 4);
    assert.equal(shop.activeIn(165, 169.5), 10);
    assert.equal(shop.activeIn(225, 229.5), 8);
    assert.equal(stats.generator, 'builtin');
    assert.equal(stats.requests, shop.calls.length);
    assert.equal(stats.failures, 0);
  });

  it('thinks 2-4 s between actions (thinkTimeSeconds x thinkTimeScale)', async () => {
    for (const [scale, min, max] of [[1, 2, 4], [0.5, 1, 2]] as const) {
      const shop = fakeShop();
      const gen = createBuiltinTraffic({
        frontEndUrl: 'http://front-end.test',
        traffic: traffic({ users: 3, shape: 'constant', thinkTimeScale: scale }),
        durationSeconds: 60,
        fetch: shop.fetch,
      });
      await gen.start();
      await advance(60_000, 10);
      await gen.stop();
      // A user's requests of one action all happen at one virtual instant.
      const gaps: number[] = [];
      for (const uid of new Set(shop.calls.map((c) => c.uid))) {
        const times = [...new Set(shop.calls.filter((c) => c.uid === uid).map((c) => c.t))];
        for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
      }
      assert.ok(gaps.length > 20, `scale ${scale}: ${gaps.length} gaps`);
      assert.ok(Math.min(...gaps) >= min - 1e-9, `scale ${scale}: shortest gap ${Math.min(...gaps)}`);
      assert.ok(Math.max(...gaps) <= max + 0.01 + 1e-9, `scale ${scale}: longest gap ${Math.max(...gaps)}`);
      // Uniform over the range: with this many draws both ends are reached closely.
      const spread = (max - min) * 0.2;
      assert.ok(Math.min(...gaps) < min + spread && Math.max(...gaps) > max - spread, `scale ${scale}: gaps do not span ${min}-${max} s`);
    }
  });

  it('does only the behaviours with weight: browse only, register only', async () => {
    const run = async (mix: { browse: number; buy: number; register: number }) => {
      const shop = fakeShop();
      const gen = createBuiltinTraffic({
        frontEndUrl: 'http://front-end.test',
        traffic: traffic({ users: 4, shape: 'constant', mix }),
        durationSeconds: 30,
        fetch: shop.fetch,
      });
      await gen.start();
      await advance(30_000, 50);
      await gen.stop();
      return new Set(shop.calls.map((c) => `${c.method} ${c.path.startsWith('/catalogue/') ? '/catalogue/[id]' : c.path}`));
    };
    assert.deepEqual([...(await run({ browse: 1, buy: 0, register: 0 }))].sort(), ['GET /', 'GET /catalogue', 'GET /catalogue/[id]']);
    assert.deepEqual([...(await run({ browse: 0, buy: 0, register: 1 }))], ['POST /register']);
    const buying = await run({ browse: 0, buy: 1, register: 0 });
    for (const r of ['POST /register', 'GET /login', 'GET /catalogue', 'POST /cart', 'GET /cart', 'POST /addresses', 'POST /cards', 'POST /orders']) assert.ok(buying.has(r), r);
    assert.ok(!buying.has('GET /'));
  });

  it('makes the same decisions for the same seed, different ones for another', async () => {
    const run = async (seed: number) => {
      mock.timers.reset();
      useVirtualTime();
      const shop = fakeShop();
      const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({ users: 5, seed }), durationSeconds: 40, fetch: shop.fetch });
      await gen.start();
      await advance(40_000, 50);
      await gen.stop();
      return shop.calls.map((c) => `${c.t.toFixed(2)} ${c.uid} ${c.method} ${c.path}`);
    };
    const a = await run(11);
    assert.ok(a.length > 30);
    assert.deepEqual(await run(11), a);
    assert.notDeepEqual(await run(12), a);
  });
});

describe('createBuiltinTraffic stop()', () => {
  beforeEach(useVirtualTime);
  afterEach(() => mock.timers.reset());

  it('lets requests in flight finish within the grace, then starts nothing new', async () => {
    const calls: number[] = [];
    const slow = ((_url: URL, _init: RequestInit) => {
      calls.push(virtualSeconds());
      return new Promise((resolve) => setTimeout(() => resolve(fakeResponse(200, [{ id: 'a' }])), 500));
    }) as unknown as typeof fetch;
    const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({ users: 3, shape: 'constant' }), durationSeconds: 60, fetch: slow });
    await gen.start();
    await advance(100);
    let resolved: TrafficStats | undefined;
    void gen.stop().then((s) => (resolved = s));
    const result = () => resolved;
    await advance(390);
    assert.equal(result(), undefined, 'still waiting for the requests in flight');
    await advance(20);
    const stats = result();
    assert.ok(stats, 'resolved once they finished, before the grace ran out');
    assert.equal(stats.requests, 3);
    assert.equal(stats['aborted'], 0);
    await advance(10_000, 100);
    assert.equal(calls.length, 3, 'no request after stop()');
  });

  it('aborts what is still in flight after the grace; counts it as aborted, not failed', async () => {
    const hang = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch;
    const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({ users: 3, shape: 'constant' }), durationSeconds: 60, fetch: hang, stopGraceMillis: 2000 });
    await gen.start();
    await advance(1000);
    let resolved: TrafficStats | undefined;
    void gen.stop().then((s) => (resolved = s));
    const result = () => resolved;
    await advance(1990);
    assert.equal(result(), undefined);
    await advance(20);
    const stats = result();
    assert.ok(stats);
    assert.deepEqual([stats.requests, stats.failures, stats['aborted']], [0, 0, 3]);
  });

  it('counts a failing front-end instead of throwing', async () => {
    let n = 0;
    const failing = (async () => {
      n += 1;
      if (n % 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return fakeResponse(500, { error: 'boom' });
    }) as unknown as typeof fetch;
    const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({ users: 2, shape: 'constant' }), durationSeconds: 20, fetch: failing });
    await gen.start();
    await advance(20_000, 50);
    const stats = await gen.stop();
    assert.equal(stats.requests, n);
    assert.equal(stats.failures, n);
    const errors = stats['errors'] as { error: string; occurrences: number }[];
    assert.deepEqual(new Set(errors.map((e) => e.error)), new Set(['HTTP 500', 'fetch failed: ECONNREFUSED']));
    assert.equal(errors.reduce((sum, e) => sum + e.occurrences, 0), n);
  });

  it('counts a request that exceeds its time-out as a failure', async () => {
    const hang = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch;
    const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({ users: 1, shape: 'constant', mix: { browse: 1, buy: 0, register: 0 } }), durationSeconds: 60, fetch: hang, requestTimeoutMillis: 1000, stopGraceMillis: 500 });
    await gen.start();
    await advance(1010);
    // GET / timed out at 1 s; browse went on to GET /catalogue, which stop() aborts after its 0.5 s grace.
    const stopping = gen.stop();
    await advance(600);
    const stats = await stopping;
    assert.deepEqual([stats.requests, stats.failures, stats['aborted']], [1, 1, 1]);
    assert.deepEqual(stats['errors'], [{ method: 'GET', name: '/', error: 'timed out after 1000 ms', occurrences: 1 }]);
  });

  it('is idempotent and safe before start', async () => {
    const gen = createBuiltinTraffic({ frontEndUrl: 'http://f.test', traffic: traffic({}), durationSeconds: 10, fetch: fakeShop().fetch });
    const first = gen.stop();
    await settle();
    assert.equal(gen.stop(), first);
    assert.deepEqual([(await first).requests, (await first).failures], [0, 0]);
  });
});
