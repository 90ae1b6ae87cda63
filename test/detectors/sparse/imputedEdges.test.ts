import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { vectorize } from '../../../src/detectors/index.ts';
import { ImputedEdges } from '../../../src/detectors/sparse/index.ts';
import type { Frame, Snapshot } from '../../../src/types.ts';

function frames(snapshots: Snapshot[]): Frame[] {
  const out: Frame[] = [];
  from(snapshots).pipe(vectorize()).subscribe((f) => out.push(f));
  return out;
}

/** One snapshot a second (t = 1, 2, …): a>b carries 10 in each, and each other edge named carries 7 where listed. */
function run(intervals: readonly (readonly string[])[]): Frame[] {
  return frames(
    intervals.map((names, i) => ({
      t: i + 1,
      dt: 1,
      gap: false,
      edges: [{ src: 'a', dst: 'b', values: { requests: 10 } }, ...names.map((n) => ({ src: 'a', dst: n, values: { requests: 7 } }))],
    })),
  );
}

/** What edge a → dst reads in each interval, an interval being alarmed (learnRecurring) where `alarmed` says, else quiet (learn). */
function reads(edges: ImputedEdges, f: readonly Frame[], dst: string, alarmed: (i: number) => boolean): number[] {
  return f.map((frame, i) => {
    const n = edges.read(frame);
    let value = 0;
    for (let u = 0; u < n; u++) if (edges.active.edgeOf(edges.positions[u]!).dst === dst) value = edges.values[u]!;
    if (alarmed(i)) edges.learnRecurring();
    else edges.learn();
    return value;
  });
}

const options = { metrics: ['requests'], transform: 'none', imputeSilence: true, forgetAfterSeconds: 3 } as const;

test('ImputedEdges.learnRecurring: a new edge active in 5 alarmed intervals, each within forgetAfterSeconds of the last, is learnt at its value at the 5th', () => {
  // a>x every other second, each appearance alarmed: silences read 0 until the 5th (t = 9), 7 after it.
  const f = run([['x'], [], ['x'], [], ['x'], [], ['x'], [], ['x'], [], []]);
  const edges = new ImputedEdges(options);
  assert.deepEqual(reads(edges, f, 'x', (i) => i % 2 === 0), [7, 0, 7, 0, 7, 0, 7, 0, 7, 7, 7]);
});

test('ImputedEdges.learnRecurring: an appearance more than forgetAfterSeconds after the last starts the count over', () => {
  // a>x alarmed at t = 1-4, then at 8 (4 s after t = 4: the count starts over, 1), quiet silence
  // at 9 (still 0: not learnt), alarmed at 10-13 (2-5): learnt at t = 13, read at 7 at t = 14.
  // Without the restart, t = 8 would have been its 5th appearance and t = 9 would read 7.
  const f = run([['x'], ['x'], ['x'], ['x'], [], [], [], ['x'], [], ['x'], ['x'], ['x'], ['x'], []]);
  const alarmed = (i: number) => ![4, 5, 6, 8, 13].includes(i);
  assert.deepEqual(reads(new ImputedEdges(options), f, 'x', alarmed), [7, 7, 7, 7, 0, 0, 0, 7, 0, 7, 7, 7, 7, 7]);
  // Within 3 s (t = 4, then 6): the count goes on, learnt at t = 6.
  const near = run([['x'], ['x'], ['x'], ['x'], [], ['x'], [], []]);
  assert.deepEqual(reads(new ImputedEdges(options), near, 'x', (i) => ![4, 6, 7].includes(i)), [7, 7, 7, 7, 0, 7, 7, 7]);
});

test("ImputedEdges.learnRecurring: under silentEdges 'zero' (no imputation) nothing is learnt", () => {
  const f = run([['x'], [], ['x'], [], ['x'], [], ['x'], [], ['x'], [], []]);
  const edges = new ImputedEdges({ ...options, imputeSilence: false });
  assert.deepEqual(reads(edges, f, 'x', (i) => i % 2 === 0), [7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 0]);
});
