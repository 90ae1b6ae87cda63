// Regression (issue 20): the real Sock Shop front-end ignores `?page=&size=` and answers every
// request with the whole collection; the attacker then asked for page 2, 3, ... of the same
// records, pulling the same collection again and again instead of the next one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exfiltrateViaApi } from '../../src/exfiltration/index.ts';
import { fakeResponse } from '../traffic/virtualTime.ts';

test('a server that returns more records than asked for gave the whole collection: the attacker moves on to the next one', async () => {
  const asked: string[] = [];
  // 30 records whatever the page (size 20 asked), each ~100 bytes: ~3 kB a collection.
  const whole = Array.from({ length: 30 }, (_, id) => ({ id, pad: 'x'.repeat(90) }));
  const fake = (async (url: URL) => {
    asked.push(`${url.pathname}${url.search}`);
    return fakeResponse(200, whole);
  }) as unknown as typeof fetch;
  const oneCollection = new TextEncoder().encode(JSON.stringify(whole)).byteLength;
  const r = await exfiltrateViaApi('http://f.test', 2 * oneCollection + 1, { fetch: fake, pageSize: 20 });
  // Three collections are needed for more than two collections' bytes: each asked for once.
  assert.deepEqual(asked, ['/customers?page=1&size=20', '/addresses?page=1&size=20', '/cards?page=1&size=20']);
  assert.equal(r.bytes, 3 * oneCollection);
});
