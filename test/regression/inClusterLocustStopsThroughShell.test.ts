// Bug: stopping the in-cluster Locust exec'd the `kill` program, which the locustio/locust image
// (python:3.x-slim, no procps) does not have. The exec failed before the statistics were read,
// and the Job kept loading the shop for up to an hour. The stop must go through the shell.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { parametersSchema } from '../../src/config/index.ts';
import { applyManifests, createInClusterLocust, DEFAULT_MANIFESTS_DIR, loadManifests } from '../../src/k8s/index.ts';
import { startFakeCluster, virtualClock } from '../k8s/fakeCluster.ts';
import { locustImageExec } from '../k8s/locustImage.ts';
import { tmpDir } from '../k8s/tmpDir.ts';

it('stops the in-cluster Locust with sh -c "kill -TERM 1" and reads its statistics', async () => {
  const c = await startFakeCluster();
  try {
    await applyManifests(c.client(), loadManifests(DEFAULT_MANIFESTS_DIR).map((m) => m.object));
    const traffic = parametersSchema.parse({}).traffic;
    const statsFile = join(tmpDir('locust-stop'), 'locust-stats.json');
    const generator = createInClusterLocust({ client: c.client(), appNamespace: 'sock-shop', traffic, durationSeconds: 60, statsFile, clock: virtualClock() });
    const pod = 'locust-7xk2p';
    c.api.podLogs.set(`munnin/${pod}`, 'munnin-locust: shape started\n');
    let terminated = 0;
    c.api.execHandler = locustImageExec(() => {
      terminated += 1;
      const stats = { requests: 10, failures: 0, startTime: 1, lastRequestTime: 2, endpoints: [], errors: [] };
      c.api.podLogs.set(`munnin/${pod}`, `munnin-locust: shape started\nmunnin-locust-stats:\n${JSON.stringify(stats)}\n`);
      c.api.setPodPhase('munnin', pod, 'Succeeded');
    });
    await generator.start();
    const result = await generator.stop();
    assert.equal(terminated, 1);
    assert.equal(result.requests, 10);
    assert.equal(c.api.get('jobs', 'munnin', 'locust'), undefined, 'the Job is deleted after the statistics are read');
  } finally {
    await c.close();
  }
});
