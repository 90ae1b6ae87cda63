import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { chooseTraffic } from '../../src/experiment/index.ts';
import type { Target, TrafficGenerator } from '../../src/types.ts';

// The choice only: a stand-in target whose in-cluster Locust records how it was asked for.
function target(kind: Target['kind'], withInCluster: boolean): { target: Target; asked: unknown[] } {
  const asked: unknown[] = [];
  const generator: TrafficGenerator = { kind: 'locust', start: async () => {}, stop: async () => ({ generator: 'locust', requests: 0, failures: 0 }) };
  const t: Target = {
    kind,
    frontEndUrl: 'http://127.0.0.1:1',
    services: [],
    topology: [],
    scrapeTargets: [],
    egress: async () => ({ bytes: 0 }),
    stop: async () => {},
    ...(withInCluster
      ? {
          createInClusterLocust: (o) => {
            asked.push(o);
            return generator;
          },
        }
      : {}),
  };
  return { target: t, asked };
}

describe('chooseTraffic', () => {
  it('runs Locust in the cluster when kubernetes.inClusterLocust asks for it, whatever is installed here', async () => {
    const params = resolveParameters({ target: 'kubernetes', traffic: { generator: 'locust', users: 5 }, kubernetes: { inClusterLocust: true } });
    const { target: t, asked } = target('kubernetes', true);
    const notes: string[] = [];
    const chosen = await chooseTraffic(params, t, '/tmp/run-x', () => {}, (m) => notes.push(m));
    assert.equal(chosen.kind, 'locust');
    assert.deepEqual(asked, [{ traffic: params.traffic, durationSeconds: params.durationSeconds, statsFile: '/tmp/run-x/locust-stats.json' }]);
    assert.deepEqual(notes, ['traffic: Locust in the cluster (5 users, normal load shape)']);
  });

  it('says so when the target cannot run Locust in the cluster', async () => {
    const params = resolveParameters({ target: 'kubernetes', kubernetes: { inClusterLocust: true } });
    await assert.rejects(chooseTraffic(params, target('kubernetes', false).target, '/tmp/run-x', () => {}), (e: unknown) => e instanceof UserError && /kubernetes\.inClusterLocust/.test(e.message));
  });

  it('uses the built-in generator when asked to, and never the cluster on the embedded mesh', async () => {
    const params = resolveParameters({ traffic: { generator: 'builtin' }, kubernetes: { inClusterLocust: true } });
    const { target: t, asked } = target('embedded', true);
    const chosen = await chooseTraffic(params, t, '/tmp/run-x', () => {});
    assert.equal(chosen.kind, 'builtin');
    assert.deepEqual(asked, []);
  });
});
