import assert from 'node:assert/strict';
import { test } from 'node:test';
import { from } from 'rxjs';
import { vectorize } from '../../../src/detectors/index.ts';
import { ActiveGraph } from '../../../src/detectors/eigenspace/activeGraph.ts';
import type { EdgeSample, Frame, Snapshot } from '../../../src/types.ts';

function frames(snapshots: Snapshot[]): Frame[] {
  const out: Frame[] = [];
  from(snapshots).pipe(vectorize()).subscribe((f) => out.push(f));
  return out;
}
const edge = (src: string, dst: string, bytes: number): EdgeSample => ({ src, dst, values: { request_bytes: bytes } });
const at = (t: number, edges: EdgeSample[]): Snapshot => ({ t, dt: 1, gap: false, edges });

/** The matrix entries as "src>dst=weight" (rows named back through the first frame's order). */
function entries(g: ActiveGraph): string[] {
  const m = g.matrix;
  const out: string[] = [];
  for (let k = 0; k < m.count; k++) {
    const { src, dst } = g.label(g.entryPosition[k]!);
    out.push(`${src}>${dst}=${m.weights[k]}`);
  }
  return out;
}

test('ActiveGraph: a silent learnt edge reads at its typical level until forgetAfterSeconds of silence, then it is gone', () => {
  // a→b carries 10 then 20 bytes (levels 10, then 10 + 0.2·(20 − 10) = 12), then falls silent
  // from t = 3 while c→d carries 5 every second. Horizon 3 s: imputed at 12 while t − 2 ≤ 3.
  const snapshots = [at(1, [edge('a', 'b', 10), edge('c', 'd', 5)]), at(2, [edge('a', 'b', 20), edge('c', 'd', 5)])];
  for (let t = 3; t <= 7; t++) snapshots.push(at(t, [edge('c', 'd', 5)]));
  const g = new ActiveGraph({ metrics: ['request_bytes'], transform: 'none', imputeSilence: true, forgetAfterSeconds: 3, idleTicks: 11 });
  const seen: string[][] = [];
  for (const f of frames(snapshots)) {
    g.read(f);
    seen.push(entries(g));
    g.learn();
  }
  assert.deepEqual(seen[0], ['a>b=10', 'c>d=5']);
  assert.deepEqual(seen[1], ['a>b=20', 'c>d=5']);
  assert.deepEqual(seen[2], ['a>b=12', 'c>d=5']); // t = 3: silent 1 s
  assert.deepEqual(seen[4], ['a>b=12', 'c>d=5']); // t = 5: 3 s since learnt, still within
  assert.deepEqual(seen[5], ['c>d=5']); // t = 6: 4 s > 3 s, forgotten
  assert.equal(g.trackedEdges, 1);
  // A never-learnt silent edge is 0, as with SilenceImputed; `zero` reads every silence as 0.
  const z = new ActiveGraph({ metrics: ['request_bytes'], transform: 'none', imputeSilence: false, forgetAfterSeconds: 3, idleTicks: 11 });
  const f = frames(snapshots);
  for (const frame of f.slice(0, 3)) {
    z.read(frame);
    z.learn();
  }
  assert.deepEqual(entries(z), ['c>d=5']);
});

test('ActiveGraph: rows of nodes idle for longer than the window go to new nodes, so the row count stays flat', () => {
  // 300 clients call a hub at t = 1, then only x→y for 40 s, then 300 new clients call the hub.
  const clients = (prefix: string) => Array.from({ length: 300 }, (_, i) => edge(`${prefix}${i}`, 'hub', 1));
  const snapshots = [at(1, clients('old-'))];
  for (let t = 2; t <= 40; t++) snapshots.push(at(t, [edge('x', 'y', 1)]));
  snapshots.push(at(41, clients('new-')));
  const g = new ActiveGraph({ metrics: ['request_bytes'], transform: 'none', imputeSilence: false, forgetAfterSeconds: 3600, idleTicks: 11 });
  const freed: number[] = [];
  for (const f of frames(snapshots)) {
    g.read(f);
    freed.push(...g.freedRows);
    g.learn();
  }
  // 301 nodes at t = 1 (rows 0-300), x and y (301, 302); the old clients and the hub idle for
  // more than 11 ticks are freed at the first sweep after (tick 16); the 300 new clients and the
  // hub take freed rows: still 303 rows, not 603.
  assert.equal(freed.length, 301);
  assert.equal(g.nodeCount, 303);
  const m = g.matrix;
  assert.equal(m.count, 300);
  const rows = new Set<number>();
  for (let k = 0; k < m.count; k++) rows.add(m.rows[k]!).add(m.cols[k]!);
  assert.equal(rows.size, 301);
  for (const r of rows) assert.ok(r < 301, `row ${r} should be a reused one`);
  // An old client back with a new one: its edge gets a row of its own again, not the row its
  // node had before (now a new client's). Without re-checking edges whose rows were freed, its
  // edge would still point at its old row, shared with the new client.
  g.read(frames([...snapshots, at(42, [edge('new-0', 'hub', 1), edge('old-0', 'hub', 2)])]).at(-1)!);
  const again = g.matrix;
  assert.equal(again.count, 2);
  assert.notEqual(again.rows[0], again.rows[1]);
});

test('ActiveGraph: a position the edge index gives to a new edge gets the new edge’s rows, though no row was freed', () => {
  // a→b (position 0) and x→y (1) at t = 1; a→b falls silent and the index forgets it after 3 s;
  // c→d first appears at t = 10 and takes position 0. Rows by first sight: a 0, b 1, x 2, y 3, so
  // c→d must read rows 4 and 5, not a's and b's (their rows are still theirs: fewer than 256 idle).
  const snapshots = [at(1, [edge('a', 'b', 1), edge('x', 'y', 1)])];
  for (let t = 2; t <= 9; t++) snapshots.push(at(t, [edge('x', 'y', 1)]));
  snapshots.push(at(10, [edge('c', 'd', 2), edge('x', 'y', 1)]));
  const g = new ActiveGraph({ metrics: ['request_bytes'], transform: 'none', imputeSilence: false, forgetAfterSeconds: 3600, idleTicks: 1000 });
  // Each frame read as it is made, as in a replay (the edge index, and so the names at a position, are live).
  const out: Frame[] = [];
  from(snapshots)
    .pipe(vectorize({ forgetEdgesAfterSeconds: 3 }))
    .subscribe((f) => {
      g.read(f);
      g.learn();
      out.push(f);
    });
  const last = out[out.length - 1]!;
  assert.deepEqual([...(last.recycled ?? [])], [0], 'c→d took a→b’s position');
  const m = g.matrix;
  const cd = Array.from({ length: m.count }, (_, k) => k).find((k) => g.entryPosition[k] === 0)!;
  assert.deepEqual([m.rows[cd], m.cols[cd], m.weights[cd]], [4, 5, 2]);
  assert.equal(g.nodeCount, 6);
});
