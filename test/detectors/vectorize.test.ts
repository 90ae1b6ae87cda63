import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, toArray } from 'rxjs';
import { vectorize } from '../../src/detectors/index.ts';
import type { Frame, Snapshot } from '../../src/types.ts';
import { handSnapshots } from '../util.ts';

function frames(snapshots: readonly Snapshot[], metrics?: readonly string[]): Frame[] {
  let out: Frame[] = [];
  from(snapshots)
    .pipe(vectorize(metrics ? { metrics } : {}), toArray())
    .subscribe((f) => (out = f));
  return out;
}

test('vectorize: one append-only index, arrays as long as the index at each frame, missing = 0', () => {
  const f = frames(
    handSnapshots([
      { 'a>b': { request_bytes: 10, requests: 1 } },
      { 'b>c': { request_bytes: 5 }, 'a>b': { request_bytes: 7 } },
      {},
    ]),
  );
  assert.equal(f.length, 3);
  assert.equal(f[0]!.edges, f[2]!.edges, 'same index object on every frame');
  assert.deepEqual(f[2]!.edges.list, [{ src: 'a', dst: 'b' }, { src: 'b', dst: 'c' }]);
  assert.equal(f[2]!.edges.indexOf('b', 'c'), 1);
  assert.equal(f[2]!.edges.indexOf('c', 'b'), undefined);
  assert.deepEqual([...f[0]!.values.get('request_bytes')!], [10]);
  assert.deepEqual([...f[0]!.values.get('requests')!], [1]);
  assert.deepEqual([...f[1]!.values.get('request_bytes')!], [7, 5]);
  assert.deepEqual([...f[1]!.values.get('requests')!], [0, 0], 'a metric absent from a snapshot is 0 there');
  assert.deepEqual([...f[2]!.values.get('request_bytes')!], [0, 0]);
});

test('vectorize: metrics named up front have arrays from the first frame; new ones are added when seen', () => {
  const f = frames(handSnapshots([{ 'a>b': { tcp_sent_bytes: 3 } }, { 'a>b': { tcp_received_bytes: 4 } }]), ['request_bytes']);
  assert.deepEqual([...f[0]!.values.keys()], ['request_bytes', 'tcp_sent_bytes']);
  assert.deepEqual([...f[0]!.values.get('request_bytes')!], [0]);
  assert.deepEqual([...f[1]!.values.keys()], ['request_bytes', 'tcp_sent_bytes', 'tcp_received_bytes']);
  assert.deepEqual([...f[1]!.values.get('tcp_received_bytes')!], [4]);
});

test('vectorize: a gap frame holds NaN (unknown), not zeros', () => {
  const f = frames(handSnapshots([{ 'a>b': { request_bytes: 1 } }, 'gap']));
  assert.equal(f[1]!.gap, true);
  assert.ok(Number.isNaN(f[1]!.values.get('request_bytes')![0]!));
});

test('vectorize: each subscription has its own index', () => {
  const stream = from(handSnapshots([{ 'x>y': { requests: 1 } }])).pipe(vectorize());
  let first: Frame | undefined;
  let second: Frame | undefined;
  stream.subscribe((f) => (first = f));
  stream.subscribe((f) => (second = f));
  assert.notEqual(first!.edges, second!.edges);
  assert.equal(second!.edges.size, 1);
});

test('vectorize: frames keep their own arrays (a consumer may hold on to them)', () => {
  const f = frames(handSnapshots([{ 'a>b': { requests: 1 } }, { 'a>b': { requests: 2 } }]));
  assert.deepEqual([...f[0]!.values.get('requests')!], [1]);
  assert.deepEqual([...f[1]!.values.get('requests')!], [2]);
});

test('vectorize: each frame lists its edges (active, ascending, once) and their values (activeValues), the dense arrays agreeing', () => {
  const f = frames(
    handSnapshots([
      { 'a>b': { request_bytes: 10, requests: 1 } },
      // Listed out of order, and a metric first seen here.
      { 'c>d': { tcp_sent_bytes: 4 }, 'a>b': { request_bytes: 7 } },
      {},
      'gap',
    ]),
  );
  assert.deepEqual([...f[0]!.active!], [0]);
  assert.deepEqual([...f[0]!.activeValues!.get('request_bytes')!], [10]);
  assert.deepEqual([...f[1]!.active!], [0, 1], 'ascending by position: a>b (0) before c>d (1)');
  assert.deepEqual([...f[1]!.activeValues!.get('request_bytes')!], [7, 0]);
  assert.deepEqual([...f[1]!.activeValues!.get('tcp_sent_bytes')!], [0, 4]);
  assert.deepEqual([...f[1]!.activeValues!.get('requests')!], [0, 0]);
  assert.equal(f[1]!.edgeCount, 2);
  assert.deepEqual([...f[2]!.active!], []);
  assert.deepEqual([...f[3]!.active!], [], 'a gap lists nothing');
  // The dense arrays, built on demand even after later frames were made, hold the same values.
  assert.deepEqual([...f[1]!.values.get('tcp_sent_bytes')!], [0, 4]);
  assert.deepEqual([...f[1]!.values.keys()], ['request_bytes', 'requests', 'tcp_sent_bytes']);
  assert.equal(f[1]!.values.has('requests'), true);
  assert.equal(f[1]!.values.size, 3);
  assert.deepEqual([...f[0]!.values.get('request_bytes')!], [10], 'as long as the index was at that frame');
  assert.ok(Number.isNaN(f[3]!.values.get('tcp_sent_bytes')![1]!));
});

test('vectorize: edges that come and go each interval, listed in a drifting order, land where the index says (both ways of listing active)', () => {
  // 40 edges; each interval a seeded few fall silent and some appear late in the list, so
  // positions neither stay in place nor ascend. Expected by hand, from a plain map of names to
  // first-seen order (the index forgets nothing within a day).
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const names = Array.from({ length: 40 }, (_, k) => `n${k}>m${(k * 7) % 13}`);
  const plan: Record<string, { requests: number }>[] = [];
  for (let i = 0; i < 30; i++) {
    const listed: Record<string, { requests: number }> = {};
    // A late-comer first (a new edge written ahead of older ones), then the rest in order, some skipped.
    const late = names[30 + (i % 10)]!;
    if (i >= 3) listed[late] = { requests: 1000 + i };
    for (const [k, name] of names.entries()) if (k < 30 + Math.min(10, i) && name !== late && random() > 0.1) listed[name] = { requests: 1 + k + 100 * i };
    plan.push(listed);
  }
  // Last, two old edges in reverse order: few against the 40 positions, so they are sorted, not marked.
  plan.push({ [names[5]!]: { requests: 5 }, [names[2]!]: { requests: 2 } });
  const f = frames(handSnapshots(plan));
  const order = new Map<string, number>();
  for (const [i, listed] of plan.entries()) {
    for (const name of Object.keys(listed)) if (!order.has(name)) order.set(name, order.size);
    const expected = Object.keys(listed).map((name) => order.get(name)!).sort((a, b) => a - b);
    assert.deepEqual([...f[i]!.active!], expected, `interval ${i}`);
    const requests = f[i]!.values.get('requests')!;
    for (const [name, { requests: r }] of Object.entries(listed)) assert.equal(requests[order.get(name)!], r, `interval ${i} ${name}`);
  }
});
