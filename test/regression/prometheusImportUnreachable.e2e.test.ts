import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { importPrometheus } from '../../src/import/index.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

// Bug: `import prometheus` against an unreachable store, or a URL answering 404, warned
// "range query failed ...; 481 steps recorded as gaps", then wrote a run of 0 intervals
// (0 gaps) marked complete, exit 0: the gaps the warning promised were not there (the first
// read only seeds the counters, so faults before it are dropped). Now the first chunk is read
// before anything is created and its failure is one error naming the URL and the cause; a
// later chunk that fails is written as gap intervals, as the warning says.

/** A Prometheus API on 127.0.0.1 answering /api/v1/query_range through `answer` (status, body). */
async function rangeApi(answer: (query: string, start: number, end: number) => { status: number; body: unknown }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = url.pathname === '/api/v1/query_range'
      ? answer(url.searchParams.get('query') ?? '', Number(url.searchParams.get('start')), Number(url.searchParams.get('end')))
      : { status: 404, body: '404 page not found' };
    res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A matrix answer: front-end → catalogue requests = 10 × (t − 999) (10 more every second), fresh timestamps, no target down. */
function goodAnswer(query: string, start: number, end: number): { status: number; body: unknown } {
  const times: number[] = [];
  for (let t = start; t <= end; t++) times.push(t);
  const labels = { reporter: 'source', source_workload: 'front-end', destination_service_name: 'catalogue', destination_workload: 'catalogue', instance: 'p1' };
  const result = query.startsWith('max(label_replace(max(timestamp(')
    ? [{ metric: {}, values: times.map((t) => [t, String(t)]) }]
    : query.startsWith('up == 0')
      ? []
      : query.includes('istio_requests_total')
      ? [{ metric: labels, values: times.map((t) => [t, String(10 * (t - 999))]) }]
      : [];
  return { status: 200, body: { status: 'success', data: { resultType: 'matrix', result } } };
}

const failure = { status: 500, body: { status: 'error', errorType: 'internal', error: 'store exploded' } };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('import prometheus: a store that cannot answer', () => {
  const grid = { startSeconds: 1000, endSeconds: 1009, stepSeconds: 1, pointsPerQuery: 5, sleep: async () => {} };

  it('refusing connections: one error naming the URL and the cause, and no run', async () => {
    const tmp = makeTempDir();
    try {
      const url = `http://127.0.0.1:${await freePort()}`;
      const dir = join(tmp.dir, 'run');
      await assert.rejects(importPrometheus({ url, ...grid, dir, name: 'run' }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.message, `cannot read ${url}: connection refused`);
        return true;
      });
      assert.equal(existsSync(dir), false, 'nothing is created');
    } finally {
      tmp.remove();
    }
  });

  it('answering 404 (a wrong path): one error naming the URL and the status, and no run', async () => {
    const tmp = makeTempDir();
    const api = await rangeApi(() => ({ status: 404, body: '404 page not found' }));
    try {
      const dir = join(tmp.dir, 'run');
      await assert.rejects(importPrometheus({ url: `${api.url}/wrong`, ...grid, dir, name: 'run' }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.ok(e.message.startsWith(`cannot read ${api.url}/wrong: `), e.message);
        assert.match(e.message, /404/);
        return true;
      });
      assert.equal(existsSync(dir), false, 'nothing is created');
    } finally {
      await api.close();
      tmp.remove();
    }
  });

  it('failing after a good first chunk: the failed chunk is written as gap intervals, as the warning says', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    // Chunks [1000, 1004] and [1005, 1009]: the first answers, the second fails every time.
    const api = await rangeApi((query, start, end) => (start < 1005 ? goodAnswer(query, start, end) : failure));
    try {
      const result = await importPrometheus({ url: api.url, ...grid, dir: join(tmp.dir, 'run'), name: 'run' });
      const back = await readRunBack(result.dir);
      // 1000 seeds; 1001-1004 carry 10 requests each; 1005-1009 are the failed chunk's gaps.
      assert.deepEqual(
        back.snapshots.map((s) => [s.t, s.gap, s.edges.map((e) => `${e.src}>${e.dst} ${e.values['requests']}`).join()]),
        [[1001, false, 'front-end>catalogue 10'], [1002, false, 'front-end>catalogue 10'], [1003, false, 'front-end>catalogue 10'], [1004, false, 'front-end>catalogue 10'],
          [1005, true, ''], [1006, true, ''], [1007, true, ''], [1008, true, ''], [1009, true, '']],
      );
      assert.deepEqual([result.intervals, result.gaps, back.manifest.complete], [9, 5, true]);
      assert.match(log.text('warn'), /range query failed: HTTP 500: store exploded; 5 steps from 1970-01-01T00:16:45\.000Z recorded as gaps/);
    } finally {
      log.restore();
      await api.close();
      tmp.remove();
    }
  });

  it('a failed chunk before any readable step is said to be left out, not recorded as gaps', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    // Chunks [1000, 1002] (the store has no sample yet), [1003, 1005] (fails), [1006, 1009] (answers).
    const api = await rangeApi((query, start, end) => {
      if (start < 1003) return { status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } };
      return start < 1006 ? failure : goodAnswer(query, start, end);
    });
    try {
      const result = await importPrometheus({ url: api.url, ...grid, pointsPerQuery: 3, dir: join(tmp.dir, 'run'), name: 'run' });
      const back = await readRunBack(result.dir);
      // 1006 seeds (the first readable step); 1007-1009 carry 10 requests each.
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.gap]), [[1007, false], [1008, false], [1009, false]]);
      assert.match(log.text('warn'), /3 steps from 1970-01-01T00:16:43\.000Z left out \(no readable step before them/);
      assert.doesNotMatch(log.text('warn'), /recorded as gaps/);
    } finally {
      log.restore();
      await api.close();
      tmp.remove();
    }
  });
});

// Also: a store that answers but holds none of the series asked for (a wrong namespace, a time
// range before the mesh ran) wrote a run of 0 intervals, said "run written", exit 0; replay then
// refused it. Now the import says there was nothing to import and why it may be, exit 1.
describe('import prometheus: a store that answers with no series', () => {
  it('says no interval was imported, names the metrics and the namespace, exit 1', async () => {
    const api = await rangeApi(() => ({ status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } }));
    const tmp = makeTempDir('munnin-import-empty-');
    const log = captureLog();
    try {
      const { importMain } = await import('../../src/cli/import.ts');
      const out: string[] = [];
      const code = await importMain(['prometheus', '--url', api.url, '--start', '1000', '--end', '1009', '--step', '1', '--namespace', 'shop', '--out', join(tmp.dir, 'run'), '--quiet'], (t) => out.push(t));
      assert.equal(code, 1);
      assert.equal(out.join(''), '');
      assert.match(log.text('warn'), /run: no interval imported: the store held no Istio series of .*requests.* for namespace shop between --start and --end/);
    } finally {
      log.restore();
      tmp.remove();
      await api.close();
    }
  });
});
