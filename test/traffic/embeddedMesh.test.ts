import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { resolveParameters } from '../../src/config/index.ts';
import { startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { createBuiltinTraffic } from '../../src/traffic/index.ts';

// The built-in users against the real embedded Sock Shop: every behaviour must work end to
// end through its front-end (sessions, new customers' address and card, orders).

describe('built-in traffic against the embedded mesh', () => {
  let mesh: EmbeddedMesh;
  before(async () => (mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 40, catalogueItems: 12 })));
  after(() => mesh?.stop());

  it('browses, registers and buys without failures', async () => {
    const traffic = resolveParameters({ traffic: { users: 4, shape: 'constant', thinkTimeScale: 0.03, mix: { browse: 30, buy: 50, register: 20 } } }).traffic;
    const gen = createBuiltinTraffic({ frontEndUrl: mesh.frontEndUrl, traffic, durationSeconds: 30 });
    await gen.start();
    await wait(2500);
    const stats = await gen.stop();
    const endpoints = stats['endpoints'] as { method: string; name: string; requests: number; failures: number }[];
    const byRoute = new Map(endpoints.map((e) => [`${e.method} ${e.name}`, e]));
    assert.equal(stats.failures, 0, JSON.stringify(stats['errors']));
    for (const r of ['GET /', 'GET /catalogue', 'GET /catalogue/[id]', 'POST /register', 'GET /login', 'POST /cart', 'GET /cart', 'POST /addresses', 'POST /cards', 'POST /orders']) {
      assert.ok((byRoute.get(r)?.requests ?? 0) > 0, `${r} never requested: ${[...byRoute.keys()].join(', ')}`);
    }
    // No failures at all means every POST /orders succeeded: session, cart, address and card all worked.
    assert.equal(byRoute.get('POST /orders')?.failures, 0);
  });
});
