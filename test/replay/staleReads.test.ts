import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import { staleReads } from '../../src/replay/index.ts';
import type { EdgeSample, Snapshot } from '../../src/types.ts';

/** Slice i (t = 5, 10, ...): a → b with 100·(i + 1) response bytes and i + 1 requests, and from slice 2 on b → c with 7 bytes; `gaps` are gaps. */
function run(length: number, gaps: readonly number[] = []): Snapshot[] {
  return Array.from({ length }, (_, i): Snapshot => {
    if (gaps.includes(i)) return { t: 5 * (i + 1), dt: 5, gap: true, edges: [] };
    const edges: EdgeSample[] = [{ src: 'a', dst: 'b', values: { response_bytes: 100 * (i + 1), requests: i + 1 } }];
    if (i >= 2) edges.push({ src: 'b', dst: 'c', values: { response_bytes: 7 } });
    return { t: 5 * (i + 1), dt: 5, gap: false, edges };
  });
}

async function read(snapshots: Snapshot[], slices: number[]): Promise<Snapshot[]> {
  return lastValueFrom(from(snapshots).pipe(staleReads(slices), toArray()));
}

test('a stale slice becomes a gap and its traffic is added to the next, edge by edge and metric by metric', async () => {
  const out = await read(run(4), [1]);
  assert.deepEqual(out.map((s) => s.gap), [false, true, false, false]);
  assert.deepEqual(out.map((s) => [s.t, s.dt]), [[5, 5], [10, 5], [15, 5], [20, 5]]);
  assert.deepEqual(out[1]!.edges, []);
  // Slice 2: a → b 200 + 300 bytes and 2 + 3 requests; b → c only its own 7.
  assert.deepEqual(out[2]!.edges, [
    { src: 'a', dst: 'b', values: { response_bytes: 500, requests: 5 } },
    { src: 'b', dst: 'c', values: { response_bytes: 7 } },
  ]);
  assert.deepEqual(out[0], run(4)[0]);
  assert.deepEqual(out[3], run(4)[3]);
});

test('two stale slices in a row both go to the next readable slice, across a gap that was there', async () => {
  const out = await read(run(6, [3]), [1, 2]);
  assert.deepEqual(out.map((s) => s.gap), [false, true, true, true, false, false]);
  // Slice 4 holds slices 1, 2 and 4: 200 + 300 + 500 bytes, 2 + 3 + 5 requests; b → c 7 + 7.
  assert.deepEqual(out[4]!.edges, [
    { src: 'a', dst: 'b', values: { response_bytes: 1000, requests: 10 } },
    { src: 'b', dst: 'c', values: { response_bytes: 14 } },
  ]);
});

test('a slice listed that is already a gap stays one; the last slice read stale loses its traffic', async () => {
  const out = await read(run(3, [1]), [1, 2]);
  assert.deepEqual(out.map((s) => s.gap), [false, true, true]);
  assert.deepEqual(out[0], run(3)[0]);
});

test('with metrics, only those read stale: the slice stays, they read 0 there, and their traffic goes to the next readable slice', async () => {
  const out = await lastValueFrom(from(run(5, [2])).pipe(staleReads([{ slice: 1, metrics: ['requests'] }]), toArray()));
  assert.deepEqual(out.map((s) => s.gap), [false, false, true, false, false]);
  // Slice 1 keeps its own response bytes (200) and has no requests.
  assert.deepEqual(out[1]!.edges, [{ src: 'a', dst: 'b', values: { response_bytes: 200 } }]);
  // Slice 3 (after the gap that was there) holds its own traffic and slice 1's 2 requests: 4 + 2.
  assert.deepEqual(out[3]!.edges, [
    { src: 'a', dst: 'b', values: { requests: 6, response_bytes: 400 } },
    { src: 'b', dst: 'c', values: { response_bytes: 7 } },
  ]);
  assert.deepEqual(out[4], run(5)[4]);
});

test('a read of some metrics and a read of all, one after the other: the first carries its metrics into the second, which carries everything on', async () => {
  const out = await lastValueFrom(from(run(4)).pipe(staleReads([{ slice: 1, metrics: ['requests'] }, 2]), toArray()));
  assert.deepEqual(out.map((s) => s.gap), [false, false, true, false]);
  // Slice 3: its own 400 bytes and 4 requests, slice 2's 300 and 3, slice 1's 2 requests; b → c 7 + 7.
  assert.deepEqual(out[3]!.edges, [
    { src: 'a', dst: 'b', values: { requests: 9, response_bytes: 700 } },
    { src: 'b', dst: 'c', values: { response_bytes: 14 } },
  ]);
});
