import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExfiltrationError, countRecords, exfiltrateViaApi } from '../../src/exfiltration/index.ts';
import { startFakeFrontEnd, type FakeFrontEnd } from '../traffic/fakeFrontEnd.ts';
import { fakeResponse } from '../traffic/virtualTime.ts';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('exfiltrateViaApi against a fake front-end', () => {
  let shop: FakeFrontEnd;
  before(async () => (shop = await startFakeFrontEnd({ customers: 50 })));
  after(() => shop.close());

  it('pages through customers, then addresses, until the byte target; counts the bodies received', async () => {
    shop.requests.length = 0;
    const customerBytes = async () => {
      let total = 0;
      for (let page = 1; page <= 3; page++) total += (await (await fetch(`${shop.url}/customers?page=${page}&size=20`)).arrayBuffer()).byteLength;
      return total;
    };
    const allCustomers = await customerBytes();
    shop.requests.length = 0;
    const before = Date.now() / 1000;
    const r = await exfiltrateViaApi(shop.url, allCustomers + 1);
    const afterwards = Date.now() / 1000;
    // 50 customers in pages of 20: pages 1-3 hold them, page 4 is empty; then addresses page 1.
    assert.deepEqual(
      shop.requests.map((q) => `${q.path}${q.query}`),
      ['/customers?page=1&size=20', '/customers?page=2&size=20', '/customers?page=3&size=20', '/customers?page=4&size=20', '/addresses?page=1&size=20'],
    );
    const sent = shop.requests.filter((q) => q.query !== '?page=4&size=20').reduce((sum, q) => sum + q.bytes, 0);
    assert.equal(r.bytes, sent);
    assert.ok(r.bytes > allCustomers);
    assert.ok(before <= r.start && r.start < r.end && r.end <= afterwards + 0.001, JSON.stringify({ before, r, afterwards }));
  });

  it('goes round the three collections again when they hold less than the target', async () => {
    shop.requests.length = 0;
    const r = await exfiltrateViaApi(shop.url, 30_000, { pageSize: 50 });
    const paths = shop.requests.map((q) => q.path);
    assert.deepEqual(paths.slice(0, 6), ['/customers', '/customers', '/addresses', '/addresses', '/cards', '/cards']);
    assert.ok(paths.filter((p) => p === '/customers').length >= 3, paths.join(' '));
    assert.ok(r.bytes >= 30_000);
  });

  it('fails clearly when the front-end has no records', async () => {
    const empty = await startFakeFrontEnd({ customers: 0 });
    try {
      await assert.rejects(exfiltrateViaApi(empty.url, 1000), (e: unknown) => {
        assert.ok(e instanceof ExfiltrationError);
        assert.match(e.message, /no customers, addresses, cards records/);
        assert.equal(e.partial.bytes, 0);
        return true;
      });
    } finally {
      await empty.close();
    }
  });

  it('gives up after repeated server errors, reporting what moved', async () => {
    shop.failing = true;
    try {
      await assert.rejects(exfiltrateViaApi(shop.url, 1000), (e: unknown) => e instanceof ExfiltrationError && /HTTP 500/.test(e.message) && e.partial.bytes === 0);
    } finally {
      shop.failing = false;
    }
  });
});

describe('exfiltrateViaApi abort', () => {
  it('stops when the signal aborts; the error carries the bytes already received', async () => {
    const controller = new AbortController();
    let pages = 0;
    const fake = (async () => {
      pages += 1;
      if (pages === 2) controller.abort();
      return fakeResponse(200, [{ id: pages, pad: 'x'.repeat(90) }]);
    }) as unknown as typeof fetch;
    await assert.rejects(exfiltrateViaApi('http://f.test', 1_000_000, { fetch: fake, signal: controller.signal }), (e: unknown) => {
      assert.ok(e instanceof ExfiltrationError);
      assert.match(e.message, /aborted/);
      const onePage = enc([{ id: 1, pad: 'x'.repeat(90) }]).byteLength;
      assert.equal(e.partial.bytes, 2 * onePage);
      assert.ok(e.partial.end > e.partial.start);
      return true;
    });
    assert.equal(pages, 2);
  });
});

describe('countRecords', () => {
  it('counts arrays, arrays inside objects (HAL _embedded), and nothing else', () => {
    assert.equal(countRecords(enc([1, 2, 3])), 3);
    assert.equal(countRecords(enc([])), 0);
    assert.equal(countRecords(enc({ _embedded: { customer: [{}, {}] }, page: { size: 2 } })), 2);
    assert.equal(countRecords(enc({ error: 'not found' })), 0);
    assert.equal(countRecords(enc('<html>')), 0);
  });
});
