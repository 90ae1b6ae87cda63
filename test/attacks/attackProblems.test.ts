import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attackProblems, checkAttacks, scanTargets } from '../../src/attacks/index.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';

const target = {
  kind: 'kubernetes' as const,
  services: ['front-end', 'user', 'user-db', 'orders', 'orders-db'],
  topology: [
    { src: 'front-end', dst: 'user' },
    { src: 'user', dst: 'user-db' },
    { src: 'orders', dst: 'orders-db' },
  ],
  attackers: ['user'],
  scan: async () => ({ attempts: 0, answered: 0 }),
  lateral: async () => ({ attempts: 0, answered: 0 }),
};

describe('scan and lateral parameters', () => {
  it('take their defaults once, in the schema', () => {
    const p = resolveParameters({ scan: [{ atSeconds: 20 }], lateral: [{ atSeconds: 30, to: 'orders-db' }] });
    assert.deepEqual(p.scan, [{ atSeconds: 20, workload: 'user', secondsBetweenTargets: 0, otherPorts: [22, 443, 8080] }]);
    assert.deepEqual(p.lateral, [{ atSeconds: 30, workload: 'user', to: 'orders-db', calls: 5, secondsBetweenCalls: 0.2 }]);
    assert.deepEqual([resolveParameters({}).scan, resolveParameters({}).lateral], [[], []]);
  });

  it('name every bad field and value at once', () => {
    assert.throws(
      () => resolveParameters({ durationSeconds: 100, exfiltration: [], scan: [{ atSeconds: 100, otherPorts: [0], secondsBetweenTargets: -1 }], lateral: [{ atSeconds: 1, to: 'user' }, { atSeconds: 2, calls: 1.5 }] }),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        const lines = e.message.split('\n').slice(1).map((l) => l.trim());
        assert.deepEqual(lines.sort(), [
          'lateral[0].to: must differ from workload (a workload calling itself is no movement) (got "user")',
          'lateral[1].calls: Invalid input: expected int, received number (got 1.5)',
          'lateral[1].to: missing (expected a string)',
          'scan[0].atSeconds: must fall before durationSeconds (100) (got 100)',
          'scan[0].otherPorts[0]: Too small: expected number to be >=1 (got 0)',
          'scan[0].secondsBetweenTargets: Too small: expected number to be >=0 (got -1)',
        ]);
        return true;
      },
    );
  });
});

describe('attackProblems', () => {
  it('accepts attacks the target can run', () => {
    assert.deepEqual(attackProblems({ scan: [{ atSeconds: 1, workload: 'user', secondsBetweenTargets: 0, otherPorts: [] }], lateral: [{ atSeconds: 1, workload: 'user', to: 'orders-db', calls: 1, secondsBetweenCalls: 0 }] }, target), []);
  });

  it('refuses unknown workloads, workloads without an attacker, the workload scanning itself, and a destination the topology allows', () => {
    const problems = attackProblems(
      {
        scan: [{ atSeconds: 1, workload: 'orders', secondsBetweenTargets: 0, otherPorts: [], services: ['ghost', 'orders'] }],
        lateral: [
          { atSeconds: 1, workload: 'user', to: 'user-db', calls: 1, secondsBetweenCalls: 0 },
          { atSeconds: 1, workload: 'nobody', to: 'payment', calls: 1, secondsBetweenCalls: 0 },
        ],
      },
      target,
    );
    assert.deepEqual(problems, [
      'scan[0].workload: the kubernetes target cannot run an attacker in "orders" (choose one of user)',
      'scan[0].services[0]: "ghost" is not a workload of the kubernetes target (workloads: front-end, user, user-db, orders, orders-db)',
      'scan[0].services[1]: the scanning workload itself (got "orders")',
      'lateral[0].to: user calls user-db in the application\'s topology, so calling it is no lateral movement (got "user-db")',
      'lateral[1].workload: "nobody" is not a workload of the kubernetes target (workloads: front-end, user, user-db, orders, orders-db)',
      'lateral[1].to: "payment" is not a workload of the kubernetes target (workloads: front-end, user, user-db, orders, orders-db)',
    ]);
    assert.throws(() => checkAttacks({ scan: [], lateral: [{ atSeconds: 1, workload: 'user', to: 'user-db', calls: 1, secondsBetweenCalls: 0 }] }, target), UserError);
  });

  it('refuses attacks on a target that cannot run them', () => {
    const bare = { kind: 'embedded' as const, services: ['a', 'b'], topology: [] };
    assert.deepEqual(attackProblems({ scan: [{ atSeconds: 0, workload: 'a', secondsBetweenTargets: 0, otherPorts: [] }], lateral: [{ atSeconds: 0, workload: 'a', to: 'b', calls: 1, secondsBetweenCalls: 0 }] }, bare), [
      'scan[0]: the embedded target cannot run scans',
      'lateral[0]: the embedded target cannot run lateral movements',
    ]);
  });

  it('scanTargets: every service but the workload by default, or the ones listed, each with the other ports', () => {
    assert.deepEqual(scanTargets({ workload: 'user', otherPorts: [22] }, target).map((t) => t.service), ['front-end', 'user-db', 'orders', 'orders-db']);
    assert.deepEqual(scanTargets({ workload: 'user', otherPorts: [22], services: ['orders'] }, target), [{ service: 'orders', otherPorts: [22] }]);
  });
});
