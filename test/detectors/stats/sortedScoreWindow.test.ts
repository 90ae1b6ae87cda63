// SortedScoreWindow: the last `capacity` scores kept ascending, and the probability-weighted
// moments' sums about a base, Σd_i, Σd_i·i, Σd_i·i(i − 1) with d_i = x_(i) − base, kept current
// as the window slides. Every expectation below is worked by hand from that definition, on small
// integers, where each sum is exact in floating point whichever way it is added up.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedScoreWindow } from '../../../src/detectors/stats/index.ts';

function contents(w: SortedScoreWindow): number[] {
  return Array.from(w.ascending.subarray(0, w.size));
}

function fed(capacity: number, scores: readonly number[]): SortedScoreWindow {
  const w = new SortedScoreWindow(capacity);
  for (const s of scores) w.add(s);
  return w;
}

describe('SortedScoreWindow', () => {
  it('keeps the scores ascending while it fills, then the last `capacity` of them', () => {
    const w = fed(4, [5, 1, 3, 2]);
    assert.equal(w.size, 4);
    assert.deepEqual(contents(w), [1, 2, 3, 5]);
    w.add(4); // 5, the oldest, leaves
    assert.equal(w.size, 4);
    assert.deepEqual(contents(w), [1, 2, 3, 4]);
  });

  it('grows past its first arrays (64 scores) up to its capacity', () => {
    const w = fed(70, Array.from({ length: 70 }, (_, i) => 69 - i));
    assert.equal(w.size, 70);
    assert.deepEqual(contents(w), Array.from({ length: 70 }, (_, i) => i));
    w.add(100); // 69, the first to come, leaves
    assert.equal(w.size, 70);
    assert.deepEqual(contents(w), [...Array.from({ length: 69 }, (_, i) => i), 100]);
  });

  it('a full window counts its sums afresh about its median, then follows each slide, a leaving tie included', () => {
    const w = fed(4, [5, 1, 3, 2]);
    // [1, 2, 3, 5], base x_(2) = 3: d = −2, −1, 0, 2.
    // Σd = −1; Σd·i = −1 + 6 = 5; Σd·i(i − 1) = 2·3·2 = 12.
    assert.deepEqual(w.pwmSums(), { base: 3, sum0: -1, sum1: 5, sum2: 12 });

    w.add(4); // 5 leaves: [1, 2, 3, 4], d = −2, −1, 0, 1 (the base stays 3 between recounts).
    // Σd = −2; Σd·i = −1 + 3 = 2; Σd·i(i − 1) = 1·3·2 = 6.
    assert.deepEqual(contents(w), [1, 2, 3, 4]);
    assert.deepEqual(w.pwmSums(), { base: 3, sum0: -2, sum1: 2, sum2: 6 });

    w.add(10); // 1 leaves, 2, 3 and 4 each move down a rank: [2, 3, 4, 10], d = −1, 0, 1, 7.
    // Σd = 7; Σd·i = 2 + 21 = 23; Σd·i(i − 1) = 1·2·1 + 7·3·2 = 44.
    assert.deepEqual(contents(w), [2, 3, 4, 10]);
    assert.deepEqual(w.pwmSums(), { base: 3, sum0: 7, sum1: 23, sum2: 44 });

    w.add(2); // 3 leaves, the 2 already in moves up a rank: [2, 2, 4, 10], d = −1, −1, 1, 7.
    // Σd = 6; Σd·i = −1 + 2 + 21 = 22; Σd·i(i − 1) = 1·2·1 + 7·3·2 = 44.
    assert.deepEqual(contents(w), [2, 2, 4, 10]);
    assert.deepEqual(w.pwmSums(), { base: 3, sum0: 6, sum1: 22, sum2: 44 });

    w.add(5); // the older 2 leaves (a tie: one 2 stays), 2 and 4 move down: [2, 4, 5, 10], d = −1, 1, 2, 7.
    // Σd = 9; Σd·i = 1 + 4 + 21 = 26; Σd·i(i − 1) = 2·2·1 + 7·3·2 = 46. The median is now 5,
    // but the sums stay about 3 until the next recount.
    assert.deepEqual(contents(w), [2, 4, 5, 10]);
    assert.deepEqual(w.pwmSums(), { base: 3, sum0: 9, sum1: 26, sum2: 46 });
  });

  it('the sums kept for 99 slides equal those counted afresh; the 100th slide recounts about the new median', () => {
    // Fill with 3, 1, 4, 1, 5 ([1, 1, 3, 4, 5], median 3), then 99 slides: 94 scores (7k mod 10,
    // ties and moves both ways), then 9, 3, 0, 6, 2, which are the window at the end:
    // [0, 2, 3, 6, 9], median 3 again, d = −3, −1, 0, 3, 6.
    // Σd = 5; Σd·i = −1 + 9 + 24 = 32; Σd·i(i − 1) = 3·3·2 + 6·4·3 = 90.
    const scores = [3, 1, 4, 1, 5, ...Array.from({ length: 94 }, (_, k) => (7 * k) % 10), 9, 3, 0, 6, 2];
    const expected = { base: 3, sum0: 5, sum1: 32, sum2: 90 };

    // Followed: counted afresh once full, then updated by each of the 99 slides.
    const followed = fed(5, scores.slice(0, 5));
    assert.equal(followed.pwmSums().base, 3);
    for (const s of scores.slice(5)) followed.add(s);
    assert.deepEqual(contents(followed), [0, 2, 3, 6, 9]);
    assert.deepEqual(followed.pwmSums(), expected);

    // Recounted: never asked until the end, when the sums are due and counted afresh about the
    // final median, which is 3 too.
    const recounted = fed(5, scores);
    assert.deepEqual(recounted.pwmSums(), expected);

    // The 100th slide since the recount: 9 leaves, 1 comes, [0, 1, 2, 3, 6]; the sums are
    // counted afresh about the new median 2: d = −2, −1, 0, 1, 4.
    // Σd = 2; Σd·i = −1 + 3 + 16 = 18; Σd·i(i − 1) = 1·3·2 + 4·4·3 = 54.
    followed.add(1);
    assert.deepEqual(contents(followed), [0, 1, 2, 3, 6]);
    assert.deepEqual(followed.pwmSums(), { base: 2, sum0: 2, sum1: 18, sum2: 54 });
  });
});
