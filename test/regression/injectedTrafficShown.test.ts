import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { RunCatalog } from '../../src/dashboard/RunCatalog.ts';
import { runReplay } from '../../src/replay/index.ts';
import { buildReportModel, exportRun, loadReportInputs } from '../../src/report/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug (tester ti, 3): after `npm run replay -- <run> --inject …` the report's edge charts and
// traffic matrix, the dashboard's interval walk and `npm run export -- <run> --replay <out>`
// showed the recorded traffic without the injected bytes (they read the run's own
// snapshots.ndjson), and the export's intervals.csv marked no attack interval while its
// scores.csv marked the injected ones. A replay that injects now keeps what it injected in
// its folder (injection.json); the report, the dashboard and the export redo that injection,
// say that the traffic includes it, and mark the injected attacks in intervals.csv.

const BASE = 1_800_000_000;
// 20 intervals of 1 s, (BASE + i − 1, BASE + i]: app → db carries 1000 + (i mod 3) response bytes, web → app 500.
const recorded = (i: number) => 1000 + (i % 3);
// `--inject 5000@10-13 --inject-path db,app`: the hop db → app is pulled by app from db, so its
// bytes land on edge app → db (response_bytes, db is no `*-db`), in the intervals whose midpoint
// lies in [10, 13) s after the start (BASE): i = 11, 12, 13, 5000 B each.
const INJECTED = new Set([11, 12, 13]);
const expected = (i: number) => recorded(i) + (INJECTED.has(i) ? 5000 : 0);

describe('the traffic of an --inject replay, as its detectors saw it', () => {
  const tmp = makeTempDir('munnin-injected-traffic-');
  const log = captureLog();
  const runDir = join(tmp.dir, 'data', 'run');
  const replayDir = join(runDir, 'replay');

  before(async () => {
    let snapshots = '';
    for (let i = 1; i <= 20; i++) snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges: [{ src: 'app', dst: 'db', response_bytes: recorded(i) }, { src: 'web', dst: 'app', response_bytes: 500 }] })}\n`;
    writeRunFiles(runDir, { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes'] }, snapshots, events: '' });
    const detectors = resolveParameters({ detectors: { enabled: ['ewma'], trainingSeconds: 5 } }).detectors;
    await runReplay(runDir, { outDir: replayDir, detectors, injectPath: ['db', 'app'], inject: [{ bytesPerInterval: 5000, at: [{ startSeconds: 10, endSeconds: 13 }] }] });
  });
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('the report charts hold the injected bytes and say so', async () => {
    const inputs = await loadReportInputs(runDir, replayDir);
    const appDb = inputs.snapshots.map((s) => s.edges.find((e) => e.src === 'app' && e.dst === 'db')?.values.response_bytes);
    assert.deepEqual(appDb, Array.from({ length: 20 }, (_, k) => expected(k + 1)));
    assert.ok(inputs.snapshots.every((s) => s.edges.find((e) => e.src === 'web')?.values.response_bytes === 500), 'an edge off the path is the recording');
    const model = buildReportModel(inputs);
    const edge = model.charts.find((c) => c.title === 'app → db');
    assert.ok(edge, model.charts.map((c) => c.title).join(', '));
    assert.match(edge.caption, /Includes the bytes this replay injected \(5000 B per interval along db → app\)/);
    assert.match(model.charts.find((c) => c.section === 'matrix')!.caption, /Includes the bytes this replay injected/);
  });

  it('the dashboard serves the intervals with the injected bytes and says so', async () => {
    const catalog = new RunCatalog(join(tmp.dir, 'data'));
    const page = await catalog.intervals('run', 0, 100);
    const appDb = page.intervals.map((l) => ('edges' in l ? l.edges.find((e) => e.src === 'app' && e.dst === 'db')?.['response_bytes'] : undefined));
    assert.deepEqual(appDb, Array.from({ length: 20 }, (_, k) => expected(k + 1)));
    // A page that starts mid-run: the windows are still counted from the run's start.
    const later = await catalog.intervals('run', 11, 2);
    assert.deepEqual(later.intervals.map((l) => ('edges' in l ? l.edges[0]?.['response_bytes'] : undefined)), [expected(12), expected(13)]);
    assert.equal((await catalog.summary('run')).injected, '5000 B per interval along db → app');
  });

  it('the export writes the injected bytes and marks the injected attack intervals', async () => {
    const out = join(tmp.dir, 'export');
    const result = await exportRun({ runDir, replayDir, outDir: out });
    assert.equal(result.injected, '5000 B per interval along db → app');
    const rows = (file: string) => readFileSync(join(out, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // traffic.csv: run,t,src,dst,metric,value
    const appDb = rows('traffic.csv').filter((r) => r[2] === 'app' && r[3] === 'db').map((r) => [Number(r[1]) - BASE, Number(r[5])]);
    assert.deepEqual(appDb, Array.from({ length: 20 }, (_, k) => [k + 1, expected(k + 1)]));
    // intervals.csv: run,t,dt,gap,attack,grace; the attack covers (10, 13], the interval after it is grace.
    const intervals = rows('intervals.csv').map((r) => [Number(r[1]) - BASE, r[4], r[5]]);
    assert.deepEqual(intervals.filter((r) => r[1] === 'true').map((r) => r[0]), [11, 12, 13]);
    assert.deepEqual(intervals.filter((r) => r[2] === 'true').map((r) => r[0]), [14]);
  });
});
