// Regression (measured by fixer fx2 after tester tc's defect 1): a training edge that stops for
// good blinded pca-subspace. Under the default silentEdges 'typical' its silence read at its
// typical level until forgetAfterSeconds, then as 0: its whole training mean was residual for the
// rest of the run (SPE ~70 against ~0.5). After 5 alarms the limit's new-normal rule learnt that
// level, and the threshold rose up to 175 times that of the run where the edge goes on (137
// against 1.7 at the end): 18 benign alarms, and both later exfiltrations (SPE 7 and 4 on their
// own, 88 and 71 on top of the lifted level) missed.
// A forgotten training edge now reads its training mean (its own deviation 0): a silence is no
// observation, as it already was before forgetting and is for a new-normal edge.
// The run: the synthetic Sock-Shop mesh, 2-s intervals, 60 s of training, orders → shipping
// silent from interval 60 on, forgetAfterSeconds 60 (with the default 3,600 s, the same from
// ~30 minutes later: 141 alarms in 2,400 intervals before the fix, 26 after, 13 with the edge
// going on); api exfiltrations at 200 (400 kB) and 250 (100 kB).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pcaSubspace } from '../../src/detectors/index.ts';
import type { Verdict } from '../../src/types.ts';
import { judgeSnapshots, syntheticMesh } from '../util.ts';

const INTERVALS = 300;
const STOPS_AT = 60;
/** Forgotten once silent past forgetAfterSeconds (60 s, 30 intervals), counted from its last learnt interval. */
const FORGOTTEN_BY = STOPS_AT + 30;
const ATTACKS = new Map([
  [200, 400_000],
  [250, 100_000],
]);

function run(stops: boolean) {
  const api = (i: number): Record<string, number> => {
    const bytes = ATTACKS.get(i);
    return bytes === undefined ? {} : { 'external>front-end': bytes, 'front-end>user': bytes, 'user>user-db': bytes };
  };
  return syntheticMesh(INTERVALS, 1, api).map((s, i) =>
    stops && i >= STOPS_AT ? { ...s, edges: s.edges.filter((e) => !(e.src === 'orders' && e.dst === 'shipping')) } : s,
  );
}

/** Judged intervals from `from` on, neither an attack's nor the one after it (the run format's grace). */
function benignFrom(verdicts: readonly Verdict[], from: number): Verdict[] {
  return verdicts.filter((v, i) => i >= from && !v.training && !ATTACKS.has(i) && !ATTACKS.has(i - 1));
}

describe('a training edge that stops for good (pca-subspace, silentEdges typical)', () => {
  const detector = () => pcaSubspace({ forgetAfterSeconds: 60 }, { trainingSeconds: 60 });
  const base = judgeSnapshots(run(false), detector());
  const stopped = judgeSnapshots(run(true), detector());

  it('alarms rarely once it is forgotten (the false-alarm promise: ~1 % of benign intervals; more than 5 % fails)', () => {
    const benign = benignFrom(stopped, STOPS_AT);
    const alarms = benign.filter((v) => v.alarm).length;
    assert.ok(alarms <= 0.05 * benign.length, `${alarms} of ${benign.length} benign intervals alarm`);
  });

  it('keeps its threshold: within 2× of the run where the edge goes on (before the fix, up to 175×)', () => {
    for (let i = FORGOTTEN_BY; i < INTERVALS; i++) {
      const ratio = stopped[i]!.threshold / base[i]!.threshold;
      assert.ok(ratio < 2, `interval ${i}: threshold ${stopped[i]!.threshold} vs ${base[i]!.threshold} with the edge going on`);
    }
  });

  it('still catches both exfiltrations', () => {
    for (const [i, bytes] of ATTACKS) {
      assert.ok(base[i]!.alarm, `edge going on, ${bytes} B at ${i}: SPE ${base[i]!.score} vs ${base[i]!.threshold}`);
      assert.ok(stopped[i]!.alarm, `edge stopped, ${bytes} B at ${i}: SPE ${stopped[i]!.score} vs ${stopped[i]!.threshold}`);
    }
  });
});
