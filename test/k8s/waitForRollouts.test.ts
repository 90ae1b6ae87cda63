// Rollout waiting, in virtual time: the fake's Deployment controller moves one step per read
// (stale status → observedGeneration → updatedReplicas → availableReplicas); sleeps only
// advance the virtual clock.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { UserError } from '../../src/errors.ts';
import { applyManifests, checkSidecars, rolloutPending, waitForRollouts, type KubeObject } from '../../src/k8s/index.ts';
import { startFakeCluster, virtualClock, type FakeCluster } from './fakeCluster.ts';

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } };
const deployment = (name: string, replicas = 1, image = `weaveworksdemos/${name}:0.4.7`): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: { name } }, template: { metadata: { labels: { name } }, spec: { containers: [{ name, image }] } } },
});

describe('rolloutPending', () => {
  const d = (generation: number, status: V1Deployment['status'], replicas = 2): V1Deployment => ({ metadata: { generation }, spec: { replicas, selector: {}, template: {} }, status });

  it('waits for the controller to observe the new generation even when the old one was complete', () => {
    assert.equal(rolloutPending(d(3, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), 'controller has not seen generation 3 yet');
  });
  it('then for every replica to be updated, old ones gone, all available', () => {
    assert.equal(rolloutPending(d(3, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 })), '1/2 updated');
    assert.equal(rolloutPending(d(3, { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 })), '1 old replica(s) terminating');
    assert.equal(rolloutPending(d(3, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 1 })), '1/2 available');
    assert.equal(rolloutPending(d(3, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), undefined);
  });
  it('reports a progress deadline as such', () => {
    const status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };
    assert.equal(rolloutPending(d(1, status, 1)), 'progress deadline exceeded');
  });
  it('treats a missing replicas field as 1 (the API default)', () => {
    assert.equal(rolloutPending({ metadata: { generation: 1 }, spec: { selector: {}, template: {} }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } }), undefined);
  });
});

describe('waitForRollouts', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startFakeCluster();
  });
  afterEach(() => c.close());

  it('returns once every deployment is available, reporting progress as the count changes', async () => {
    await applyManifests(c.client(), [namespace, deployment('carts'), deployment('user', 2)]);
    const clock = virtualClock();
    const notes: string[] = [];
    await waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }, { namespace: 'shop', name: 'user' }], { timeoutMillis: 60_000, pollMillis: 2000, clock, onProgress: (m) => notes.push(m) });
    // 4 reads to complete (see the fake's controller): 3 sleeps of 2 s between them.
    assert.deepEqual(clock.sleeps, [2000, 2000, 2000]);
    assert.deepEqual(notes, ['kubernetes: rollout 0/2 deployments ready (waiting for carts, user)', 'kubernetes: rollout 2/2 deployments ready']);
    const user = c.api.get('deployments', 'shop', 'user')!;
    assert.equal(user['status'].availableReplicas, 2);
    // Injection happened in the labelled namespace.
    await checkSidecars(c.client(), 'shop');
  });

  it('does not mistake the previous generation\'s complete status for the new rollout', async () => {
    await applyManifests(c.client(), [namespace, deployment('carts')]);
    await waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, clock: virtualClock() });
    await applyManifests(c.client(), [deployment('carts', 1, 'weaveworksdemos/carts:0.4.9')]);
    const before = c.api.get('deployments', 'shop', 'carts')!;
    assert.equal(before['metadata'].generation, 2);
    assert.equal(before['status'].observedGeneration, 1);
    assert.equal(before['status'].availableReplicas, 1); // the old pods are still available
    const clock = virtualClock();
    await waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, pollMillis: 1000, clock });
    assert.equal(clock.sleeps.length, 3);
    assert.equal(c.api.get('deployments', 'shop', 'carts')!['status'].observedGeneration, 2);
  });

  it('times out in (virtual) time with the laggard, its state and why its pod does not start', async () => {
    await applyManifests(c.client(), [namespace, deployment('carts'), deployment('user')]);
    c.api.stuck.add('shop/user');
    const clock = virtualClock();
    const started = clock.now();
    await assert.rejects(
      waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }, { namespace: 'shop', name: 'user' }], { timeoutMillis: 30_000, pollMillis: 2000, clock }),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(
          e.message,
          'kubernetes: rollouts not finished after 30 s: shop/user (0/1 available; pod user-01f9c-x2k4q: container user ImagePullBackOff: Back-off pulling image "weaveworksdemos/user:0.4.7"; ' +
            'pod user-01f9c-x2k4q: container istio-proxy ImagePullBackOff: Back-off pulling image "docker.io/istio/proxyv2:1.24.0") ' +
            '(see `kubectl -n shop get pods`; raise kubernetes.rolloutTimeoutMillis if the images are still downloading)',
        );
        return true;
      },
    );
    assert.equal(clock.now() - started, 30_000);
  });

  it('waits for a deployment that does not exist yet, then gives up naming it', async () => {
    await applyManifests(c.client(), [namespace]);
    const clock = virtualClock();
    await assert.rejects(waitForRollouts(c.client(), [{ namespace: 'shop', name: 'ghost' }], { timeoutMillis: 5000, pollMillis: 2000, clock }), /rollouts not finished after 5 s: shop\/ghost \(not found\)/);
    assert.deepEqual(clock.sleeps, [2000, 2000, 1000]);
  });

  it('ends with an AbortError when aborted (Ctrl-C during a long rollout)', async () => {
    await applyManifests(c.client(), [namespace, deployment('carts')]);
    const controller = new AbortController();
    const clock = virtualClock();
    const sleep = clock.sleep;
    // Abort during the second pause.
    clock.sleep = async (ms) => {
      await sleep(ms);
      if (clock.sleeps.length === 2) controller.abort();
    };
    await assert.rejects(waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, clock, signal: controller.signal }), { name: 'AbortError' });
    assert.equal(clock.sleeps.length, 2);
  });

  it('rides out a transient API error, and fails at once on a 403', async () => {
    await applyManifests(c.client(), [namespace, deployment('carts')]);
    c.api.failNext({ method: 'GET', path: /\/deployments$/ }, 500, 'InternalError', 'etcdserver: request timed out');
    await waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, clock: virtualClock() });
    c.api.forbid({ method: 'GET', path: /\/deployments$/ });
    await assert.rejects(
      waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, clock: virtualClock() }),
      (e: unknown) => e instanceof UserError && e.message.startsWith('kubernetes: cannot watch the rollouts in namespace "shop": 403 Forbidden: deployments.apps is forbidden'),
    );
  });
});

describe('checkSidecars', () => {
  it('names running pods that have no istio-proxy', async () => {
    const c = await startFakeCluster();
    try {
      await applyManifests(c.client(), [{ ...namespace, metadata: { name: 'shop' } }, deployment('carts')]);
      await waitForRollouts(c.client(), [{ namespace: 'shop', name: 'carts' }], { timeoutMillis: 60_000, clock: virtualClock() });
      await assert.rejects(
        checkSidecars(c.client(), 'shop'),
        (e: unknown) =>
          e instanceof UserError &&
          e.message === 'kubernetes: pods without the Istio sidecar in namespace "shop": carts-01f9c-x2k4q (created before injection was enabled?): `kubectl -n shop rollout restart deployment` and run again',
      );
    } finally {
      await c.close();
    }
  });
});
