// The readiness checks of a managed server, against a fake Prometheus API whose targets page the
// test sets: the paths a real server reaches only after long waits (a sidecar that stays down
// after a restart) or by luck. The real servers are in managedPrometheus/managedRestart tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allTargetsUp, waitUntilQueryable, waitUntilScraping } from '../../src/telemetry/serverReadiness.ts';
import { FakePrometheusApi, vector } from './fakePrometheusApi.ts';

type Health = 'up' | 'down' | 'unknown';

function targetsPage(healths: readonly Health[]): { json: unknown } {
  const activeTargets = healths.map((health, i) => ({
    scrapeUrl: `http://127.0.0.1:${4000 + i}/stats/prometheus`,
    health,
    lastError: health === 'down' ? 'connection refused' : '',
  }));
  return { json: { status: 'success', data: { activeTargets, droppedTargets: [] } } };
}

describe('managed server readiness', () => {
  let api: FakePrometheusApi;
  let healths: Health[] = [];
  let scraped = 0;
  before(async () => {
    api = await FakePrometheusApi.start();
    api.answer = (r) => (r.path === '/api/v1/targets' ? targetsPage(healths) : vector(Number(r.time), [{ labels: {}, value: scraped }]));
  });
  after(() => api.close());

  it('allTargetsUp says which targets are missing', async () => {
    healths = ['up', 'down', 'unknown'];
    assert.equal(await allTargetsUp(api.url, 3), '1 of 3 targets up; http://127.0.0.1:4001/stats/prometheus down (connection refused); http://127.0.0.1:4002/stats/prometheus unknown');
    healths = ['up', 'up'];
    assert.equal(await allTargetsUp(api.url, 3), '2 of 3 targets up', 'a target not listed yet counts as missing');
    healths = ['up', 'up', 'up'];
    assert.equal(await allTargetsUp(api.url, 3), true);
    assert.equal(await allTargetsUp('http://127.0.0.1:1', 3), 'targets API not answering yet');
  });

  it('after a restart: waits for every target, says once what is missing when slow, and ends when cancelled', async () => {
    healths = ['up', 'down'];
    const slow: string[] = [];
    const waiting = waitUntilScraping({ url: api.url, targets: 2, evaluationDelaySeconds: 1.25 }, 300, () => false, (state) => slow.push(state));
    // Until the slow message, then a little longer: it must not repeat.
    while (slow.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const polls = api.requests.length;
    while (api.requests.length < polls + 2) await new Promise((resolve) => setTimeout(resolve, 50));
    healths = ['up', 'up'];
    assert.equal(await waiting, true);
    assert.deepEqual(slow, ['1 of 2 targets up; http://127.0.0.1:4001/stats/prometheus down (connection refused)']);

    healths = ['down', 'down'];
    let cancelled = false;
    const stopped = waitUntilScraping({ url: api.url, targets: 2, evaluationDelaySeconds: 1.25 }, 60_000, () => cancelled, () => assert.fail('not slow yet'));
    cancelled = true;
    assert.equal(await stopped, false);
  });

  it('first start: needs the targets up and every sidecar queryable at now − delay; fails on exit or time-out', async () => {
    healths = ['up', 'up'];
    scraped = 1;
    const probe = { url: api.url, targets: 2, evaluationDelaySeconds: 1.25 };
    await assert.rejects(waitUntilQueryable(probe, 500, () => undefined, 'prometheus'), { message: 'prometheus did not scrape all 2 sidecars within 500 ms (targets up, data not yet queryable)' });
    await assert.rejects(waitUntilQueryable(probe, 60_000, () => 'exited with code 1 during start-up: bind: address already in use', 'prometheus'), {
      message: 'prometheus exited with code 1 during start-up: bind: address already in use',
    });
    api.requests.length = 0;
    scraped = 2;
    await waitUntilQueryable(probe, 5000, () => undefined, 'prometheus');
    const query = api.requests.find((r) => r.path === '/api/v1/query');
    assert.equal(query?.query, 'count(up{job="munnin-sidecars"} == 1)');
    assert.ok(Math.abs(Number(query?.time) - (Date.now() / 1000 - 1.25)) < 2, `evaluated at ${query?.time}`);
  });

  it('first start: an abort (Ctrl-C) ends the wait at once with the abort, not at the time-out', { timeout: 10_000 }, async () => {
    healths = ['up', 'down'];
    const controller = new AbortController();
    api.requests.length = 0;
    const waiting = waitUntilQueryable({ url: api.url, targets: 2, evaluationDelaySeconds: 1.25 }, 60_000, () => undefined, 'prometheus', controller.signal);
    // Aborted while it sleeps between two polls.
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await assert.rejects(waitUntilQueryable({ url: api.url, targets: 2, evaluationDelaySeconds: 1.25 }, 60_000, () => undefined, 'prometheus', controller.signal), { name: 'AbortError' }, 'already aborted: not even one poll');
  });
});
