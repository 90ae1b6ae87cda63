import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createPrometheusSource, createScrapeSource } from '../../src/telemetry/index.ts';
import { captureLog } from '../util.ts';
import { FakePrometheusApi } from '../telemetry/fakePrometheusApi.ts';
import { FakeSidecar } from '../telemetry/fakeSidecars.ts';

// Bug: a read in flight when a recording stopped (record's Ctrl-C or its end, which closes the
// source and leaves the read behind) failed later, when the store's connection went, and
// warned "cannot read telemetry (ECONNRESET); intervals are recorded as gaps until it
// recovers" after the recording had ended, into whatever was logging then. Found when test
// files began to share a process: one file's late warning landed in the next file's log.
it('a read that fails after its source closed is a fault, not an outage warning', async () => {
  const api = await FakePrometheusApi.start();
  api.answer = () => 'hang';
  const log = captureLog();
  try {
    const source = createPrometheusSource({ url: api.url });
    const read = source.read(1000);
    while (api.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await source.close();
    await api.close(); // destroys the hanging answer: the read fails with the connection
    assert.equal((await read).kind, 'fault');
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn'), []);
  } finally {
    log.restore();
  }
});

it('the same for a direct scrape of the sidecars', async () => {
  const sidecar = await FakeSidecar.start('front-end');
  sidecar.mode = 'hang';
  const log = captureLog();
  try {
    const source = createScrapeSource({ targets: [sidecar.target], scrapeTimeoutMillis: 60_000 });
    const read = source.read(1000);
    while (sidecar.scrapes === 0) await new Promise((resolve) => setImmediate(resolve));
    await source.close();
    await sidecar.close(); // destroys the hanging answer
    assert.equal((await read).kind, 'fault');
    assert.deepEqual(log.messages.filter((m) => m.level === 'warn'), []);
  } finally {
    log.restore();
  }
});
