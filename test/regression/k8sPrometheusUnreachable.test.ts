// Bug: `experiment --target kubernetes --prometheus-url <unreachable>` only warned "cannot read
// how often Prometheus … scrapes (fetch failed); assuming …" and went on to apply the 39
// objects, although no interval of the run could be read. Now a Prometheus that does not
// answer at all fails the start with one line naming the URL and the cause, before any apply.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { KubernetesParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { startKubernetesTarget } from '../../src/k8s/index.ts';
import { listen } from '../../src/mesh/index.ts';
import { startFakeCluster, virtualClock } from '../k8s/fakeCluster.ts';

const kubernetes: KubernetesParameters = { context: 'fake', namespace: 'sock-shop', teardown: false, rolloutTimeoutMillis: 600_000, inClusterLocust: false };

describe('a Kubernetes target given a Prometheus URL that does not answer (regression)', () => {
  it('fails before applying anything, naming the URL, the cause and the flag', async () => {
    const c = await startFakeCluster();
    try {
      const notes: string[] = [];
      // A port just freed has no listener: the connection is refused. (Not port 9: fetch refuses it as a "bad port" without connecting.)
      const server = createServer();
      const port = await listen(server);
      await new Promise((resolve) => server.close(resolve));
      const url = `http://127.0.0.1:${port}`;
      await assert.rejects(
        startKubernetesTarget({ kubernetes, prometheusUrl: url, customers: 4, kubeconfig: c.kubeconfig(), clock: virtualClock(), onProgress: (m) => notes.push(m) }),
        (e: unknown) => {
          assert.ok(e instanceof UserError, String(e));
          assert.equal(e.message, `kubernetes: Prometheus at ${url} does not answer (fetch failed: ECONNREFUSED): check --prometheus-url (telemetry.prometheus.url)`);
          return true;
        },
      );
      assert.equal(c.api.requests.filter((r) => r.method === 'PATCH' || r.method === 'POST').length, 0, 'nothing applied');
      assert.ok(!notes.some((n) => n.includes('applying')), notes.join('\n'));
    } finally {
      await c.close();
    }
  });
});
