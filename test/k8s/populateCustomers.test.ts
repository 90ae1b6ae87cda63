// Customer registration through a Sock Shop front-end: the embedded mesh's (a real Sock Shop API
// implementation), and a front-end that refuses sign-ups.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { customerUsername, populateCustomers } from '../../src/k8s/index.ts';
import { listen, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';

describe('populateCustomers', () => {
  let mesh: EmbeddedMesh;
  let refusing: Server;
  let refusingUrl = '';
  let registerCalls = 0;

  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers: 2, catalogueItems: 3 });
    refusing = createServer((req, res) => {
      if (req.url === '/customers') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"_embedded":{"customer":[]}}');
      registerCalls += 1;
      res.writeHead(500).end();
    });
    refusingUrl = `http://127.0.0.1:${await listen(refusing)}`;
  });
  after(async () => {
    refusing.close();
    await mesh.stop();
  });

  it('registers the missing customers, each with an address and a card, and skips them on a second run', async () => {
    const notes: string[] = [];
    assert.deepEqual(await populateCustomers(mesh.frontEndUrl, { customers: 6, onProgress: (m) => notes.push(m) }), { existing: 0, registered: 6 });
    assert.deepEqual(notes, ['kubernetes: registering 6 customers through the front-end (0 already there)...', 'kubernetes: 6 customers registered']);
    const customers = (await (await fetch(`${mesh.frontEndUrl}/customers`)).json()) as { _embedded: { customer: { username: string }[] } };
    const names = customers._embedded.customer.map((c) => c.username);
    assert.deepEqual(names.filter((n) => n.startsWith('munnin-')).sort(), [1, 2, 3, 4, 5, 6].map(customerUsername));
    for (const kind of ['addresses', 'cards'] as const) {
      const list = (await (await fetch(`${mesh.frontEndUrl}/${kind}`)).json()) as { _embedded: Record<string, unknown[]> };
      assert.equal(Object.values(list._embedded)[0]!.length, 2 + 6, kind);
    }
    assert.deepEqual(await populateCustomers(mesh.frontEndUrl, { customers: 8 }), { existing: 6, registered: 2 });
    assert.deepEqual(await populateCustomers(mesh.frontEndUrl, { customers: 8 }), { existing: 8, registered: 0 });
  });

  it('gives up early on a front-end that refuses every sign-up', async () => {
    await assert.rejects(populateCustomers(refusingUrl, { customers: 100, concurrency: 1 }), new Error(`cannot register customers through ${refusingUrl}: munnin-00001: POST /register answered 500`));
    assert.equal(registerCalls, 5);
  });

  it('refuses an answer that is not a Sock Shop customer list', async () => {
    // `<base>/customers` lands on GET /tags, which answers 200 with a tag list.
    const base = `${mesh.frontEndUrl}/tags?ignored=`;
    await assert.rejects(populateCustomers(base, { customers: 1 }), new Error(`GET ${base}/customers: not a Sock Shop customer list (no _embedded.customer)`));
    await assert.rejects(populateCustomers(`${mesh.frontEndUrl}/nowhere`, { customers: 1 }), new Error(`GET ${mesh.frontEndUrl}/nowhere/customers answered 404`));
  });
});
