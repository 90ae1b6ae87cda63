// In-cluster Locust against the fake API server: the ConfigMap is built from locust/, the Job
// gets the experiment's parameters, stop() signals Locust through exec and reads the
// statistics it prints into its log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parametersSchema } from '../../src/config/index.ts';
import { applyManifests, createInClusterLocust, DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { startFakeCluster, virtualClock, type FakeCluster } from './fakeCluster.ts';
import { locustImageExec } from './locustImage.ts';
import { tmpDir } from './tmpDir.ts';

const traffic = parametersSchema.parse({ traffic: { users: 7, shape: 'bursty', thinkTimeSeconds: [1, 3], thinkTimeScale: 0.5, mix: { browse: 60, buy: 30, register: 10 }, seed: 42 } }).traffic;
const stats = {
  requests: 1234,
  failures: 5,
  startTime: 1700000000.5,
  lastRequestTime: 1700000150.2,
  shape: 'bursty',
  peakUsers: 7,
  loadChanges: [{ t: 1700000000.5, users: 7 }],
  endpoints: [{ method: 'GET', name: '/catalogue', requests: 1234, failures: 5, meanResponseMillis: 12.5, maxResponseMillis: 80, medianResponseMillis: 11, bytesReceived: 98765 }],
  errors: [{ method: 'GET', name: '/catalogue', error: 'HTTPError 503', occurrences: 5 }],
};

describe('createInClusterLocust', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
    await applyManifests(c.client(), loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object));
  });
  afterEach(() => c.close());

  it('starts the Job with the locustfiles and parameters, and stop() returns the statistics from its log', async () => {
    const statsFile = join(tmpDir('locust'), 'locust-stats.json');
    const generator = createInClusterLocust({ client: c.client(), appNamespace: 'sock-shop', traffic, durationSeconds: 120, statsFile, clock: virtualClock() });
    assert.equal(generator.kind, 'locust');
    const pod = 'locust-7xk2p';
    c.api.podLogs.set(`munnin/${pod}`, '[2024-01-01] locust/main: Starting Locust 2.12.1\nmunnin-locust: shape started\n');
    const execs: string[][] = [];
    c.api.execHandler = locustImageExec(() => {
      // What the Job's sh does on SIGTERM: Locust stops, prints its statistics after the marker, the pod ends.
      c.api.podLogs.set(`munnin/${pod}`, `${c.api.podLogs.get(`munnin/${pod}`)}Aggregated 1234 5\nmunnin-locust-stats:\n${JSON.stringify(stats, null, 2)}\n`);
      c.api.setPodPhase('munnin', pod, 'Succeeded');
    }, execs);
    await generator.start();

    const cm = c.api.get('configmaps', 'munnin', 'locustfiles')!;
    assert.equal(cm['data']['locustfile.py'], readFileSync(join(DEFAULT_MANIFESTS_DIR, '..', 'locust', 'locustfile.py'), 'utf8'));
    const job = c.api.get('jobs', 'munnin', 'locust')!;
    const env = Object.fromEntries(job['spec'].template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.deepEqual(
      { ...env, MUNNIN_RUN_TAG: undefined },
      {
        MUNNIN_STATS_FILE: '/tmp/locust-stats.json',
        PYTHONUNBUFFERED: '1',
        MUNNIN_HOST: 'http://front-end.sock-shop.svc.cluster.local',
        MUNNIN_SHAPE: 'bursty',
        MUNNIN_USERS: '7',
        MUNNIN_DURATION_SECONDS: '120',
        MUNNIN_THINK_MIN_SECONDS: '0.5',
        MUNNIN_THINK_MAX_SECONDS: '1.5',
        MUNNIN_MIX: '60,30,10',
        MUNNIN_SEED: '42',
        MUNNIN_RUN_TAG: undefined,
      },
    );
    assert.match(env['MUNNIN_RUN_TAG'], /^[0-9a-z]+$/);

    const result = await generator.stop();
    assert.deepEqual(execs, [['munnin', pod, 'locust', 'sh', '-c', 'kill -TERM 1']]);
    assert.equal(result.generator, 'locust');
    assert.equal(result.requests, 1234);
    assert.equal(result.failures, 5);
    assert.equal(result['inCluster'], true);
    assert.deepEqual(JSON.parse(readFileSync(statsFile, 'utf8')), stats);
    assert.equal(c.api.get('jobs', 'munnin', 'locust'), undefined, 'the Job is deleted');
    assert.equal(await generator.stop(), result, 'stop() is idempotent');
  });

  it('fails start() in (virtual) time when the pod never gets going, naming its phase', async () => {
    const generator = createInClusterLocust({ client: c.client(), appNamespace: 'sock-shop', traffic, durationSeconds: 60, statsFile: join(tmpDir('locust'), 'unused.json'), startTimeoutMillis: 5000, clock: virtualClock() });
    await assert.rejects(generator.start(), /^Error: in-cluster Locust did not start within 5 s \(pod locust-7xk2p, phase Running\)$/);
  });

  it('replaces a Job left from an earlier run (a Job\'s template cannot be re-applied)', async () => {
    const clock = virtualClock();
    const first = createInClusterLocust({ client: c.client(), appNamespace: 'sock-shop', traffic, durationSeconds: 60, statsFile: join(tmpDir('locust'), 'unused.json'), clock });
    c.api.podLogs.set('munnin/locust-7xk2p', 'munnin-locust: shape started\n');
    await first.start();
    const uid = c.api.get('jobs', 'munnin', 'locust')!['metadata'].uid;
    const second = createInClusterLocust({ client: c.client(), appNamespace: 'sock-shop', traffic, durationSeconds: 90, statsFile: join(tmpDir('locust'), 'unused.json'), clock });
    c.api.podLogs.set('munnin/locust-7xk2p', 'munnin-locust: shape started\n');
    await second.start();
    const job = c.api.get('jobs', 'munnin', 'locust')!;
    assert.notEqual(job['metadata'].uid, uid);
    assert.ok(job['spec'].template.spec.containers[0].env.some((e: { name: string; value: string }) => e.name === 'MUNNIN_DURATION_SECONDS' && e.value === '90'));
    assert.ok(c.api.requests.some((r) => r.method === 'DELETE' && r.path === '/apis/batch/v1/namespaces/munnin/jobs/locust' && r.query.get('propagationPolicy') === 'Background'));
  });
});
