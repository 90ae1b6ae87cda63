import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { importPrometheus } from '../../src/import/index.ts';
import { recordMesh } from '../../src/record/index.ts';
import { captureLog, makeTempDir, readJson, readRunBack } from '../util.ts';

// Bug: a user's VictoriaMetrics with its default -search.latencyOffset=30s answers a query less
// than 30 s ago with the values of 30 s ago, under the time asked. `record` read it 1.25 s
// behind real time, so every interval was 30 s late (an exfiltration at 806.5 recorded at
// 836.8), and `import` up to now ended with 12 zero-traffic intervals; nothing warned. Only
// the managed server is started with 0 s. Now a VictoriaMetrics is recognised (its buildinfo
// has no revision) and its offset read from its /metrics: record reads that much further
// behind real time, so times stay right, and import ends where the store's data ends; both warn
// how to start it.

interface StoreOptions {
  /** 'vm': VictoriaMetrics' answers; 'prometheus': a buildinfo with a revision. */
  readonly kind: 'vm' | 'prometheus';
  /** The `flag` line's value on /metrics; undefined: /metrics answers 404. */
  readonly latencyOffset?: string;
  readonly onQuery?: () => void;
}

/** A store on 127.0.0.1: buildinfo, /metrics, a 1-s scrape configuration; front-end → catalogue 10 requests a second in range queries. */
async function store(options: StoreOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (body: unknown, headers: Record<string, string> = {}) => res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    switch (url.pathname) {
      case '/api/v1/status/buildinfo':
        return options.kind === 'vm' ? json({ status: 'success', data: {} }) : json({ status: 'success', data: { version: '2.53.0', revision: 'abc', branch: 'HEAD' } });
      case '/metrics':
        if (options.latencyOffset === undefined) return res.writeHead(404).end('not found');
        return res.writeHead(200, { 'content-type': 'text/plain' }).end(`vm_app_version{version="", short_version=""} 1\nflag{name="search.latencyOffset", value="${options.latencyOffset}", is_set="false"} 1\n`);
      case '/api/v1/status/config':
        return json({ status: 'success', data: { yaml: 'global:\n  scrape_interval: 1s\n' } });
      case '/api/v1/query':
        options.onQuery?.();
        return json({ status: 'success', data: { resultType: 'vector', result: [] } });
      case '/api/v1/query_range': {
        const query = url.searchParams.get('query') ?? '';
        const [start, end] = [Number(url.searchParams.get('start')), Number(url.searchParams.get('end'))];
        const times: number[] = [];
        for (let t = start; t <= end; t++) times.push(t);
        const labels = { reporter: 'source', source_workload: 'front-end', destination_service_name: 'catalogue', destination_workload: 'catalogue', instance: 'p1' };
        // The importer's three kinds of query: targets whose last scrape failed (none here), the
        // newest sample time (fresh at every step), and the traffic.
        const result = query.startsWith('up == 0')
          ? []
          : query.includes('timestamp(')
            ? [{ metric: {}, values: times.map((t) => [t, String(t)]) }]
            : query.includes('istio_requests_total') ? [{ metric: labels, values: times.map((t) => [t, String(10 * (t - 999))]) }] : [];
        return json({ status: 'success', data: { resultType: 'matrix', result } });
      }
      default:
        return res.writeHead(404).end('404 page not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** record against `options`' store, stopped at its first read: run.json's source and the warnings. */
async function recordBriefly(options: StoreOptions): Promise<{ source: Record<string, unknown>; warnings: string }> {
  const tmp = makeTempDir();
  const stop = new AbortController();
  const api = await store({ ...options, onQuery: () => existsSync(join(tmp.dir, 'vm', 'run.json')) && stop.abort() });
  const log = captureLog();
  try {
    const params = resolveParameters({ outputDir: tmp.dir, durationSeconds: 3600, intervalSeconds: 2, telemetry: { prometheus: { url: api.url } } } as never);
    const result = await recordMesh(params, 'vm', { progress: false, signal: stop.signal });
    return { source: readJson(result.dir, 'run.json').source, warnings: log.text('warn') };
  } finally {
    log.restore();
    await api.close();
    tmp.remove();
  }
}

describe('a VictoriaMetrics with a latency offset', () => {
  it('record reads the offset further behind real time, and says how to start it', async () => {
    // 1-s scrapes + 30 s offset + 2 s until its samples are queryable = 33 s.
    const vm = await recordBriefly({ kind: 'vm', latencyOffset: '30s' });
    assert.equal(vm.source['evaluationDelaySeconds'], 33);
    assert.match(vm.warnings, /the VictoriaMetrics at http:\/\/127\.0\.0\.1:\d+ hides the newest 30 s from queries \(-search\.latencyOffset=30s\): reads trail real time by 33 s .*start it with -search\.latencyOffset=0s/);
    // Its /metrics not served: VictoriaMetrics' default (30 s) is assumed, and said so. Go writes 1 min as "1m0s".
    const assumed = await recordBriefly({ kind: 'vm' });
    assert.equal(assumed.source['evaluationDelaySeconds'], 33);
    assert.match(assumed.warnings, /-search\.latencyOffset=30s, its default/);
    assert.equal((await recordBriefly({ kind: 'vm', latencyOffset: '1m0s' })).source['evaluationDelaySeconds'], 63);
    // A Prometheus (its buildinfo has a revision) is read as before, without a word.
    const prometheus = await recordBriefly({ kind: 'prometheus', latencyOffset: '30s' });
    assert.notEqual(prometheus.source['evaluationDelaySeconds'], 33);
    assert.doesNotMatch(prometheus.warnings, /VictoriaMetrics/);
  });

  it('import ends where the store shows data, and says so', async () => {
    const api = await store({ kind: 'vm', latencyOffset: '30s' });
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const range = { url: api.url, startSeconds: 1000, stepSeconds: 1, nowSeconds: 1070, sleep: async () => {} };
      const result = await importPrometheus({ ...range, endSeconds: 1060, dir: join(tmp.dir, 'imp'), name: 'imp' });
      // Visible up to 1070 − 30 − 2 = 1038: 1000 seeds, 1001..1038 are 38 intervals of 10 requests.
      const back = await readRunBack(result.dir);
      assert.deepEqual([back.snapshots.length, back.snapshots[0]?.t, back.snapshots.at(-1)?.t], [38, 1001, 1038]);
      assert.ok(back.snapshots.every((s) => !s.gap && s.edges[0]?.values['requests'] === 10));
      assert.equal((back.manifest.source as Record<string, unknown>)['end'], '1970-01-01T00:17:18.000Z');
      assert.match(log.text('warn'), /hides the newest 30 s from queries \(-search\.latencyOffset=30s\): --end moved back to 1970-01-01T00:17:18\.000Z .*start it with -search\.latencyOffset=0s/);
      // A range the store shows nothing of yet: 1020 − 32 = 988, before --start.
      await assert.rejects(importPrometheus({ ...range, endSeconds: 1009, nowSeconds: 1020, dir: join(tmp.dir, 'none'), name: 'none' }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /shows nothing after 1970-01-01T00:16:28\.000Z yet, before --start/);
        return true;
      });
      assert.equal(existsSync(join(tmp.dir, 'none')), false);
    } finally {
      log.restore();
      await api.close();
      tmp.remove();
    }
  });
});
