import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { importMain } from '../../src/cli/import.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

// Bug: `import prometheus` with a wrong --namespace said "no interval imported" and exited 1,
// but left a run folder behind (run.json `complete: true`, 0 intervals): it was listed as a
// run, and the corrected retry with the same --name was refused ("a run already exists
// there"). Now a run is only created once there is an interval to write.

/** A Prometheus API on 127.0.0.1: no series for namespace "nosuch", else front-end → catalogue, 10 requests a second. */
async function store(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    const [start, end] = [Number(url.searchParams.get('start')), Number(url.searchParams.get('end'))];
    const times: number[] = [];
    for (let t = start; t <= end; t++) times.push(t);
    const labels = { reporter: 'source', source_workload: 'front-end', destination_service_name: 'catalogue', destination_workload: 'catalogue', instance: 'p1' };
    // Targets whose last scrape failed: none. The newest sample time: fresh at every step.
    const result = query.includes('"nosuch"') || query.startsWith('up == 0')
      ? []
      : query.includes('timestamp(')
        ? [{ metric: {}, values: times.map((t) => [t, String(t)]) }]
        : query.includes('istio_requests_total')
          ? [{ metric: labels, values: times.map((t) => [t, String(10 * (t - 999))]) }]
          : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('import prometheus: nothing to import leaves nothing behind', () => {
  it('a wrong --namespace exits 1 without a run folder, and the corrected retry with the same name works', async () => {
    const api = await store();
    const tmp = makeTempDir('munnin-import-nothing-');
    const log = captureLog();
    try {
      const dir = join(tmp.dir, 'ns2');
      const args = ['prometheus', '--url', api.url, '--start', '1000', '--end', '1004', '--step', '1', '--out', dir, '--quiet'];
      const out: string[] = [];
      assert.equal(await importMain([...args, '--namespace', 'nosuch'], (t) => out.push(t)), 1);
      assert.match(log.text('warn'), /no interval imported: the store held no Istio series .* for namespace nosuch/);
      assert.equal(existsSync(dir), false, 'no run folder is left behind');

      assert.equal(await importMain(args, (t) => out.push(t)), 0, log.text());
      const back = await readRunBack(dir);
      // 1000 seeds the counters; 1001-1004 carry 10 requests each (10 × (t − 999) differenced).
      assert.deepEqual(back.snapshots.map((s) => [s.t, s.edges.map((e) => `${e.src}>${e.dst} ${e.values['requests']}`).join()]), [
        [1001, 'front-end>catalogue 10'], [1002, 'front-end>catalogue 10'], [1003, 'front-end>catalogue 10'], [1004, 'front-end>catalogue 10'],
      ]);
      assert.equal(back.manifest.complete, true);
    } finally {
      log.restore();
      tmp.remove();
      await api.close();
    }
  });
});
