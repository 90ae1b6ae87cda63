import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWatchedEdges, volumeMeasure } from '../../src/report/index.ts';
import type { RunEvent } from '../../src/types.ts';

const totals = [
  { src: 'user', dst: 'user-db', total: 900 },
  { src: 'carts', dst: 'carts-db', total: 800 },
  { src: 'orders', dst: 'payment', total: 700 },
  { src: 'front-end', dst: 'user', total: 600 },
  { src: 'user', dst: 'external', total: 50 },
  { src: 'idle', dst: 'nothing', total: 0 },
];

describe('defaultWatchedEdges', () => {
  it('takes each hop of an attack path in whichever direction the run saw it, then the busiest others', () => {
    const attack: RunEvent = { kind: 'exfiltration', start: 0, end: 1, path: ['user-db', 'user', 'front-end', 'external'] };
    const watched = defaultWatchedEdges([attack], totals, 2);
    assert.deepEqual(
      watched.map((w) => [w.src, w.dst, w.reason]),
      [
        ['user', 'user-db', 'attack path'],
        ['front-end', 'user', 'attack path'],
        ['carts', 'carts-db', 'top volume'],
        ['orders', 'payment', 'top volume'],
      ],
    );
  });

  it('skips wildcard hops and hops the run never saw, lists an edge once, and never picks idle edges', () => {
    const scan: RunEvent = { kind: 'scan', start: 0, end: 1, path: ['orders', '*'] };
    const egress: RunEvent = { kind: 'exfiltration', start: 2, end: 3, path: ['user-db', 'user', 'external'] };
    const again: RunEvent = { kind: 'exfiltration', start: 4, end: 5, path: ['user', 'external'] };
    const watched = defaultWatchedEdges([scan, egress, again], totals, 10);
    assert.deepEqual(
      watched.map((w) => `${w.src}>${w.dst}`),
      ['user>user-db', 'user>external', 'carts>carts-db', 'orders>payment', 'front-end>user'],
    );
  });
});

describe('volumeMeasure', () => {
  it('sums the byte metrics by default', () => {
    assert.deepEqual(volumeMeasure(['requests', 'request_bytes', 'response_bytes', 'tcp_connections']).keys, ['request_bytes', 'response_bytes']);
    assert.equal(volumeMeasure(['tcp_sent_bytes']).unit, 'bytes');
  });
  it('falls back to the first metric without byte metrics, and takes one named metric', () => {
    assert.deepEqual(volumeMeasure(['requests', 'tcp_connections']).keys, ['requests']);
    assert.deepEqual(volumeMeasure(['requests', 'request_bytes'], 'requests').keys, ['requests']);
    assert.throws(() => volumeMeasure(['requests'], 'bytes'), /edgeMetric: "bytes" is not one of the run's metrics \(requests\)/);
  });
});
