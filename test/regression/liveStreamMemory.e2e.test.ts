import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { get } from '../dashboard/helpers.ts';
import { makeTempDir } from '../util.ts';

// Bug: each new /api/live/stream client was sent the whole live state (5,000 intervals) in one
// write, the slow-client limit was checked only after it, and clients were not capped: 200
// clients took a dashboard from 184 MB to 3.6 GB and /api/runs stopped answering for 12 s;
// clients that do not read crashed it (heap out of memory). With `experiment --dashboard`
// that process is the experiment's. Now the backlog is paged to each client only as fast as
// it reads, and streams are capped.
const SERVER = fileURLToPath(new URL('../fixtures/dashboard/liveHubServer.ts', import.meta.url));
const CLIENTS = 200;
/** The fixed heap the dashboard must stay under with 200 clients that never read. */
const HEAP_LIMIT_BYTES = 160 << 20;

it('200 live-stream clients that never read leave the dashboard under a fixed heap and answering /api/runs within a second', { timeout: 120_000 }, async () => {
  const tmp = makeTempDir('munnin-live-memory-');
  // The old heap never fit in 512 MB: without the mend the process dies of it (and the test fails).
  const child = spawn(process.execPath, ['--max-old-space-size=512', '--expose-gc', '--import', 'tsx', SERVER, tmp.dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const sockets: Socket[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Self-stopping: whatever happens, the client sockets close and the server is ended within the limit.
  const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
  try {
    const first = await lines.next();
    assert.equal(first.done, false, 'the dashboard process started');
    const { url, heapAfterLoad } = JSON.parse(first.value as string) as { url: string; heapAfterLoad: number };
    const { port } = new URL(url);
    // A first request warms the catalogue (and V8) up: what is timed below is the clients' cost.
    assert.equal((await get(`${url}api/runs`)).status, 200);
    const statuses: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(`GET /api/live/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      // Read only the status line, then never again: the worst client there is.
      socket.once('data', (chunk) => {
        statuses.push(chunk.toString('latin1').slice(0, 12));
        socket.pause();
      });
      socket.on('error', () => {});
      sockets.push(socket);
    }
    // Once every client is connected (and none reads), the dashboard must go on answering.
    for (const deadline = Date.now() + 30_000; statuses.length < CLIENTS && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const latencies: number[] = [];
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 250));
      const started = performance.now();
      const runs = await get(`${url}api/runs`);
      latencies.push(performance.now() - started);
      assert.equal(runs.status, 200);
    }
    assert.equal(statuses.length, CLIENTS, 'every client got an answer');
    const served = statuses.filter((s) => s === 'HTTP/1.1 200').length;
    const refused = statuses.filter((s) => s === 'HTTP/1.1 503').length;
    assert.ok(served >= 1 && served + refused === CLIENTS, `streams served ${served}, refused ${refused}`);
    assert.ok(Math.max(...latencies) < 1000, `/api/runs answered in ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
    child.stdin!.write('report\n');
    const report = await lines.next();
    assert.equal(report.done, false, 'the dashboard process is still alive');
    const { peakHeapUsed } = JSON.parse(report.value as string) as { peakHeapUsed: number };
    assert.ok(peakHeapUsed < HEAP_LIMIT_BYTES, `peak heap ${(peakHeapUsed / 2 ** 20).toFixed(0)} MB (after loading the hub: ${(heapAfterLoad / 2 ** 20).toFixed(0)} MB)`);
    assert.equal(await exited, 0);
  } finally {
    clearTimeout(guard);
    for (const s of sockets) s.destroy();
    if (child.exitCode === null) child.kill('SIGKILL');
    tmp.remove();
  }
});

it('a client that reads is paged the whole backlog once, in order, then what happens live', async () => {
  const tmp = makeTempDir('munnin-live-pages-');
  const { LiveHub, startDashboard } = await import('../../src/dashboard/index.ts');
  const { sseClient } = await import('../dashboard/helpers.ts');
  const hub = new LiveHub({ maxIntervals: 1000 });
  hub.begin({ name: 'paged', intervalSeconds: 1, durationSeconds: 2000, plannedIntervals: 2000, metrics: ['request_bytes'], detectors: ['d'], trainingSeconds: 0, exfiltration: [], ewma: { lambda: 0.2, k: 3 }, startedAt: '2026-12-01T00:00:00.000Z' });
  const edges = Array.from({ length: 40 }, (_, e) => ({ src: `s${e}`, dst: `d${e}`, values: { request_bytes: e } }));
  for (let t = 1; t <= 1500; t++) {
    hub.snapshot({ t, dt: 1, gap: false, edges });
    hub.verdict({ t, dt: 1, detector: 'd', score: t, threshold: 1e9, alarm: false, training: false, gap: false, blamed: [] });
  }
  const dashboard = await startDashboard({ dataDir: tmp.dir, port: 0, hub, stream: { bufferBytes: 16 << 10 } });
  const client = sseClient(`${dashboard.url}api/live/stream`);
  try {
    await client.waitFor((m) => m.filter((x) => x.type === 'verdict').length === 1000, 30_000);
    hub.snapshot({ t: 1501, dt: 1, gap: false, edges: [] });
    await client.waitFor((m) => m.some((x) => x.type === 'snapshot' && x.data.t === 1501));
    const state = client.messages[0]!;
    assert.equal(state.type, 'state');
    assert.equal(state.data.droppedIntervals, 500);
    const ts = client.messages.filter((m) => m.type === 'snapshot').map((m) => m.data.t as number);
    assert.deepEqual(ts, Array.from({ length: 1001 }, (_, i) => 501 + i), 'the kept intervals 501..1500, then the new one');
    // A verdict comes right after its interval.
    assert.deepEqual(client.messages.slice(1, 5).map((m) => [m.type, m.data.t]), [['snapshot', 501], ['verdict', 501], ['snapshot', 502], ['verdict', 502]]);
    // Paged: one answer per 1000 intervals.
    const page = await get(`${dashboard.url}api/live?from=990&count=50`);
    // The hub keeps 1000 intervals (502..1501 now): kept intervals 990.. are t 1492..1501.
    assert.equal(page.json.totalIntervals, 1000);
    assert.deepEqual(page.json.snapshots.map((s: any) => s.t), Array.from({ length: 10 }, (_, i) => 1492 + i));
    assert.deepEqual(page.json.verdicts.map((v: any) => v.t), Array.from({ length: 9 }, (_, i) => 1492 + i));
  } finally {
    client.close();
    await dashboard.close();
    tmp.remove();
  }
});
