import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunWriter } from '../../src/store/index.ts';
import { copyFixtureRuns, get, servedDashboard, sseClient } from './helpers.ts';

const fixtureLines = (run: string, file: string) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'dashboard', 'runs', run, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('dashboard JSON API', () => {
  const served = servedDashboard('munnin-dashboard-api-', copyFixtureRuns);

  it('binds to loopback by default and lists the endpoints at /api', async () => {
    assert.equal(served.dashboard.host, '127.0.0.1');
    const r = await get(`${served.base}/api`);
    assert.equal(r.status, 200);
    assert.ok(Object.keys(r.json.endpoints).includes('GET /api/runs/{name}/snapshots?from=0&count=100'));
  });

  it('lists the runs of the data folder with what the files say', async () => {
    const r = await get(`${served.base}/api/runs`);
    assert.equal(r.status, 200);
    const byName = new Map<string, any>(r.json.runs.map((x: any) => [x.name, x]));
    assert.deepEqual([...byName.keys()].sort(), ['cybermonday', 'interrupted']);
    const cyber = byName.get('cybermonday');
    const lines = fixtureLines('cybermonday', 'snapshots.ndjson').map((l) => JSON.parse(l));
    assert.equal(cyber.intervals, lines.length);
    assert.equal(cyber.status, 'complete');
    assert.equal(cyber.source, 'import');
    assert.equal(cyber.attacks, fixtureLines('cybermonday', 'events.ndjson').length);
    assert.ok(Math.abs(cyber.durationSeconds - (lines.at(-1).t - (lines[0].t - lines[0].dt))) < 1e-9);
    // Best detector: highest F1 in summary.json, computed here from the file.
    const summary = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'dashboard', 'runs', 'cybermonday', 'replay', 'summary.json'), 'utf8'));
    const best = Object.entries(summary.detectors as Record<string, { f1: number }>).sort((a, b) => b[1].f1 - a[1].f1)[0]!;
    assert.equal(cyber.bestDetector.name, best[0]);
    assert.equal(cyber.bestDetector.f1, best[1].f1);
    const interrupted = byName.get('interrupted');
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.replayed, false);
    assert.equal(interrupted.bestDetector, undefined);
  });

  it('refuses run names that would leave the data folder, with a JSON error', async () => {
    for (const name of ['..%2F..%2Fetc', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..%5C..%5Cetc', '.hidden', 'a%00b']) {
      for (const suffix of ['', '/snapshots', '/events', '/report']) {
        const r = await get(`${served.base}/api/runs/${name}${suffix}`);
        assert.equal(r.status, 400, `${name}${suffix}: ${r.text}`);
        assert.match(r.headers['content-type'] as string, /^application\/json/);
        assert.equal(typeof r.json.error, 'string');
        assert.doesNotMatch(r.text, /root:/);
      }
    }
    const plain = await get(`${served.base}/api/runs/..%2F..%2Fetc`);
    assert.match(plain.json.error, /cannot contain \//);
  });

  it('answers an unknown run with a 404 and a clear JSON error', async () => {
    const r = await get(`${served.base}/api/runs/no-such-run`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { error: `no run named "no-such-run" in ${served.dir}`, status: 404 });
    assert.equal((await get(`${served.base}/api/runs/no-such-run/snapshots`)).status, 404);
    assert.equal((await get(`${served.base}/api/nothing-here`)).status, 404);
  });

  it('serves snapshots by range as run-format lines, and checks the range', async () => {
    const lines = fixtureLines('interrupted', 'snapshots.ndjson').map((l) => JSON.parse(l));
    const r = await get(`${served.base}/api/runs/interrupted/snapshots?from=5&count=3`);
    assert.equal(r.status, 200);
    assert.equal(r.json.total, lines.length);
    assert.deepEqual(
      r.json.intervals.map((x: any) => x.i),
      [5, 6, 7],
    );
    assert.deepEqual(r.json.intervals[0].edges, lines[5].edges);
    assert.equal(r.json.intervals[1].gap, true);
    const beyond = await get(`${served.base}/api/runs/interrupted/snapshots?from=500`);
    assert.deepEqual(beyond.json.intervals, []);
    for (const q of ['from=-1', 'count=0', 'count=1001', 'from=abc', 'count=2.5']) {
      const bad = await get(`${served.base}/api/runs/interrupted/snapshots?${q}`);
      assert.equal(bad.status, 400, q);
      assert.match(bad.json.error, new RegExp(`^${q.split('=')[0]}: expected a whole number`));
    }
  });

  it('serves a stale read of one metric as replay reads it (a gap, its traffic in the next slice), also on the first slice of a page', async () => {
    const dir = join(served.dir, 'stale-metric');
    const writer = RunWriter.create(dir, { format: 'munnin-run/1', name: 'stale-metric', intervalSeconds: 5, metrics: ['tcp_sent_bytes', 'tcp_received_bytes'] });
    const slice = (i: number, received: number) => ({ t: 1000 + 5 * i, dt: 5, gap: false, edges: ['a', 'b', 'c'].map((src) => ({ src, dst: 'db', values: { tcp_sent_bytes: 100, tcp_received_bytes: received } })) });
    for (const [i, received] of [40, 40, 0, 50, 40].entries()) writer.appendSnapshot(slice(i, received));
    writer.finish({ complete: true });
    // Counted as the gap replay reads it as.
    assert.equal((await get(`${served.base}/api/runs/stale-metric`)).json.gaps, 1);
    const whole = await get(`${served.base}/api/runs/stale-metric/snapshots?from=0&count=10`);
    assert.deepEqual(
      whole.json.intervals.map((x: any) => [x.i, x.gap === true]),
      [[0, false], [1, false], [2, true], [3, false], [4, false]],
    );
    // Slice 3 holds slice 2's traffic too: sent 100 + 100, received 0 + 50, on each edge.
    assert.deepEqual(whole.json.intervals[3].edges.map((e: any) => [e.tcp_sent_bytes, e.tcp_received_bytes]), [[200, 50], [200, 50], [200, 50]]);
    // A page starting at the stale slice, or right after it, shows the same.
    const page = await get(`${served.base}/api/runs/stale-metric/snapshots?from=2&count=2`);
    assert.deepEqual(page.json.intervals, whole.json.intervals.slice(2, 4));
    const after = await get(`${served.base}/api/runs/stale-metric/snapshots?from=3&count=1`);
    assert.deepEqual(after.json.intervals, whole.json.intervals.slice(3, 4));
  });

  it('reads a run while it is being written, line by line as it grows', async () => {
    const dir = join(served.dir, 'growing');
    const writer = RunWriter.create(dir, { format: 'munnin-run/1', name: 'growing', intervalSeconds: 1, metrics: ['request_bytes'] });
    const snap = (i: number) => ({ t: 1000 + i, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { request_bytes: 10 * i } }] });
    writer.appendSnapshot(snap(1));
    writer.appendSnapshot(snap(2));
    let s = await get(`${served.base}/api/runs/growing`);
    assert.equal(s.status, 200);
    assert.equal(s.json.intervals, 2);
    assert.equal(s.json.status, 'recording');
    writer.appendSnapshot(snap(3));
    // Half a line, as a writer caught mid-write leaves it: not an interval yet.
    appendFileSync(join(dir, 'snapshots.ndjson'), '{"t": 1004, "dt": 1, "edges": [{"src": "a", "dst"');
    let r = await get(`${served.base}/api/runs/growing/snapshots?from=0&count=10`);
    assert.equal(r.json.total, 3);
    assert.deepEqual(
      r.json.intervals.map((x: any) => x.edges[0].request_bytes),
      [10, 20, 30],
    );
    appendFileSync(join(dir, 'snapshots.ndjson'), ': "b", "request_bytes": 40}]}\n');
    r = await get(`${served.base}/api/runs/growing/snapshots?from=3&count=10`);
    assert.equal(r.json.total, 4);
    assert.equal(r.json.intervals[0].edges[0].request_bytes, 40);
    writer.finish({ complete: true });
    s = await get(`${served.base}/api/runs/growing`);
    assert.equal(s.json.intervals, 4);
    assert.equal(s.json.status, 'complete');
    assert.deepEqual(
      s.json.edges.map((e: any) => [e.src, e.dst, e.total, e.firstIndex]),
      [['a', 'b', 100, 0]],
    );
  });

  it('serves the report charts of a replayed run, and a 404 for one not replayed', async () => {
    const r = await get(`${served.base}/api/runs/cybermonday/report`);
    assert.equal(r.status, 200);
    const summary = JSON.parse(readFileSync(join(served.dir, 'cybermonday', 'replay', 'summary.json'), 'utf8'));
    const scores = r.json.charts.filter((c: any) => c.section === 'scores');
    assert.deepEqual(
      scores.map((c: any) => c.title),
      Object.keys(summary.detectors),
    );
    // One point per scored interval, as summary.json counts them.
    for (const c of scores) assert.equal(c.config.data.datasets[0].data.length, summary.scoredIntervals);
    assert.equal(r.json.charts.filter((c: any) => c.kind === 'matrix').length, 1);
    const missing = await get(`${served.base}/api/runs/interrupted/report`);
    assert.equal(missing.status, 404);
    assert.match(missing.json.error, /has not been replayed yet \(npm run replay -- /);
  });

  it('reports a broken run.json as a 422 naming the file and field, and still lists the run', async () => {
    const dir = join(served.dir, 'broken');
    RunWriter.create(dir, { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['requests'] }).finish({ complete: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', metrics: ['requests'] }));
    const r = await get(`${served.base}/api/runs/broken`);
    assert.equal(r.status, 422);
    assert.equal(r.json.error, 'broken/run.json: intervalSeconds: missing (expected a positive number of seconds)');
    const list = await get(`${served.base}/api/runs`);
    assert.match(list.json.runs.find((x: any) => x.name === 'broken').problem, /intervalSeconds: missing/);
  });

  it('is read-only and answers only requests addressed to this machine', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await get(`${served.base}/api/runs`, {}, method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers['allow'], 'GET, HEAD');
    }
    const rebound = await get(`${served.base}/api/runs`, { host: `attacker.example:${served.dashboard.port}` });
    assert.equal(rebound.status, 421);
    assert.equal((await get(`${served.base}/api/runs`, { host: `localhost:${served.dashboard.port}` })).status, 200);
  });

  it('serves the page with a script policy, and only the listed modules', async () => {
    const page = await get(`${served.base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.match(page.text, /<script type="module" src="\/app\/app.js">/);
    const chart = await get(`${served.base}/src/report/charts/scoreChart.ts`);
    assert.equal(chart.status, 200);
    assert.match(chart.headers['content-type'] as string, /^text\/javascript/);
    assert.match(chart.text, /export \{[^}]*scoreChart/);
    assert.doesNotMatch(chart.text, /: ScoreChartInput/);
    assert.equal((await get(`${served.base}/vendor/chart.umd.js`)).status, 200);
    for (const path of ['/src/config/schema.ts', '/src/cli/dashboard.ts', '/app/../../package.json', '/src/%2e%2e/package.json', '/app/app.js.map', '/node_modules/chart.js/package.json']) {
      const status = (await get(`${served.base}${path}`)).status;
      assert.ok(status === 404 || status === 400, `${path}: ${status}`);
    }
  });
});

describe('dashboard live API', () => {
  const served = servedDashboard('munnin-dashboard-live-');

  it('says when no experiment is live, and that the data folder does not exist', async () => {
    const live = await get(`${served.base}/api/live`);
    assert.equal(live.json.active, false);
    assert.equal(live.json.info, null);
    const runs = await get(`${served.base}/api/runs`);
    assert.deepEqual(runs.json, { dataDir: served.dir, exists: true, runs: [] });
  });

  it('pushes state, then each interval, verdict and event as it happens, and ends streams on close', async () => {
    const hub = served.dashboard.hub;
    hub.begin({ name: 'live', intervalSeconds: 1, durationSeconds: 3, plannedIntervals: 3, metrics: ['requests'], detectors: ['ewma'], trainingSeconds: 0, exfiltration: [], ewma: { lambda: 0.2, k: 3 }, startedAt: '2026-11-21T00:00:00.000Z' });
    hub.snapshot({ t: 11, dt: 1, gap: false, edges: [{ src: 'a', dst: 'b', values: { requests: 3 } }] });
    const client = sseClient(`${served.base}/api/live/stream`);
    await client.waitFor((m) => m.length >= 2);
    assert.equal(client.messages[0]!.type, 'state');
    assert.equal(client.messages[0]!.data.info.name, 'live');
    // The state carries no intervals: the backlog follows as ordinary snapshot messages, paged.
    assert.deepEqual(client.messages[0]!.data.snapshots, []);
    assert.deepEqual(client.messages[1], { type: 'snapshot', data: { t: 11, dt: 1, edges: [{ src: 'a', dst: 'b', requests: 3 }] } });
    hub.snapshot({ t: 12, dt: 1, gap: true, edges: [] });
    hub.verdict({ t: 12, dt: 1, detector: 'ewma', score: Number.POSITIVE_INFINITY, threshold: 2, alarm: true, training: false, gap: false, blamed: [{ src: 'a', dst: 'b', score: Number.NaN }] });
    hub.event({ kind: 'exfiltration', start: 11.5, end: 12, bytes: 10 });
    hub.end({ complete: true, intervals: 2 });
    await client.waitFor((m) => m.some((x) => x.type === 'end'));
    assert.deepEqual(
      client.messages.map((m) => m.type),
      ['state', 'snapshot', 'snapshot', 'verdict', 'event', 'end'],
    );
    assert.deepEqual(client.messages[2]!.data, { t: 12, dt: 1, gap: true, edges: [] });
    assert.equal(client.messages[3]!.data.score, 'Infinity');
    assert.equal(client.messages[3]!.data.blamed[0].score, 'NaN');
    const live = await get(`${served.base}/api/live`);
    assert.equal(live.json.active, false);
    assert.equal(live.json.snapshots.length, 2);
    await served.dashboard.close();
    await client.ended;
    await assert.rejects(get(`${served.base}/api/live`), /ECONNREFUSED/);
  });
});
