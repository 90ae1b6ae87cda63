import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { vectorize } from '../../../src/detectors/index.ts';
import { ActiveEdges } from '../../../src/detectors/sparse/index.ts';
import type { Frame, Snapshot } from '../../../src/types.ts';

function frames(snapshots: Snapshot[]): Frame[] {
  const out: Frame[] = [];
  from(snapshots).pipe(vectorize()).subscribe((f) => out.push(f));
  return out;
}

const at = (t: number, edges: Snapshot['edges']): Snapshot => ({ t, dt: 1, gap: false, edges });

test('ActiveEdges: only the interval\'s edges, in index order, watched metrics added up, repeats merged', () => {
  // Index after frame 1: a→b 0, a→c 1, c→d 2; frame 2 adds d→a at 3 and lists c→d twice.
  const f = frames([
    at(1, [
      { src: 'a', dst: 'b', values: { request_bytes: 10, response_bytes: 5 } },
      { src: 'a', dst: 'c', values: { requests: 3 } },
      { src: 'c', dst: 'd', values: { response_bytes: 7 } },
    ]),
    at(2, [
      { src: 'd', dst: 'a', values: { response_bytes: 1 } },
      { src: 'c', dst: 'd', values: { request_bytes: 2 } },
      { src: 'c', dst: 'd', values: { response_bytes: 4, requests: 1 } },
    ]),
  ]);
  const edges = new ActiveEdges({ metrics: ['request_bytes', 'response_bytes'] });
  assert.equal(edges.read(f[0]!), 3);
  assert.deepEqual([...edges.positions.subarray(0, 3)], [0, 1, 2]);
  // a→c carried only requests: active, 0 watched bytes.
  assert.deepEqual([...edges.values.subarray(0, 3)], [15, 0, 7]);
  assert.equal(edges.read(f[1]!), 2);
  // a→b and a→c were silent: not listed; c→d is 2 + 4, d→a 1, sorted by position (2, then 3).
  assert.deepEqual([...edges.positions.subarray(0, 2)], [2, 3]);
  assert.deepEqual([...edges.values.subarray(0, 2)], [6, 1]);
  assert.deepEqual(edges.edgeOf(3), { src: 'd', dst: 'a' });
  // Frame 2's metric order is request_bytes, response_bytes, requests (first seen in frame 1):
  // c→d has request_bytes > 0 (index 0), d→a only response_bytes (index 1).
  assert.deepEqual([...edges.firstMetric.subarray(0, 2)], [0, 1]);
});

test('ActiveEdges: log1p, and the fallback to requests on a run without the watched bytes', () => {
  const f = frames([at(1, [{ src: 'a', dst: 'b', values: { requests: Math.E - 1 } }])]);
  const edges = new ActiveEdges({ metrics: ['request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes'], transform: 'log1p' });
  assert.equal(edges.read(f[0]!), 1);
  assert.deepEqual(edges.metrics, ['requests', 'tcp_connections']);
  assert.ok(Math.abs(edges.values[0]! - 1) < 1e-15, `ln(1 + e − 1) = 1, got ${edges.values[0]}`);
});
