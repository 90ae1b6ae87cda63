// `scan` and `lateral` on a cluster: exec of the attacker scripts in the compromised pod over
// the exec WebSocket (v4.channel.k8s.io), against the fake API server.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AttackError } from '../../src/attacks/index.ts';
import { execLateral, execScan, servicePorts } from '../../src/k8s/index.ts';
import { SOCK_SHOP_OBJECTS, startSockShopCluster, type FakeCluster } from './fakeCluster.ts';

const ports = servicePorts(SOCK_SHOP_OBJECTS, 'sock-shop');

describe('servicePorts', () => {
  it('reads each Service\'s port and protocol from the manifests (istio/10-sock-shop.yaml)', () => {
    assert.deepEqual(ports.get('front-end'), { port: 80, protocol: 'http' });
    assert.deepEqual(ports.get('payment'), { port: 80, protocol: 'http' });
    assert.deepEqual(ports.get('orders-db'), { port: 27017, protocol: 'mongo' });
    assert.deepEqual(ports.get('catalogue-db'), { port: 3306, protocol: 'tcp' });
    assert.deepEqual(ports.get('rabbitmq'), { port: 5672, protocol: 'tcp' });
    assert.deepEqual(ports.get('session-db'), { port: 6379, protocol: 'tcp' });
    assert.equal(ports.size, 14);
  });
});

describe('execScan and execLateral', () => {
  let c: FakeCluster;
  beforeEach(async () => {
    c = await startSockShopCluster();
  });
  afterEach(() => c.close());

  const scan = (signal?: AbortSignal) =>
    execScan(c.client(), {
      namespace: 'sock-shop',
      workload: 'user',
      targets: [{ service: 'orders', otherPorts: [22, 8080] }, { service: 'orders-db', otherPorts: [22, 8080] }],
      ports,
      secondsBetweenTargets: 6,
      ...(signal ? { signal } : {}),
    });

  it('runs scan.sh <gap> <other ports> <service:port>... in the attacker container of a user pod and returns its tally', async () => {
    const calls: { pod: string; container: string; command: string[] }[] = [];
    c.api.execHandler = ({ pod, container, command }) => {
      calls.push({ pod, container, command });
      return { stdout: 'probe orders:80 answered\nprobe orders:22 silent\n{"attempts": 6, "answered": 2}\n' };
    };
    assert.deepEqual(await scan(), { attempts: 6, answered: 2 });
    assert.deepEqual(calls, [{ pod: 'user-01f9c-x2k4q', container: 'attacker', command: ['/bin/bash', '/munnin/scan.sh', '6', '22,8080', 'orders:80', 'orders-db:27017'] }]);
  });

  it('runs lateral.sh <service> <port> <protocol> <calls> <gap>, the protocol from the Service', async () => {
    const commands: string[][] = [];
    c.api.execHandler = ({ command }) => {
      commands.push(command);
      return { stdout: '{"attempts": 3, "answered": 3}\n' };
    };
    assert.deepEqual(await execLateral(c.client(), { namespace: 'sock-shop', workload: 'user', to: 'orders-db', ports, calls: 3, secondsBetweenCalls: 0.5 }), { attempts: 3, answered: 3 });
    await execLateral(c.client(), { namespace: 'sock-shop', workload: 'user', to: 'payment', ports, calls: 2, secondsBetweenCalls: 1 });
    assert.deepEqual(commands, [
      ['/bin/bash', '/munnin/lateral.sh', 'orders-db', '27017', 'mongo', '3', '0.5'],
      ['/bin/bash', '/munnin/lateral.sh', 'payment', '80', 'http', '2', '1'],
    ]);
  });

  it('aborting closes the exec and reports the tries the script had printed', async () => {
    const controller = new AbortController();
    c.api.execHandler = (_call, io) => {
      io.stdout('probe orders:80 answered\nprobe orders:22 silent\nprobe orders:8080 silent\n');
      setTimeout(() => controller.abort(), 100);
      return new Promise(() => {});
    };
    await assert.rejects(scan(controller.signal), (e: unknown) => {
      assert.ok(e instanceof AttackError);
      assert.equal(e.message, 'scan from user aborted');
      assert.deepEqual(e.partial, { attempts: 3, answered: 1 });
      return true;
    });
  });

  it('a failing script, or one printing no tally, is an AttackError with what it did', async () => {
    c.api.execHandler = () => ({ stdout: 'call 1 orders-db:27017 answered\n', stderr: 'mongo: command not found\n', exitCode: 127 });
    await assert.rejects(execLateral(c.client(), { namespace: 'sock-shop', workload: 'user', to: 'orders-db', ports, calls: 2, secondsBetweenCalls: 0 }), (e: unknown) => {
      assert.ok(e instanceof AttackError);
      assert.equal(e.message, 'lateral movement user → orders-db (pod user-01f9c-x2k4q): mongo: command not found');
      assert.deepEqual(e.partial, { attempts: 1, answered: 1 });
      return true;
    });
    c.api.execHandler = () => ({ stdout: 'probe orders:80 answered\n' });
    await assert.rejects(scan(), /^AttackError: scan from user \(pod user-01f9c-x2k4q\): no tally from the script \(stdout ended with "probe orders:80 answered"\)$/);
  });

  it('refuses a workload without the attacker container, and a service without a port, before any exec', async () => {
    let execs = 0;
    c.api.execHandler = () => {
      execs += 1;
      return {};
    };
    await assert.rejects(execLateral(c.client(), { namespace: 'sock-shop', workload: 'orders', to: 'user-db', ports, calls: 1, secondsBetweenCalls: 0 }), /^AttackError: lateral movement orders → user-db: its pods have no "attacker" container/);
    await assert.rejects(execLateral(c.client(), { namespace: 'sock-shop', workload: 'user', to: 'ghost', ports, calls: 1, secondsBetweenCalls: 0 }), /no Service "ghost" with a port in namespace sock-shop/);
    assert.equal(execs, 0);
  });
});
