// Bug: `npm run experiment -- --target kubernetes` interrupted with Ctrl-C before the run folder
// existed (preflight, applying the manifests, waiting for the rollouts) printed
// "error: interrupted before recording began: no run was written" and exited 2, as for a
// mistake, where every other early Ctrl-C (the embedded target's, Locust's or Prometheus's
// start-up) exits 130 with an "interrupted: 0 intervals kept …" warning. Now it is an
// interruption too: exit 130, the same warning (saying no run folder was written), no error.
// The cluster is the fake API server (test/k8s/), its Deployments never rolling out, so the
// Ctrl-C finds the experiment waiting for the rollouts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MANIFESTS_DIR, parseManifestFile } from '../../src/k8s/index.ts';
import { listen } from '../../src/mesh/index.ts';
import { startFakeCluster } from '../k8s/fakeCluster.ts';
import { makeTempDir } from '../util.ts';
import { ctrlcExperiment } from './ctrlcExperiment.ts';

// The configuration munnin's own Prometheus runs with (1-s scrapes), as the preflight reads it.
const PROMETHEUS_CONFIG = (parseManifestFile(`${DEFAULT_MANIFESTS_DIR}/prometheus/prometheus.yaml`).find((m) => m.object.kind === 'ConfigMap')!.object['data'] as Record<string, string>)['prometheus.yml']!;

describe('Ctrl-C while the Kubernetes target starts (regression)', { timeout: 120_000 }, () => {
  it('npm run experiment -- --target kubernetes: exit 130 and the interrupted warning, not an error; no run folder', async () => {
    const tmp = makeTempDir('munnin-ctrlc-k8s-');
    // Rollouts that never complete: the experiment waits for them until the Ctrl-C.
    const c = await startFakeCluster({ rolloutSteps: Number.MAX_SAFE_INTEGER });
    const prometheus = createServer((req, res) => {
      const data = req.url === '/api/v1/status/config' ? { yaml: PROMETHEUS_CONFIG } : { resultType: 'vector', result: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
    });
    try {
      const port = await listen(prometheus);
      c.api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'munnin-monitoring' } });
      c.api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus', namespace: 'munnin-monitoring' }, spec: { ports: [{ name: 'http', port: 9090 }] } });
      c.api.backends.set('munnin-monitoring/prometheus', `http://127.0.0.1:${port}`);
      const outcome = await ctrlcExperiment(
        tmp.dir,
        'k8s',
        `{ outputDir: ${JSON.stringify(tmp.dir)}, durationSeconds: 20, intervalSeconds: 2, traffic: { generator: 'builtin', users: 2 }, exfiltration: [], detectors: { trainingSeconds: 6 } }`,
        /kubernetes: rollout 0\/\d+ deployments ready/,
        () => true,
        { args: ['--target', 'kubernetes', '--context', 'fake'], env: { KUBECONFIG: c.kubeconfigPath } },
      );
      assert.equal(outcome.code, 130, outcome.stderr);
      assert.doesNotMatch(outcome.stderr, /error:|unexpected error|\n\s+at /);
      // The embedded target's early Ctrl-C says "interrupted: 0 intervals kept in <dir> (run.json says complete: false)".
      const dir = join(tmp.dir, 'k8s');
      assert.ok(outcome.stderr.includes(`warn: interrupted: 0 intervals kept; ${dir} was not created (stopped before the target was up)\n`), outcome.stderr);
      assert.equal(existsSync(dir), false, 'no run folder');
      assert.deepEqual(outcome.left, [], 'processes left running');
    } finally {
      prometheus.close();
      await c.close();
      tmp.remove();
    }
  });
});
