import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import { staleMetricReads, type StaleMetricRead } from '../../src/replay/index.ts';
import type { EdgeSample, MetricKey, Snapshot } from '../../src/types.ts';

const TCP = ['tcp_sent_bytes', 'tcp_received_bytes'];

/** A slice ending at t over `edges` TCP edges e0 → d, e1 → d, ..., each with `sent` and `received` bytes. */
function slice(t: number, edges: number, sent: number, received: number): Snapshot {
  const list: EdgeSample[] = Array.from({ length: edges }, (_, i) => ({ src: `e${i}`, dst: 'd', values: { tcp_sent_bytes: sent, tcp_received_bytes: received } }));
  return { t, dt: 5, gap: false, edges: list };
}

async function read(snapshots: Snapshot[], metrics: readonly MetricKey[] = TCP): Promise<{ out: Snapshot[]; stale: StaleMetricRead[] }> {
  const stale: StaleMetricRead[] = [];
  const out = await lastValueFrom(from(snapshots).pipe(staleMetricReads(metrics, (r) => stale.push(r)), toArray()));
  return { out, stale };
}

test('received bytes reading 0 on every edge while sent bytes read traffic on three: a gap, and all of its traffic in the next slice', async () => {
  const { out, stale } = await read([slice(5, 3, 100, 40), slice(10, 3, 110, 0), slice(15, 3, 120, 80), slice(20, 3, 90, 45)]);
  assert.deepEqual(out.map((s) => s.gap), [false, true, false, false]);
  assert.deepEqual(stale, [{ t: 10, metric: 'tcp_received_bytes', companion: 'tcp_sent_bytes', companionEdges: 3 }]);
  assert.match(out[1]!.reason!, /^stale read of tcp_received_bytes \(0 on every edge, tcp_sent_bytes on 3\)/);
  // Slice 15 holds both: sent 110 + 120, received 0 + 80, on each edge.
  for (const e of out[2]!.edges) assert.deepEqual(e.values, { tcp_sent_bytes: 230, tcp_received_bytes: 80 });
  assert.deepEqual(out[0], slice(5, 3, 100, 40));
  assert.deepEqual(out[3], slice(20, 3, 90, 45));
});

test('two edges are not enough, before or now: one metric quiet on a small mesh is ordinary', async () => {
  // The companion on two edges only.
  assert.equal((await read([slice(5, 3, 100, 40), slice(10, 2, 110, 0)])).stale.length, 0);
  // The metric had traffic on two edges only in the last readable slice.
  const fewBefore: Snapshot = { ...slice(5, 3, 100, 0), edges: slice(5, 3, 100, 40).edges.map((e, i) => (i < 2 ? e : { ...e, values: { tcp_sent_bytes: 100 } })) };
  assert.equal((await read([fewBefore, slice(10, 3, 110, 0)])).stale.length, 0);
});

test('a metric that never read traffic is never stale, nor one without its companion in the run', async () => {
  const { out, stale } = await read([slice(5, 4, 100, 0), slice(10, 4, 100, 0), slice(15, 4, 100, 0)]);
  assert.equal(stale.length, 0);
  assert.deepEqual(out.map((s) => s.gap), [false, false, false]);
  assert.equal((await read([slice(5, 4, 100, 40), slice(10, 4, 100, 0)], ['tcp_received_bytes'])).stale.length, 0);
});

test('the traffic of a stale slice crosses a gap that was there; the slice before a gap is what it is compared with', async () => {
  const gap: Snapshot = { t: 15, dt: 5, gap: true, edges: [] };
  const { out, stale } = await read([slice(5, 3, 100, 40), slice(10, 3, 110, 0), gap, slice(20, 3, 120, 80)]);
  assert.deepEqual(out.map((s) => s.gap), [false, true, true, false]);
  assert.equal(stale.length, 1);
  for (const e of out[3]!.edges) assert.deepEqual(e.values, { tcp_sent_bytes: 230, tcp_received_bytes: 80 });
  // Across a gap, the last readable slice (t = 5) still says the metric was busy.
  assert.equal((await read([slice(5, 3, 100, 40), gap, slice(20, 3, 120, 0)])).stale.length, 1);
});

test('requests reading 0 on every edge while request or response bytes read traffic: stale; bytes reading 0 with requests is not', async () => {
  const http = (t: number, requests: number, bytes: number): Snapshot => ({
    t,
    dt: 5,
    gap: false,
    edges: ['a', 'b', 'c'].map((src) => ({ src, dst: 'd', values: { requests, request_bytes: 0, response_bytes: bytes } })),
  });
  const metrics = ['requests', 'request_bytes', 'response_bytes'];
  const { out, stale } = await read([http(5, 4, 900), http(10, 0, 800), http(15, 5, 1000)], metrics);
  assert.deepEqual(stale, [{ t: 10, metric: 'requests', companion: 'response_bytes', companionEdges: 3 }]);
  assert.deepEqual(out[2]!.edges.map((e) => e.values), [0, 1, 2].map(() => ({ requests: 5, request_bytes: 0, response_bytes: 1800 })));
  // A slice of bodiless responses (HEAD, 204) is not a stale read of response_bytes.
  assert.equal((await read([http(5, 4, 900), http(10, 4, 0)], metrics)).stale.length, 0);
});
