// The series detectors visit only the edges a frame lists (Frame.active) and the few they carry
// from the interval before; a frame without that list makes them visit every edge ever seen,
// the plain dense loop. Both must give the same verdicts, number for number, on a stream shaped
// like a connection log (edges silent for long stretches, new edges all run long, bursts, gaps).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from, type OperatorFunction } from 'rxjs';
import { controlChart, cusum, ewma, pairRatio, path, threeTier, vectorize } from '../../src/detectors/index.ts';
import type { Frame, Snapshot, Verdict } from '../../src/types.ts';
import { seededRandom } from '../util.ts';

/** 600 one-second intervals over 40 hosts, a front door, a database and the outside. */
function sparseRun(seed: number): Snapshot[] {
  const random = seededRandom(seed);
  const recurring: { src: string; dst: string; p: number; bytes: number }[] = [
    { src: 'external', dst: 'front-end', p: 1, bytes: 50_000 },
    { src: 'front-end', dst: 'user', p: 0.97, bytes: 20_000 },
    { src: 'user', dst: 'user-db', p: 0.9, bytes: 8_000 },
    { src: 'front-end', dst: 'external', p: 0.3, bytes: 3_000 },
  ];
  for (let h = 0; h < 40; h++) recurring.push({ src: `h-${h}`, dst: `h-${(h * 7) % 40}`, p: [0.95, 0.5, 0.1, 0.02][h % 4]!, bytes: 1000 + 500 * h });
  const out: Snapshot[] = [];
  for (let i = 0; i < 600; i++) {
    const t = i + 1;
    if (i % 97 === 50) {
      out.push({ t, dt: 1, gap: true, edges: [] });
      continue;
    }
    const edges: Snapshot['edges'][number][] = [];
    for (const [k, e] of recurring.entries()) {
      // Some edges only start half-way; each is active with its own probability; 1 % bursts ×5.
      if (k >= 30 && i < 300) continue;
      if (random() >= e.p) continue;
      const bytes = e.bytes * (0.8 + 0.4 * random()) * (random() < 0.01 ? 5 : 1);
      edges.push({ src: e.src, dst: e.dst, values: { requests: Math.round(bytes / 1000), response_bytes: bytes, request_bytes: bytes / 10 } });
    }
    // One-off pairs: a new edge or two every interval, some of them into the outside.
    for (let j = 0; j < 2; j++) {
      const dst = random() < 0.1 ? 'external' : `h-${Math.floor(random() * 40)}`;
      edges.push({ src: `x-${i}-${j}`, dst, values: { requests: 1, response_bytes: 200, request_bytes: 20 } });
    }
    // Listed in a different order each time (vectorize sorts the positions).
    if (i % 2 === 1) edges.reverse();
    out.push({ t, dt: 1, gap: false, edges });
  }
  return out;
}

function verdicts(frames: readonly Frame[], detector: OperatorFunction<Frame, Verdict>): Verdict[] {
  const out: Verdict[] = [];
  from(frames).pipe(detector).subscribe((v) => out.push(v));
  return out;
}

const setup = { trainingSeconds: 100 };
const detectors: readonly [string, () => OperatorFunction<Frame, Verdict>][] = [
  ['ewma', () => ewma({}, setup)],
  ['ewma two-sided', () => ewma({ sides: 'both' }, setup)],
  ['control-chart', () => controlChart({}, setup)],
  ['control-chart separate metrics', () => controlChart({ combine: 'separate', metrics: ['request_bytes', 'response_bytes'] }, setup)],
  ['pair-ratio', () => pairRatio({}, setup)],
  ['three-tier', () => threeTier({}, setup)],
  ['cusum', () => cusum({}, setup)],
  ['path', () => path({}, setup)],
];

for (const seed of [1, 2]) {
  const frames: Frame[] = [];
  from(sparseRun(seed)).pipe(vectorize()).subscribe((f) => frames.push(f));
  // The same frames without the list of active edges: every consumer falls back to a dense loop.
  const dense = frames.map(({ active: _active, ...frame }) => frame);
  for (const [name, make] of detectors) {
    test(`sparse frames: ${name} gives the verdicts of the dense loop (seed ${seed})`, () => {
      const sparse = verdicts(frames, make());
      const reference = verdicts(dense, make());
      assert.equal(sparse.length, 600);
      assert.ok(reference.some((v) => !v.training && !v.gap && v.score > 0), 'the run is scored');
      assert.deepEqual(sparse, reference);
    });
  }
}

test('sparse frames: vectorize lists each frame\'s edges once, ascending, and none on a gap', () => {
  const frames: Frame[] = [];
  from(sparseRun(3)).pipe(vectorize()).subscribe((f) => frames.push(f));
  for (const frame of frames) {
    const active = [...frame.active!];
    if (frame.gap) {
      assert.deepEqual(active, []);
      continue;
    }
    const expected = [...new Set(frame.snapshot.edges.map((e) => frame.edges.indexOf(e.src, e.dst)!))].sort((a, b) => a - b);
    assert.deepEqual(active, expected);
  }
});
