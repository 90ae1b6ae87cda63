// Bug (tester tc, defect 5): an edge falling silent while the reference carried traffic got a
// ratio of 0, which the two-sided chart scored (a silence is scored on a series active ≥ 90 % of
// the time): pair-ratio alarmed on the first 5 silent intervals with one identical score,
// blaming the silent edge, until the 5th made the silence the new normal. The README's rule for
// the volume charts is that a silence is no observation, not a tiny one. Fixed: a silent
// numerator's ratio is unknown (NaN: not scored, not learnt), as a silent denominator's was.
//
// Expectations by hand: front-end → catalogue carries 1,200 bytes against the reference's 99
// (ε = 1), a ratio of exactly 12 for 25 intervals (activity 1 − 0.9^25 ≥ 0.9): level 12,
// variance 0, so σ is the floor 1 % of 12 = 0.12. The reference is flat at 99: its own z is 0.
// While catalogue is silent no ratio is scored but the reference's (score 0, no alarm); when it
// returns with 1,212 bytes (ratio 12.12) it is judged against the level before the silence:
// z = 0.12/0.12 = 1. The old code scored each silence |0 − 12|/0.12 = 100.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairRatio, type PairRatioOptionsInput } from '../../src/detectors/index.ts';
import { assertClose, handSnapshots, judgeSnapshots, type HandInterval } from '../util.ts';

const ACTIVE = 25;
const SILENT = 8;

function run(): HandInterval[] {
  const reference = { 'front-end>user': { response_bytes: 99 } };
  return [
    ...Array.from({ length: ACTIVE }, () => ({ ...reference, 'front-end>catalogue': { response_bytes: 1200 } })),
    ...Array.from({ length: SILENT }, () => reference),
    { ...reference, 'front-end>catalogue': { response_bytes: 1212 } },
  ];
}

const settings: [string, PairRatioOptionsInput][] = [
  ['every edge against the reference', {}],
  ['explicit pairs', { pairs: [{ numerator: { src: 'front-end', dst: 'catalogue' }, denominator: { src: 'front-end', dst: 'user' } }] }],
];

for (const [what, options] of settings) {
  test(`pair-ratio (${what}): a silent edge's ratio is no observation: neither scored nor learnt`, () => {
    const v = judgeSnapshots(handSnapshots(run()), pairRatio({ ...options, k: 3 }, { trainingSeconds: 0 }));
    for (let i = ACTIVE; i < ACTIVE + SILENT; i++) {
      assert.equal(v[i]!.score, 0, `silent interval ${i - ACTIVE + 1}: score`);
      assert.equal(v[i]!.alarm, false, `silent interval ${i - ACTIVE + 1}: ${JSON.stringify(v[i]!.blamed)}`);
    }
    assertClose(v[ACTIVE + SILENT]!.score, 1, 1e-9, 'back: |12.12 − 12| / 0.12');
  });
}
