import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { SEEDED_PASSWORD, startEmbeddedMesh, type EmbeddedMesh } from '../../src/mesh/index.ts';
import { Browser } from './exposition.ts';

interface Listing {
  _embedded: Record<string, Record<string, unknown>[]>;
  page: { size: number; totalElements: number; totalPages: number; number: number };
}

const get = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as T;
};

describe('front-end API', () => {
  let mesh: EmbeddedMesh;
  const customers = 23;
  before(async () => {
    mesh = await startEmbeddedMesh({ namespace: 'sock-shop', customers, catalogueItems: 40, seed: 7 });
  });
  after(() => mesh.stop());

  it('lists every stored customer, address and card, without password hashes', async () => {
    const all = await get<Listing>(`${mesh.frontEndUrl}/customers`);
    const people = all._embedded['customer'] ?? [];
    assert.equal(people.length, customers);
    assert.equal(people[0]?.['username'], 'user');
    for (const c of people) {
      for (const field of ['id', 'firstName', 'lastName', 'username', 'email', 'phone']) assert.equal(typeof c[field], 'string', field);
      assert.equal(c['password'], undefined);
      assert.equal(c['salt'], undefined);
    }
    const ids = new Set(people.map((c) => c['id']));
    for (const kind of ['address', 'card']) {
      const list = (await get<Listing>(`${mesh.frontEndUrl}/${kind === 'address' ? 'addresses' : 'cards'}`))._embedded[kind] ?? [];
      assert.equal(list.length, customers, kind);
      assert.ok(list.every((r) => ids.has(r['customerId'])), `${kind}es belong to customers`);
    }
    const card = (await get<Listing>(`${mesh.frontEndUrl}/cards?size=1`))._embedded['card']?.[0];
    assert.match(String(card?.['longNum']), /^\d{16}$/);
  });

  it('pages through customers with ?page=&size=', async () => {
    const seen: unknown[] = [];
    for (let page = 1; ; page++) {
      const p = await get<Listing>(`${mesh.frontEndUrl}/customers?page=${page}&size=5`);
      const batch = p._embedded['customer'] ?? [];
      if (batch.length === 0) break;
      assert.deepEqual(p.page, { size: 5, totalElements: customers, totalPages: Math.ceil(customers / 5), number: page });
      seen.push(...batch.map((c) => c['id']));
    }
    assert.equal(seen.length, customers);
    assert.equal(new Set(seen).size, customers);
    assert.equal((await fetch(`${mesh.frontEndUrl}/customers?page=0&size=5`)).status, 400);
  });

  it('serves a realistic catalogue, filterable by tag', async () => {
    const res = await fetch(`${mesh.frontEndUrl}/catalogue`);
    const text = await res.text();
    const socks = JSON.parse(text) as { id: string; name: string; price: number; tag: string[]; imageUrl: string[] }[];
    assert.equal(socks.length, 40);
    assert.ok(text.length > 10_000, `catalogue is ${text.length} bytes`);
    const tag = socks[0]?.tag[0] ?? '';
    const tagged = await get<{ tag: string[] }[]>(`${mesh.frontEndUrl}/catalogue?tags=${tag}`);
    assert.equal(tagged.length, socks.filter((s) => s.tag.includes(tag)).length);
    assert.deepEqual(await get(`${mesh.frontEndUrl}/catalogue/size?tags=${tag}`), { size: tagged.length, err: null });
    assert.equal((await fetch(`${mesh.frontEndUrl}/catalogue/no-such-sock`)).status, 404);
  });

  it("logs in Sock Shop's seeded user and refuses a wrong password", async () => {
    const auth = (p: string) => ({ authorization: `Basic ${Buffer.from(`user:${p}`).toString('base64')}` });
    assert.equal((await new Browser(mesh.frontEndUrl).request('/login', { headers: auth(SEEDED_PASSWORD) })).status, 200);
    assert.equal((await new Browser(mesh.frontEndUrl).request('/login', { headers: auth('nope') })).status, 401);
    assert.equal((await new Browser(mesh.frontEndUrl).request('/orders', { method: 'POST' })).status, 401);
  });

  it('generates the same records for the same seed, other records for another seed', async () => {
    const same = await startEmbeddedMesh({ namespace: 'sock-shop', customers, catalogueItems: 40, seed: 7 });
    const other = await startEmbeddedMesh({ namespace: 'sock-shop', customers, catalogueItems: 40, seed: 8 });
    try {
      const body = async (m: EmbeddedMesh, path: string) => (await fetch(`${m.frontEndUrl}${path}`)).text();
      assert.equal(await body(same, '/customers'), await body(mesh, '/customers'));
      assert.equal(await body(same, '/catalogue'), await body(mesh, '/catalogue'));
      assert.notEqual(await body(other, '/customers'), await body(mesh, '/customers'));
    } finally {
      await Promise.all([same.stop(), other.stop()]);
    }
  });

  it('rejects bad options with the parameter named', async () => {
    await assert.rejects(startEmbeddedMesh({ namespace: 'sock-shop', customers: 0, catalogueItems: 4 }), (e: unknown) => e instanceof UserError && /mesh\.customers.*got 0/.test(e.message));
    await assert.rejects(startEmbeddedMesh({ namespace: 'Sock Shop', customers: 1, catalogueItems: 4 }), (e: unknown) => e instanceof UserError && /mesh\.namespace/.test(e.message));
  });
});
