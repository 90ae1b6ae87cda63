import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextChangeSeconds, usersAt } from '../../src/traffic/index.ts';

// Expected values computed by hand from f(x) = (1/25)(-1/2 sin(pi x/12) + 1.1):
// the 1/25 cancels in f(x)/max f, and max f is at x = 18 (sin = -1): 1.6/25.
// So users = round(peak * (1.1 - 0.5 sin(pi x/12)) / 1.6), half up, at least 1.

describe('usersAt normal (Munnin diurnal curve)', () => {
  // 240 s run: 24 steps of 10 s, step x covers [10x, 10x + 10).
  const at = (elapsed: number, peak = 10) => usersAt('normal', elapsed, 240, peak);

  it('follows the curve step by step (peak 10)', () => {
    assert.equal(at(0), 7); // x=0: 10 * 1.1 / 1.6 = 6.875
    assert.equal(at(9.99), 7); // still x=0
    assert.equal(at(10), 6); // x=1: 1.1 - 0.5 * 0.258819 = 0.970590 -> 6.066
    assert.equal(at(25), 5); // x=2: 1.1 - 0.25 = 0.85 -> 5.3125
    assert.equal(at(30), 5); // x=3: 1.1 - 0.5 * 0.707107 = 0.746447 -> 4.665
    assert.equal(at(65), 4); // x=6: 0.6 -> 3.75 (the quietest hour)
    assert.equal(at(120), 7); // x=12: sin(pi) = 0 -> 6.875
    assert.equal(at(185), 10); // x=18: the busiest hour is the peak
    assert.equal(at(210), 9); // x=21: 1.1 + 0.353553 = 1.453553 -> 9.085
    assert.equal(at(239), 8); // x=23: 1.1 + 0.5 * 0.258819 = 1.229410 -> 7.684
  });

  it('clamps before the start and holds the last step after the end', () => {
    assert.equal(at(-5), 7);
    assert.equal(at(240), 8);
    assert.equal(at(10_000), 8);
  });

  it('scales so the busiest step has exactly the peak, for any peak', () => {
    for (let peak = 1; peak <= 60; peak++) {
      let max = 0;
      for (let x = 0; x < 24; x++) max = Math.max(max, at(x * 10 + 5, peak));
      assert.equal(max, peak, `peak ${peak}`);
    }
  });

  it('rounds half up and never goes below one user', () => {
    assert.equal(at(65, 12), 5); // 12 * 0.6 / 1.6 = 4.5 exactly -> 5 (Python's round() would say 4)
    assert.equal(at(65, 1), 1); // 0.375 -> 0, but at least 1
  });

  it('compresses the 24 steps into any run length', () => {
    // 48 s run: steps of 2 s; 13 s is x=6, 37 s is x=18.
    assert.equal(usersAt('normal', 13, 48, 10), 4);
    assert.equal(usersAt('normal', 37, 48, 10), 10);
  });
});

describe('usersAt constant and bursty', () => {
  it('constant is the peak throughout', () => {
    for (const t of [-1, 0, 50, 149.9, 500]) assert.equal(usersAt('constant', t, 150, 12), 12);
  });

  it('bursty: 8 periods, baseline peak/4, peak during each third quarter', () => {
    // 80 s run: periods of 10 s, bursts in [5, 7.5) of each.
    const at = (t: number) => usersAt('bursty', t, 80, 12);
    assert.deepEqual([0, 4.99, 5, 7.49, 7.5, 9.99].map(at), [3, 3, 12, 12, 3, 3]);
    assert.deepEqual([15, 25, 35, 45, 55, 65, 75].map(at), [12, 12, 12, 12, 12, 12, 12]);
    assert.equal(at(85), 12); // the pattern repeats after the end
    assert.equal(at(88), 3);
    assert.equal(usersAt('bursty', 0, 80, 2), 1); // 0.5 rounds up to 1
    assert.equal(usersAt('bursty', 0, 80, 1), 1); // 0.25 -> 0, but at least 1
  });

  it('rejects a non-positive duration or peak', () => {
    assert.throws(() => usersAt('normal', 0, 0, 10), /durationSeconds/);
    assert.throws(() => usersAt('normal', 0, 100, 0), /peakUsers/);
  });
});

describe('nextChangeSeconds', () => {
  it('finds when the user count next changes, on the step grid', () => {
    assert.equal(nextChangeSeconds('normal', 0, 240, 10, 1), 10); // 7 -> 6 at x=1
    assert.equal(nextChangeSeconds('normal', 60, 240, 10, 1), 90); // x=6,7,8 give 4; x=9 gives 5
    assert.equal(nextChangeSeconds('normal', 235, 240, 10, 1), undefined); // last step holds
    assert.equal(nextChangeSeconds('bursty', 0, 80, 12, 0.5), 5);
    assert.equal(nextChangeSeconds('constant', 0, 80, 12, 1), undefined);
  });
});
