import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { startExperimentDashboard } from '../../src/dashboard/index.ts';
import { runExperiment } from '../../src/experiment/index.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { get, sseClient } from './helpers.ts';

// A short real experiment on the embedded mesh with the dashboard beside it, watched
// through the live stream as a page would.
describe('npm run experiment -- --dashboard (in process)', { timeout: 90_000 }, () => {
  const tmp = makeTempDir('munnin-dashboard-experiment-');
  const log = captureLog();
  after(() => {
    log.restore();
    tmp.remove();
  });

  it('streams every interval, the exfiltration and the end, and lists the run afterwards', async () => {
    const params = resolveParameters({
      outputDir: tmp.dir,
      durationSeconds: 6,
      intervalSeconds: 1,
      telemetry: { source: 'scrape' },
      traffic: { generator: 'builtin', users: 3, shape: 'constant', thinkTimeScale: 0.25 },
      mesh: { customers: 50 },
      exfiltration: [{ atSeconds: 2, bytes: 20_000, method: 'api' }],
      detectors: { trainingSeconds: 2, enabled: ['ewma', 'new-edge'] },
    });
    const live = await startExperimentDashboard({ params, runName: 'watched', port: 0 });
    try {
      assert.equal(live.dashboard.host, '127.0.0.1');
      const client = sseClient(`${live.dashboard.url}api/live/stream`);
      await client.waitFor((m) => m.length >= 1);
      assert.equal(client.messages[0]!.type, 'state');
      assert.equal(client.messages[0]!.data.info.name, 'watched');
      assert.equal(client.messages[0]!.data.info.plannedIntervals, 6);
      const running = runExperiment(params, 'watched', { progress: false, ...live.hooks });
      await client.waitFor((m) => m.some((x) => x.type === 'snapshot'), 30_000);
      const during = await get(`${live.dashboard.url}api/runs`);
      assert.equal(during.json.runs.find((r: any) => r.name === 'watched')?.status, 'recording');
      const result = await running;
      live.end(result);
      await client.waitFor((m) => m.some((x) => x.type === 'end'));
      const of = (type: string) => client.messages.filter((m) => m.type === type).map((m) => m.data);
      assert.equal(of('snapshot').length, result.intervals);
      assert.equal(result.intervals, 6);
      // Two detectors judge every interval.
      assert.equal(of('verdict').length, 2 * result.intervals);
      const exfil = of('event').filter((e) => e.kind === 'exfiltration');
      assert.equal(exfil.length, 1);
      assert.equal(exfil[0].method, 'api');
      assert.deepEqual(of('end'), [{ complete: true, intervals: 6 }]);
      // The stream carried what the run's file holds.
      const file = await get(`${live.dashboard.url}api/runs/watched/snapshots?count=10`);
      assert.deepEqual(
        file.json.intervals.map(({ i: _i, ...line }: any) => line),
        of('snapshot'),
      );
      const after = await get(`${live.dashboard.url}api/runs`);
      assert.equal(after.json.runs.find((r: any) => r.name === 'watched')?.status, 'complete');
      client.close();
    } finally {
      await live.dashboard.close();
    }
  });
});
