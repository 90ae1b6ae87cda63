import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { UserError } from '../../src/errors.ts';
import { differentiate } from '../../src/matrix/index.ts';
import { createPrometheusSource } from '../../src/telemetry/index.ts';
import type { TelemetryRead } from '../../src/types.ts';
import { captureLog, reasonOf, samplesOf, totals } from '../util.ts';
import { FakePrometheusApi, vector, type ApiAnswer, type ApiRequest, type VectorSeries } from './fakePrometheusApi.ts';
import { refusingUrl } from './fakeSidecars.ts';

const GROUP = 'source_workload, source_workload_namespace, destination_service_name, destination_workload, destination_service_namespace, reporter, instance, pod';

const edge = (reporter: string, src: string, dst: string, instance: string, extra: Record<string, string> = {}) => ({
  reporter,
  source_workload: src,
  source_workload_namespace: 'sock-shop',
  destination_service_name: dst,
  destination_workload: dst === 'PassthroughCluster' ? 'unknown' : dst,
  destination_service_namespace: 'sock-shop',
  instance,
  ...extra,
});

/** The series a Prometheus would return for `sum by (...)`, per metric of the query. */
function answerFor(perMetric: Readonly<Record<string, readonly VectorSeries[]>>) {
  return (r: ApiRequest) => {
    const metric = /\((istio_[a-z_]+)\)$/.exec(r.query)?.[1] ?? '';
    return vector(Number(r.time), perMetric[metric] ?? []);
  };
}

describe('createPrometheusSource', () => {
  let api: FakePrometheusApi;
  before(async () => {
    api = await FakePrometheusApi.start();
  });
  after(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.answer = (r) => vector(Number(r.time), []);
  });

  it('sends one aggregated instant query per metric, evaluated evaluationDelaySeconds before the requested time', async () => {
    const source = createPrometheusSource({ url: api.url, scrapeIntervalSeconds: 1 });
    const read = await source.read(1000);
    assert.equal(read.t, 998.75);
    samplesOf(read);
    assert.deepEqual(api.requests.map((r) => [r.path, r.time]), Array(6).fill(['/api/v1/query', '998.75']));
    assert.deepEqual(
      api.requests.map((r) => r.query).sort(),
      [
        'istio_request_bytes_sum',
        'istio_requests_total',
        'istio_response_bytes_sum',
        'istio_tcp_connections_opened_total',
        'istio_tcp_received_bytes_total',
        'istio_tcp_sent_bytes_total',
      ].map((m) => `sum by (${GROUP}) (${m})`),
    );
    assert.equal(source.lagSeconds, 1.25);
    assert.deepEqual(source.describe(), { kind: 'prometheus', url: api.url, reporter: 'source', scrapeIntervalSeconds: 1, evaluationDelaySeconds: 1.25 });
  });

  it('maps the answers to samples with the reporter rule, aliases and a series per sidecar', async () => {
    api.answer = answerFor({
      istio_requests_total: [
        { labels: edge('source', 'front-end', 'catalogue', '10.0.0.1:15020'), value: 120 },
        { labels: edge('source', 'front-end', 'catalogue', '10.0.0.2:15020'), value: 30 },
        { labels: edge('destination', 'front-end', 'catalogue', '10.0.0.9:15020'), value: 151 },
        { labels: edge('destination', 'unknown', 'front-end', '10.0.0.1:15020'), value: 77 },
      ],
      istio_tcp_received_bytes_total: [{ labels: edge('source', 'user', 'PassthroughCluster', '10.0.0.5:15020'), value: '4e5' }],
    });
    const samples = samplesOf(await createPrometheusSource({ url: api.url, metrics: ['requests', 'tcp_received_bytes'] }).read(50));
    assert.equal(api.requests.length, 2);
    assert.deepEqual(totals(samples), {
      'requests front-end>catalogue': 150,
      'requests external>front-end': 77,
      'tcp_received_bytes user>external': 400000,
    });
    assert.equal(samples.length, 4);
    assert.equal(new Set(samples.map((s) => s.series)).size, 4);
    assert.ok(samples.filter((s) => s.dst === 'catalogue').every((s) => /instance="10\.0\.0\.[12]:15020"/.test(s.series)));
  });

  it('keeps resets per sidecar: one pod restarting does not erase the other pods from the interval', async () => {
    let values = [100, 500];
    api.answer = answerFor({
      istio_requests_total: [
        { labels: edge('source', 'orders', 'carts', 'pod-a'), value: values[0]! },
        { labels: edge('source', 'orders', 'carts', 'pod-b'), value: values[1]! },
      ],
    });
    const source = createPrometheusSource({ url: api.url, metrics: ['requests'] });
    const reads: TelemetryRead[] = [await source.read(10)];
    // pod-a served 10 more requests; pod-b restarted and has served 20 since.
    values = [110, 20];
    api.answer = answerFor({
      istio_requests_total: [
        { labels: edge('source', 'orders', 'carts', 'pod-a'), value: values[0]! },
        { labels: edge('source', 'orders', 'carts', 'pod-b'), value: values[1]! },
      ],
    });
    reads.push(await source.read(12));
    const [snapshot] = await firstValueFrom(from(reads).pipe(differentiate(), toArray()));
    assert.deepEqual(snapshot?.edges, [{ src: 'orders', dst: 'carts', values: { requests: 10 + 20 } }]);
  });

  const failures: [string, (r: ApiRequest) => ApiAnswer, RegExp][] = [
    ['HTTP 500 with a Prometheus error', () => ({ status: 500, json: { status: 'error', errorType: 'internal', error: 'query engine exploded' } }), /^HTTP 500: query engine exploded$/],
    ['HTTP 503 with an HTML page', () => ({ status: 503, text: '<html><body>Service Unavailable</body></html>' }), /^HTTP 503: <html><body>Service Unavailable<\/body><\/html>$/],
    ['a 200 that is not JSON', () => ({ text: 'hello, I am not Prometheus' }), /^malformed answer: expected a JSON object, got text "hello, I am not Prometheus"$/],
    ['a matrix instead of a vector', () => ({ json: { status: 'success', data: { resultType: 'matrix', result: [] } } }), /^malformed answer at data\.resultType: /],
    ['a sample value that is no number', (r) => vector(Number(r.time), [{ labels: { reporter: 'source' }, value: 'lots' }]), /^malformed answer at data\.result\.0\.value\.1: .*sample value/],
    ['labels that are not strings', (r) => ({ json: { status: 'success', data: { resultType: 'vector', result: [{ metric: { reporter: 7 }, value: [Number(r.time), '1'] }] } } }), /^malformed answer at data\.result\.0\.metric\.reporter: /],
    ['a negative counter', (r) => vector(Number(r.time), [{ labels: edge('source', 'a', 'b', 'i'), value: -3 }]), /has value -3, which is no counter value/],
    ['no answer in time', () => 'hang', /^no answer within 300 ms$/],
  ];
  for (const [what, answer, reason] of failures) {
    it(`makes the read a fault on ${what}`, async () => {
      const log = captureLog();
      try {
        api.answer = answer;
        const read = await createPrometheusSource({ url: api.url, timeoutMillis: 300 }).read(100);
        assert.equal(read.t, 98.75);
        assert.match(reasonOf(read), reason);
      } finally {
        log.restore();
      }
    });
  }

  it('makes the read a fault when Prometheus is unreachable', async () => {
    const log = captureLog();
    try {
      const url = new URL(await refusingUrl()).origin;
      assert.equal(reasonOf(await createPrometheusSource({ url }).read(1)), 'connection refused');
    } finally {
      log.restore();
    }
  });

  it('warns once per outage, not per interval, and says when it recovered', async () => {
    const log = captureLog();
    try {
      const source = createPrometheusSource({ url: api.url });
      samplesOf(await source.read(10));
      api.answer = () => ({ status: 500, json: { status: 'error', errorType: 'internal', error: 'down' } });
      for (const t of [12, 14, 16, 18]) reasonOf(await source.read(t));
      api.answer = (r) => vector(Number(r.time), []);
      samplesOf(await source.read(20));
      api.answer = () => ({ text: 'garbage' });
      reasonOf(await source.read(22));
      const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
      assert.equal(warnings.length, 2, 'one per outage: two outages');
      assert.match(warnings[0]!, new RegExp(`^prometheus source \\(${api.url}\\): cannot read telemetry \\(HTTP 500: down\\); intervals are recorded as gaps until it recovers$`));
      const infos = log.messages.filter((m) => m.level === 'info').map((m) => m.message);
      assert.deepEqual(infos, [`prometheus source (${api.url}): telemetry readable again after 4 failed read(s) over 8.0 s`]);
    } finally {
      log.restore();
    }
  });

  it('checks the sidecars are up when given an up selector', async () => {
    const log = captureLog();
    try {
      api.answer = (r) =>
        r.query === 'up{job="munnin-sidecars"}'
          ? vector(Number(r.time), [
              { labels: { workload: 'front-end', instance: '127.0.0.1:1' }, value: 1 },
              { labels: { workload: 'catalogue', instance: '127.0.0.1:2' }, value: 0 },
            ])
          : vector(Number(r.time), []);
      const read = await createPrometheusSource({ url: api.url, upSelector: 'up{job="munnin-sidecars"}' }).read(3);
      assert.equal(reasonOf(read), 'last scrape failed for sidecar(s) catalogue');
      assert.equal(api.requests.filter((r) => r.query.startsWith('up')).length, 1);
    } finally {
      log.restore();
    }
  });

  describe('credentials', () => {
    const TOKEN = 'tok-3f9a7c1e5b';
    const PASSWORD = 'pw-81d2c4e6a0';

    it('sends a bearer token from the named variable and extra headers, and never shows the token', async () => {
      const log = captureLog();
      try {
        // A hostile or careless server echoing the credentials back in its error.
        api.answer = (r) => ({ status: 401, json: { status: 'error', errorType: 'auth', error: `bad credentials: ${String(r.headers['authorization'])}` } });
        const source = createPrometheusSource({ url: api.url, bearerTokenEnv: 'MUNNIN_TEST_TOKEN', headers: { 'X-Scope-OrgID': 'tenant-7' }, env: { MUNNIN_TEST_TOKEN: TOKEN } });
        const read = await source.read(5);
        assert.equal(api.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
        assert.equal(api.requests[0]?.headers['x-scope-orgid'], 'tenant-7');
        assert.equal(reasonOf(read), 'HTTP 401: bad credentials: Bearer ***');
        const shown = JSON.stringify([read, source.describe(), log.messages]);
        assert.equal(shown.includes(TOKEN), false);
      } finally {
        log.restore();
      }
    });

    it('sends basic auth with the password from the named variable, and never shows it', async () => {
      const log = captureLog();
      try {
        api.answer = (r) => ({ status: 403, json: { status: 'error', errorType: 'auth', error: `denied ${String(r.headers['authorization'])} (${PASSWORD})` } });
        const source = createPrometheusSource({ url: api.url, basicAuthUser: 'munnin', basicAuthPasswordEnv: 'MUNNIN_TEST_PASSWORD', env: { MUNNIN_TEST_PASSWORD: PASSWORD } });
        const read = await source.read(5);
        const encoded = Buffer.from(`munnin:${PASSWORD}`).toString('base64');
        assert.equal(api.requests[0]?.headers['authorization'], `Basic ${encoded}`);
        assert.equal(reasonOf(read), 'HTTP 403: denied Basic *** (***)');
        const shown = JSON.stringify([read, source.describe(), log.messages]);
        assert.equal(shown.includes(PASSWORD) || shown.includes(encoded), false);
      } finally {
        log.restore();
      }
    });

    it('sends secret headers from the variables headersFromEnv names, and never shows them', async () => {
      const log = captureLog();
      try {
        api.answer = (r) => ({ status: 401, json: { status: 'error', errorType: 'auth', error: `rejected key ${String(r.headers['x-api-key'])}` } });
        const source = createPrometheusSource({ url: api.url, headersFromEnv: { 'X-Api-Key': 'MUNNIN_TEST_KEY' }, env: { MUNNIN_TEST_KEY: TOKEN } });
        const read = await source.read(5);
        assert.equal(api.requests[0]?.headers['x-api-key'], TOKEN);
        assert.equal(reasonOf(read), 'HTTP 401: rejected key ***');
        assert.equal(JSON.stringify([read, source.describe(), log.messages]).includes(TOKEN), false);
      } finally {
        log.restore();
      }
    });

    it('rejects a missing variable, conflicting schemes and credentials in the URL without repeating them', () => {
      assert.throws(
        () => createPrometheusSource({ url: api.url, bearerTokenEnv: 'MUNNIN_UNSET_TOKEN', env: {} }),
        (e) => e instanceof UserError && e.message === 'telemetry.prometheus.bearerTokenEnv names the environment variable MUNNIN_UNSET_TOKEN, which is not set',
      );
      assert.throws(() => createPrometheusSource({ url: api.url, basicAuthUser: 'u', env: {} }), (e) => e instanceof UserError && /needs both basicAuthUser and basicAuthPasswordEnv/.test(e.message));
      assert.throws(
        () => createPrometheusSource({ url: api.url, bearerTokenEnv: 'A', basicAuthUser: 'u', basicAuthPasswordEnv: 'B', env: { A: 'a', B: 'b' } }),
        (e) => e instanceof UserError && /either bearerTokenEnv or basicAuthUser/.test(e.message),
      );
      assert.throws(
        () => createPrometheusSource({ url: `http://munnin:${PASSWORD}@127.0.0.1:9090` }),
        (e) => e instanceof UserError && /must not hold credentials/.test(e.message) && !e.message.includes(PASSWORD),
      );
    });
  });

  it('rejects bad options naming the field', () => {
    assert.throws(() => createPrometheusSource({}), (e) => e instanceof UserError && /either url or managed/.test(e.message));
    assert.throws(() => createPrometheusSource({ url: 'not a url' }), (e) => e instanceof UserError && /telemetry\.prometheus\.url is not a URL: "not a url"/.test(e.message));
    assert.throws(() => createPrometheusSource({ url: 'http://x/?a=1' }), (e) => e instanceof UserError && /without query/.test(e.message));
    assert.throws(() => createPrometheusSource({ url: api.url, timeoutMillis: 1.5 }), (e) => e instanceof UserError && /timeoutMillis .* not 1\.5/.test(e.message));
    assert.throws(() => createPrometheusSource({ url: api.url, identityLabels: ['pod name'] }), (e) => e instanceof UserError && /"pod name" is not a label name/.test(e.message));
    assert.throws(() => createPrometheusSource({ url: api.url, reporter: 'waypoint' as 'source' }), (e) => e instanceof UserError && /reporter must be "source" or "destination", not "waypoint"/.test(e.message));
  });
});
