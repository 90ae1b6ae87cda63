// TailThreshold's learning rule: an alarmed score is learnt as one benign tail interval, and one
// event (exceedances fewer than EVENT_GAP_INTERVALS apart) is learnt once. Expectations come from
// the rule itself: a score that is not learnt leaves the calibration exactly as if the interval
// had never come, so the threshold is compared with that of a threshold that never saw it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_GAP_INTERVALS, LEARN_EVERY_EXCEEDANCE, RELEARN_AFTER_INTERVALS, TailThreshold } from '../../../src/detectors/stats/index.ts';

/** 60 benign scores: a fixed spread (the quantiles of an exponential law, in a shuffled order). */
const BENIGN = Array.from({ length: 60 }, (_, i) => -Math.log(1 - ((i * 37) % 60 + 0.5) / 60));

function fed(scores: readonly number[], gap = EVENT_GAP_INTERVALS): TailThreshold {
  const t = new TailThreshold(0.01, 1000, gap);
  for (const s of scores) t.learn(s);
  return t;
}

describe('TailThreshold: one event is learnt once', () => {
  it('the constants are what the rule describes: one quiet interval between two exceedances keeps them one event; an event of five is a new normal', () => {
    assert.equal(EVENT_GAP_INTERVALS, 2);
    assert.equal(RELEARN_AFTER_INTERVALS, 5);
  });

  it('an exceedance right after another is not learnt: count and threshold as if it never came', () => {
    const before = fed(BENIGN);
    const high = before.threshold() * 3;
    const first = fed([...BENIGN, high]);
    assert.equal(first.samples, 61, 'the first exceedance of an event is learnt (at its expected benign excess)');
    assert.ok(first.threshold() > before.threshold(), 'and lifts the threshold as a benign tail interval does');
    const second = fed([...BENIGN, high, high]);
    assert.equal(second.samples, 61);
    assert.equal(second.threshold(), first.threshold());
  });

  it('with one quiet interval between, still the same event; with two, a new one', () => {
    const before = fed(BENIGN);
    const high = before.threshold() * 3;
    const quiet = 0.5; // below every threshold here (the benign median is ln 2 ≈ 0.69)
    const sameEvent = fed([...BENIGN, high, quiet, high]);
    const withoutSecond = fed([...BENIGN, high, quiet]);
    assert.equal(sameEvent.samples, 62);
    assert.equal(sameEvent.threshold(), withoutSecond.threshold());
    const newEvent = fed([...BENIGN, high, quiet, quiet, high]);
    assert.equal(newEvent.samples, 64, 'two quiet intervals apart: a second event, learnt');
    assert.ok(newEvent.threshold() > fed([...BENIGN, high, quiet, quiet]).threshold());
  });

  it(`an event of ${RELEARN_AFTER_INTERVALS} exceedances is a new normal: its fifth and later exceedances are learnt again`, () => {
    const high = fed(BENIGN).threshold() * 3;
    const counts = [1, 2, 3, 4, 5, 6].map((k) => fed([...BENIGN, ...Array<number>(k).fill(high)]).samples);
    assert.deepEqual(counts, [61, 61, 61, 61, 62, 63]);
  });

  it('LEARN_EVERY_EXCEEDANCE (scores carrying state between intervals: cusum, midas) learns every exceedance', () => {
    const high = fed(BENIGN, LEARN_EVERY_EXCEEDANCE).threshold() * 3;
    const t = fed([...BENIGN, high, high, high], LEARN_EVERY_EXCEEDANCE);
    assert.equal(t.samples, 63);
  });

  it('an attack of three intervals lifts the threshold as one does, so the next attack, two intervals later, still crosses', () => {
    const base = fed(BENIGN);
    const attack = base.threshold() * 2;
    const declustered = fed([...BENIGN, attack, attack, attack, 0.5]);
    const everyOne = fed([...BENIGN, attack, attack, attack, 0.5], LEARN_EVERY_EXCEEDANCE);
    assert.equal(declustered.threshold(), fed([...BENIGN, attack, 0.5]).threshold());
    assert.ok(declustered.threshold() < attack, `${declustered.threshold()} < ${attack}`);
    assert.ok(everyOne.threshold() > declustered.threshold(), 'learning each exceedance climbs further');
  });
});
