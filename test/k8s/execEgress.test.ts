// `egress` on a cluster: exec of the attacker script in the compromised pod over the exec
// WebSocket (v4.channel.k8s.io), against the fake API server.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { execEgress } from '../../src/k8s/index.ts';
import { startSockShopCluster, type FakeCluster } from './fakeCluster.ts';

describe('execEgress', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startSockShopCluster();
  });
  afterEach(() => c.close());

  it('runs exfiltrate.sh <bytes> in the attacker container of a user pod and returns what the sink received', async () => {
    const calls: { pod: string; container: string; command: string[] }[] = [];
    c.api.execHandler = ({ pod, container, command }) => {
      calls.push({ pod, container, command });
      return { stdout: 'noise from mongoexport\n{"received": 400000}\n', stderr: '' };
    };
    assert.deepEqual(await execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 400_000 }), { bytes: 400_000 });
    assert.deepEqual(calls, [{ pod: 'user-01f9c-x2k4q', container: 'attacker', command: ['/bin/bash', '/munnin/exfiltrate.sh', '400000'] }]);
  });

  it('rejects when the sink received less', async () => {
    c.api.execHandler = () => ({ stdout: '{"received": 1000}\n' });
    await assert.rejects(execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 5000 }), /^Error: egress from user \(pod user-01f9c-x2k4q\): the sink received 1000 of 5000 bytes$/);
  });

  it('rejects with the script\'s last error line when it exits non-zero', async () => {
    c.api.execHandler = () => ({ stderr: 'read nothing from user-db/users (customers addresses cards): is the data store empty?\n', exitCode: 3 });
    await assert.rejects(
      execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 5000 }),
      /^Error: egress from user \(pod user-01f9c-x2k4q\): read nothing from user-db\/users \(customers addresses cards\): is the data store empty\?$/,
    );
  });

  it('rejects when the script printed no receipt', async () => {
    c.api.execHandler = () => ({ stdout: 'HTTP/1.1 500\n' });
    await assert.rejects(execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 10 }), /no receipt from the sink \(stdout ended with "HTTP\/1.1 500"\)/);
  });

  it('refuses a workload without the attacker container, and one without running pods', async () => {
    await assert.rejects(execEgress(c.client(), { namespace: 'sock-shop', workload: 'orders', bytes: 10 }), /^Error: egress from orders: its pods have no "attacker" container/);
    await assert.rejects(execEgress(c.client(), { namespace: 'sock-shop', workload: 'nobody', bytes: 10 }), /^Error: egress from nobody: no running pod with label name=nobody in namespace sock-shop$/);
  });

  it('times out when the exec gives no status', async () => {
    c.api.execHandler = () => new Promise(() => {});
    await assert.rejects(execEgress(c.client(), { namespace: 'sock-shop', workload: 'user', bytes: 10, timeoutMillis: 300 }), /gave no result within 300 ms/);
  });
});
