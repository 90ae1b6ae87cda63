// Regression (issue 13): blame pointed at the wrong edges. pair-ratio could never blame its
// reference edge (the one an `api` exfiltration inflates); eigenspace blamed each moved node's
// heaviest edge, so a light attack edge next to heavy ones was never named; pca-subspace ranked
// by raw residual share where Lakhina's criterion names the attacked edge; three-tier named
// tier pairs, not edges. Each case: an attack on a known edge, and its first blamed edge.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eigenspace, pairRatio, pcaSubspace, threeTier } from '../../src/detectors/index.ts';
import type { EdgeSample, Snapshot, Verdict } from '../../src/types.ts';
import { judgeSnapshots, seededRandom } from '../util.ts';

type Edge = readonly [src: string, dst: string, mean: number, sd: number];

/** `intervals` intervals of normal edge volumes (response bytes); `attack(i)` adds bytes per edge key "src>dst". */
function mesh(seed: number, edges: readonly Edge[], intervals: number, attack: (i: number) => Readonly<Record<string, number>> | undefined): Snapshot[] {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: intervals }, (_, i) => {
    const extra = attack(i) ?? {};
    const samples: EdgeSample[] = edges.map(([src, dst, mean, sd]) => ({ src, dst, values: { response_bytes: Math.round(Math.max(1, mean + sd * gauss()) + (extra[`${src}>${dst}`] ?? 0)) } }));
    for (const [key, bytes] of Object.entries(extra)) {
      const [src, dst] = key.split('>') as [string, string];
      if (!edges.some(([s, d]) => s === src && d === dst)) samples.push({ src, dst, values: { response_bytes: bytes } });
    }
    return { t: i + 1, dt: 1, gap: false, edges: samples };
  });
}

function firstBlamed(v: Verdict): string {
  assert.ok(v.alarm, `no alarm at t=${v.t} (score ${v.score}, threshold ${v.threshold})`);
  return `${v.blamed[0]!.src}>${v.blamed[0]!.dst}`;
}

const SOCK_SHOP: readonly Edge[] = [
  ['external', 'front-end', 400_000, 40_000],
  ['front-end', 'catalogue', 1_000_000, 50_000],
  ['front-end', 'user', 100_000, 20_000],
  ['user', 'user-db', 120_000, 20_000],
  ['front-end', 'carts', 200_000, 30_000],
  ['carts', 'carts-db', 150_000, 25_000],
];

test('pair-ratio blames the reference edge when an api exfiltration inflates it (it used to be unblamable)', () => {
  // +400 kB on front-end → user, user → user-db and external → front-end: every ratio to the
  // reference falls, and the reference's own volume rises by 20σ: it is the edge to name.
  const api = { 'front-end>user': 400_000, 'user>user-db': 400_000, 'external>front-end': 400_000 };
  for (let seed = 1; seed <= 3; seed++) {
    const verdicts = judgeSnapshots(mesh(seed, SOCK_SHOP, 100, (i) => (i === 90 ? api : undefined)), pairRatio({}, { trainingSeconds: 40 }));
    assert.equal(firstBlamed(verdicts[90]!), 'front-end>user', `seed ${seed}`);
  }
});

test('eigenspace names a light new edge (user → external) next to the heavy edges of the nodes it joins', () => {
  // The attack edge's term in 1 − rᵀu is the largest (external and user turn towards each
  // other); the heaviest edges of those nodes (external → front-end, user → user-db) are the
  // ones the old node-by-node blame named.
  for (let seed = 1; seed <= 3; seed++) {
    const verdicts = judgeSnapshots(mesh(seed, SOCK_SHOP, 100, (i) => (i === 90 ? { 'user>external': 400_000 } : undefined)), eigenspace({}, { trainingSeconds: 40 }));
    assert.equal(firstBlamed(verdicts[90]!), 'user>external', `seed ${seed}`);
  }
});

test("pca-subspace ranks by Lakhina's criterion r_j²/C̃_jj, which names the attacked edge where the raw residual share does not", () => {
  // Three edges moving together along p = (0.8, 0.48, 0.36) (unit), plus small independent
  // noise; the normal subspace is p. An attack δ on edge a leaves the residual
  // δ·C̃e_a = δ(0.36, −0.384, −0.288): raw shares 0.130, 0.147, 0.083 put b first; divided by
  // C̃_jj = 1 − p_j² = 0.36, 0.7696, 0.8704 they are 0.36, 0.19, 0.095: a first (hand-computed).
  const p = [0.8, 0.48, 0.36] as const;
  const names = ['a', 'b', 'c'] as const;
  for (let seed = 1; seed <= 3; seed++) {
    const random = seededRandom(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const snapshots: Snapshot[] = Array.from({ length: 60 }, (_, i) => {
      const s = 300 * gauss();
      return {
        t: i + 1,
        dt: 1,
        gap: false,
        edges: names.map((n, j) => ({ src: 'x', dst: n, values: { response_bytes: 10_000 + s * p[j]! + gauss() + (i === 50 && n === 'a' ? 60 : 0) } })),
      };
    });
    const verdicts = judgeSnapshots(snapshots, pcaSubspace({ transform: 'none', components: 1 }, { trainingSeconds: 40 }));
    assert.equal(firstBlamed(verdicts[50]!), 'x>a', `seed ${seed}`);
  }
});

test('three-tier names the member edge that drove its tier pair, not the busiest one', () => {
  // presentation → application holds front-end → catalogue (1 MB) and front-end → user
  // (100 kB): +300 kB on the light one lifts the pair by ~5.5σ; the blamed edge is the one
  // whose volume rose over its own level, front-end → user.
  for (let seed = 1; seed <= 3; seed++) {
    const verdicts = judgeSnapshots(mesh(seed, SOCK_SHOP, 100, (i) => (i === 90 ? { 'front-end>user': 300_000 } : undefined)), threeTier({}, { trainingSeconds: 40 }));
    assert.equal(firstBlamed(verdicts[90]!), 'front-end>user', `seed ${seed}`);
  }
});
