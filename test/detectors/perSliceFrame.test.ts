import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { perSliceFrame } from '../../src/detectors/perSliceFrame.ts';
import { vectorize } from '../../src/detectors/vectorize.ts';
import type { Frame } from '../../src/types.ts';

function frameOf(edges: { src: string; dst: string; values: Record<string, number> }[]): Frame {
  let frame: Frame | undefined;
  from([{ t: 10, dt: 10, gap: false, edges }])
    .pipe(vectorize())
    .subscribe((f) => (frame = f));
  return frame!;
}

const EDGES: { src: string; dst: string; values: Record<string, number> }[] = [
  { src: 'a', dst: 'b', values: { response_bytes: 300, requests: 6 } },
  { src: 'b', dst: 'c', values: { response_bytes: 90 } },
];

test('perSliceFrame divides every value, dense and active, by the number of slices, and keeps the rest', () => {
  const frame = frameOf(EDGES);
  const mean = perSliceFrame(frame, 3);
  const ab = frame.edges.indexOf('a', 'b')!;
  const bc = frame.edges.indexOf('b', 'c')!;
  assert.equal(mean.values.get('response_bytes')![ab], 100);
  assert.equal(mean.values.get('response_bytes')![bc], 30);
  assert.equal(mean.values.get('requests')![ab], 2);
  assert.equal(mean.values.get('requests')![bc], 0);
  assert.deepEqual([...mean.active!], [...frame.active!]);
  const j = [...frame.active!].indexOf(ab);
  assert.equal(mean.activeValues!.get('response_bytes')![j], 100);
  assert.equal(mean.activeValues!.get('requests')![j], 2);
  assert.deepEqual([mean.t, mean.dt, mean.gap, mean.edges, mean.snapshot], [frame.t, frame.dt, frame.gap, frame.edges, frame.snapshot]);
  // The frame itself is left as it was.
  assert.equal(frame.values.get('response_bytes')![ab], 300);
  assert.equal(frame.activeValues!.get('response_bytes')![j], 300);
});

test('perSliceFrame on a frame without active edges (every position may be nonzero) divides its dense arrays', () => {
  const edges = frameOf(EDGES).edges;
  const dense: Frame = { t: 10, dt: 10, gap: false, edges, values: new Map([['response_bytes', Float64Array.of(300, 90)]]), snapshot: { t: 10, dt: 10, gap: false, edges: [] } };
  assert.deepEqual([...perSliceFrame(dense, 2).values.get('response_bytes')!], [150, 45]);
});
