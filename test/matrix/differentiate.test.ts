import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { differentiate } from '../../src/matrix/index.ts';
import type { CounterSample, Snapshot, TelemetryRead } from '../../src/types.ts';

const c = (series: string, src: string, dst: string, metric: string, value: number): CounterSample => ({ series, src, dst, metric, value });
const read = (t: number, ...samples: CounterSample[]): TelemetryRead => ({ kind: 'read', t, samples });
const fault = (t: number): TelemetryRead => ({ kind: 'fault', t, reason: 'sidecar user unreachable' });

async function run(reads: TelemetryRead[], metrics?: string[]): Promise<Snapshot[]> {
  return firstValueFrom(from(reads).pipe(differentiate(metrics ? { metrics } : {}), toArray()));
}

/** value of src→dst metric in a snapshot, 0 when absent (the format's rule). */
function v(s: Snapshot | undefined, src: string, dst: string, metric: string): number {
  assert.ok(s, 'snapshot exists');
  return s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;
}

describe('differentiate', () => {
  it('seeds on the first read and emits the difference of the following reads', async () => {
    const out = await run([
      read(100, c('a', 'front-end', 'catalogue', 'requests', 10), c('b', 'front-end', 'catalogue', 'response_bytes', 5000)),
      read(105, c('a', 'front-end', 'catalogue', 'requests', 13), c('b', 'front-end', 'catalogue', 'response_bytes', 6500)),
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]?.t, 105);
    assert.equal(out[0]?.dt, 5);
    assert.equal(out[0]?.gap, false);
    assert.equal(v(out[0], 'front-end', 'catalogue', 'requests'), 3);
    assert.equal(v(out[0], 'front-end', 'catalogue', 'response_bytes'), 1500);
  });

  it('sums several series of one edge (two pods) and omits edges with no traffic', async () => {
    const out = await run([
      read(0, c('p1', 'orders', 'carts', 'requests', 4), c('p2', 'orders', 'carts', 'requests', 7), c('q', 'user', 'user-db', 'requests', 2)),
      read(1, c('p1', 'orders', 'carts', 'requests', 6), c('p2', 'orders', 'carts', 'requests', 10), c('q', 'user', 'user-db', 'requests', 2)),
    ]);
    assert.equal(v(out[0], 'orders', 'carts', 'requests'), 2 + 3);
    assert.equal(out[0]?.edges.some((e) => e.src === 'user'), false);
  });

  it('treats a counter that went down as reset: the new value, never a negative delta', async () => {
    const out = await run([
      read(0, c('p1', 'orders', 'carts', 'request_bytes', 9000), c('p2', 'orders', 'carts', 'request_bytes', 100)),
      // pod p1 restarted: its counter restarted from zero and has counted 300 since
      read(1, c('p1', 'orders', 'carts', 'request_bytes', 300), c('p2', 'orders', 'carts', 'request_bytes', 150)),
      read(2, c('p1', 'orders', 'carts', 'request_bytes', 400), c('p2', 'orders', 'carts', 'request_bytes', 150)),
    ]);
    assert.equal(v(out[0], 'orders', 'carts', 'request_bytes'), 300 + 50);
    assert.equal(v(out[1], 'orders', 'carts', 'request_bytes'), 100);
  });

  it('counts a new series whole: traffic on an edge that did not exist before', async () => {
    const out = await run([
      read(0, c('a', 'front-end', 'user', 'requests', 1)),
      read(1, c('a', 'front-end', 'user', 'requests', 1), c('x', 'user', 'external', 'request_bytes', 250000)),
    ]);
    assert.equal(v(out[0], 'user', 'external', 'request_bytes'), 250000);
  });

  it('a series missing then back counts only what it gained while away', async () => {
    const out = await run([
      read(0, c('a', 'carts', 'carts-db', 'tcp_sent_bytes', 1000)),
      read(1),
      read(2, c('a', 'carts', 'carts-db', 'tcp_sent_bytes', 1700)),
    ]);
    assert.equal(out.length, 2);
    assert.equal(out[0]?.edges.length, 0);
    assert.equal(out[0]?.gap, false);
    assert.equal(v(out[1], 'carts', 'carts-db', 'tcp_sent_bytes'), 700);
  });

  it('a vanished sidecar makes gaps, never zeros, and the run resumes after it returns', async () => {
    const out = await run([
      read(0, c('a', 'user', 'user-db', 'requests', 10)),
      read(2, c('a', 'user', 'user-db', 'requests', 12)),
      fault(4),
      fault(6),
      read(8, c('a', 'user', 'user-db', 'requests', 30)),
      read(10, c('a', 'user', 'user-db', 'requests', 33)),
    ]);
    assert.deepEqual(
      out.map((s) => [s.t, s.dt, s.gap]),
      [
        [2, 2, false],
        [4, 2, true],
        [6, 2, true],
        [8, 2, true], // 18 requests since t=2 cannot be split between (2,8]'s intervals
        [10, 2, false],
      ],
    );
    for (const s of out.filter((x) => x.gap)) assert.equal(s.edges.length, 0);
    assert.equal(v(out[4], 'user', 'user-db', 'requests'), 3);
  });

  it('a fault before any good read emits nothing: no interval exists yet', async () => {
    const out = await run([fault(0), read(1, c('a', 's', 'd', 'requests', 1)), read(2, c('a', 's', 'd', 'requests', 4))]);
    assert.deepEqual(out.map((s) => [s.t, s.gap]), [[2, false]]);
    assert.equal(v(out[0], 's', 'd', 'requests'), 3);
  });

  it('keeps only the configured metrics', async () => {
    const out = await run(
      [read(0, c('a', 's', 'd', 'requests', 1), c('b', 's', 'd', 'tcp_connections', 1)), read(1, c('a', 's', 'd', 'requests', 2), c('b', 's', 'd', 'tcp_connections', 5))],
      ['requests'],
    );
    assert.deepEqual(out[0]?.edges[0]?.values, { requests: 1 });
  });
});
