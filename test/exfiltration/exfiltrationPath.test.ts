import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataStoreOf, exfiltrationPath } from '../../src/exfiltration/index.ts';

const sockShop = [
  { src: 'front-end', dst: 'user' },
  { src: 'front-end', dst: 'orders' },
  { src: 'user', dst: 'user-db' },
  { src: 'orders', dst: 'orders-db' },
  { src: 'orders', dst: 'user' },
  { src: 'carts', dst: 'carts-db' },
  { src: 'shipping', dst: 'rabbitmq' },
  { src: 'legacy', dst: 'accounts-db' },
];

describe('exfiltrationPath', () => {
  it('api: user-db -> user -> front-end -> external, whatever the workload', () => {
    assert.deepEqual(exfiltrationPath({ atSeconds: 0, bytes: 1, method: 'api', workload: 'orders' }, sockShop), ['user-db', 'user', 'front-end', 'external']);
  });

  it('egress: the workload’s own store, the workload, external', () => {
    const egress = (workload: string) => exfiltrationPath({ atSeconds: 0, bytes: 1, method: 'egress', workload }, sockShop);
    assert.deepEqual(egress('user'), ['user-db', 'user', 'external']);
    assert.deepEqual(egress('orders'), ['orders-db', 'orders', 'external']);
    assert.deepEqual(egress('legacy'), ['accounts-db', 'legacy', 'external']);
    assert.deepEqual(egress('shipping'), ['shipping', 'external'], 'a workload with no store sends only its own data');
  });

  it('falls back to <workload>-db when the topology does not know the workload', () => {
    assert.equal(dataStoreOf('catalogue', sockShop), 'catalogue-db');
    assert.equal(dataStoreOf('user', []), 'user-db');
    assert.equal(dataStoreOf('front-end', sockShop), undefined);
  });
});
