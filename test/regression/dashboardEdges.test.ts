import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startDashboard } from '../../src/dashboard/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';
import { get } from '../dashboard/helpers.ts';

// Bugs: requests over 16 KB had their connection dropped with no 414/431; symlinks in the data
// folder were followed (a run whose snapshots.ndjson linked to /etc/passwd served its lines);
// a run with 400k edges was answered with all of them at once (33.6 MB).
const MANIFEST = { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['request_bytes'] };

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c) => (answer += c.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(request);
  });
}

it('an overlong request line is answered 414 and overlong headers 431, not dropped', async () => {
  const tmp = makeTempDir('munnin-edges-http-');
  const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
  try {
    const host = `127.0.0.1:${dashboard.port}`;
    const long = await raw(dashboard.port, `GET /api/runs/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    assert.match(long, /^HTTP\/1\.1 414 URI Too Long\r\n/);
    assert.match(long, /"error":"request line too long/);
    const headers = await raw(dashboard.port, `GET /api/runs HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    assert.match(headers, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const ok = await get(`${dashboard.url}api/runs`);
    assert.equal(ok.status, 200, 'the server goes on answering');
  } finally {
    await dashboard.close();
    tmp.remove();
  }
});

it('symbolic links leading out of the data folder are refused; links inside it are followed', async () => {
  const tmp = makeTempDir('munnin-edges-links-');
  const outside = makeTempDir('munnin-edges-outside-');
  const log = captureLog();
  const data = join(tmp.dir, 'data');
  mkdirSync(data);
  const dashboard = await startDashboard({ dataDir: data, port: 0 });
  try {
    const leaky = writeRunFiles(join(data, 'leaky'), { manifest: MANIFEST, events: '' });
    symlinkSync('/etc/passwd', join(leaky, 'snapshots.ndjson'));
    const away = writeRunFiles(join(outside.dir, 'away'), { manifest: MANIFEST, snapshots: '' });
    symlinkSync(away, join(data, 'away'));
    const good = writeRunFiles(join(data, 'good'), { manifest: MANIFEST, snapshots: `${JSON.stringify({ t: 1, dt: 1, edges: [] })}\n` });
    symlinkSync(good, join(data, 'alias'));
    for (const path of ['leaky', 'leaky/snapshots?from=0&count=10']) {
      const r = await get(`${dashboard.url}api/runs/${path}`);
      assert.equal(r.status, 403, path);
      assert.equal(r.json.error, 'leaky/snapshots.ndjson: a symbolic link leading outside the data folder; not served');
      assert.doesNotMatch(r.text, /root:/);
    }
    assert.equal((await get(`${dashboard.url}api/runs/away`)).json.error, 'away: a symbolic link leading outside the data folder; not served');
    assert.equal((await get(`${dashboard.url}api/runs/alias`)).json.intervals, 1);
    const runs = await get(`${dashboard.url}api/runs`);
    // Just written, the readable ones count as still recording: what matters is which are unreadable.
    assert.deepEqual(runs.json.runs.map((r: any) => [r.name, r.status === 'unreadable']).sort(), [['alias', false], ['away', true], ['good', false], ['leaky', true]]);
  } finally {
    await dashboard.close();
    log.restore();
    tmp.remove();
    outside.remove();
  }
});

it('a run with many edges is answered a page of the busiest at a time', async () => {
  const tmp = makeTempDir('munnin-edges-many-');
  const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
  try {
    const edges = Array.from({ length: 5000 }, (_, i) => ({ src: `s${i}`, dst: `d${i}`, request_bytes: i + 1 }));
    writeRunFiles(join(tmp.dir, 'wide'), { manifest: MANIFEST, snapshots: `${JSON.stringify({ t: 1, dt: 1, edges })}\n` });
    const one = await get(`${dashboard.url}api/runs/wide`);
    assert.equal(one.json.edgeCount, 5000);
    assert.equal(one.json.edges.length, 1000);
    assert.deepEqual(one.json.edges.slice(0, 2).map((e: any) => [e.src, e.total]), [['s4999', 5000], ['s4998', 4999]]);
    const page = await get(`${dashboard.url}api/runs/wide/edges?from=4990&count=100`);
    assert.equal(page.json.total, 5000);
    assert.deepEqual(page.json.edges.map((e: any) => e.total), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal((await get(`${dashboard.url}api/runs/wide/edges?count=5000`)).status, 400);
  } finally {
    await dashboard.close();
    tmp.remove();
  }
});
