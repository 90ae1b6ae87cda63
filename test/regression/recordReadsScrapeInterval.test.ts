import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { recordMesh } from '../../src/record/index.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';
import { FakePrometheusApi, vector, type ApiAnswer, type ApiRequest } from '../telemetry/fakePrometheusApi.ts';

// Bug: `record` assumed the store scrapes every second (telemetry.prometheus.scrapeIntervalSeconds'
// default) and never asked it: against a Prometheus scraping every 5 s, the default 2-s
// intervals read [0, 300, 0, 0, 300, ...] without a warning, while the Kubernetes target reads
// the interval from Prometheus's own configuration. Now record reads it the same way (one
// function, readScrapeInterval, with the run's credentials): a shorter interval is refused,
// and the run reads with the store's interval.

const CONFIG = 'global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: mesh\n    static_configs:\n      - targets: [127.0.0.1:19181]\n';

/** A store answering /api/v1/status/config with `config`; once `runDir` exists (the recording has started), its first read stops the run. */
function store(config: ApiAnswer, runDir?: string, stop?: AbortController): (r: ApiRequest) => ApiAnswer {
  return (r) => {
    if (r.path === '/api/v1/status/config') return config;
    if (runDir !== undefined && existsSync(join(runDir, 'run.json'))) stop?.abort();
    return vector(Number(r.time), []);
  };
}

const served = { json: { status: 'success', data: { yaml: CONFIG } } };

describe('record reads the store\'s scrape interval', () => {
  it('refuses 2-s intervals against a store scraping every 5 s, before creating anything', async () => {
    const api = await FakePrometheusApi.start();
    const tmp = makeTempDir();
    // Stops a recording that wrongly starts, so that the test fails rather than hangs.
    const stop = new AbortController();
    api.answer = store(served, join(tmp.dir, 'rec5'), stop);
    try {
      const params = resolveParameters({ outputDir: tmp.dir, durationSeconds: 3600, intervalSeconds: 2, telemetry: { prometheus: { url: api.url } } } as never);
      await assert.rejects(recordMesh(params, 'rec5', { progress: false, signal: stop.signal }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /^intervalSeconds: 2 s is shorter than the 5-s scrape interval of the Prometheus at http:\/\/127\.0\.0\.1:\d+ \(its configuration, its global scrape_interval\)/);
        assert.match(e.message, /use --interval 5 or a multiple of it/);
        return true;
      });
      assert.equal(existsSync(join(tmp.dir, 'rec5')), false);
    } finally {
      await api.close();
      tmp.remove();
    }
  });

  it('reads with the store\'s interval, asks with the run\'s credentials, warns of an interval that is no multiple of it', async () => {
    const api = await FakePrometheusApi.start();
    const tmp = makeTempDir();
    const stop = new AbortController();
    api.answer = store(served, join(tmp.dir, 'rec6'), stop);
    const log = captureLog();
    process.env['FX9_TEST_TOKEN'] = 'tok-123';
    try {
      const params = resolveParameters({ outputDir: tmp.dir, durationSeconds: 3600, intervalSeconds: 6, telemetry: { prometheus: { url: api.url, bearerTokenEnv: 'FX9_TEST_TOKEN' } } } as never);
      const result = await recordMesh(params, 'rec6', { progress: false, signal: stop.signal });
      assert.equal(readJson(result.dir, 'run.json').source.scrapeIntervalSeconds, 5);
      const config = api.requests.find((r) => r.path === '/api/v1/status/config');
      assert.equal(config?.headers['authorization'], 'Bearer tok-123');
      // 6 / 5 = 1.2 scrapes per interval: intervals cover 1 or 2 in turn; the next multiple is 10.
      assert.match(log.text('warn'), /intervalSeconds: 6 s is not a multiple of the 5-s scrape interval: intervals cover 1 or 2 scrapes in turn.*use --interval 10/);
    } finally {
      delete process.env['FX9_TEST_TOKEN'];
      log.restore();
      await api.close();
      tmp.remove();
    }
  });

  it('a store that does not say (404) is warned about, and the parameters\' interval used', async () => {
    const api = await FakePrometheusApi.start();
    const tmp = makeTempDir();
    const stop = new AbortController();
    api.answer = store({ status: 404, text: '404 page not found' }, join(tmp.dir, 'rec2'), stop);
    const log = captureLog();
    try {
      const params = resolveParameters({ outputDir: tmp.dir, durationSeconds: 3600, intervalSeconds: 2, telemetry: { prometheus: { url: api.url } } } as never);
      const result = await recordMesh(params, 'rec2', { progress: false, signal: stop.signal });
      assert.equal(readJson(result.dir, 'run.json').source.scrapeIntervalSeconds, 1);
      assert.match(log.text('warn'), /cannot read how often the Prometheus at http:\/\/127\.0\.0\.1:\d+ scrapes \(\/api\/v1\/status\/config answered 404\); assuming telemetry\.prometheus\.scrapeIntervalSeconds \(1 s\)/);
    } finally {
      log.restore();
      await api.close();
      tmp.remove();
    }
  });
});
