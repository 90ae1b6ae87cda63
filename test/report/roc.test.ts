import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rocCurve } from '../../src/report/index.ts';

describe('rocCurve', () => {
  it('steps through the distinct scores from (0, 0) to (1, 1)', () => {
    // Scores high to low: 9 A, 7 B, 5 A, 3 B, 1 B. P = 2, N = 3.
    const roc = rocCurve([
      { score: 5, attack: true },
      { score: 1, attack: false },
      { score: 9, attack: true },
      { score: 3, attack: false },
      { score: 7, attack: false },
    ]);
    assert.ok(roc);
    assert.deepEqual(roc.points, [
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 1 / 3, tpr: 0.5 },
      { fpr: 1 / 3, tpr: 1 },
      { fpr: 2 / 3, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    // Pairs (A, B) ranked right: 9 beats all three, 5 beats 3 and 1: 5 of 6.
    assert.ok(Math.abs(roc.auc - 5 / 6) < 1e-12);
    assert.equal(roc.positives, 2);
    assert.equal(roc.negatives, 3);
  });

  it('crosses tied scores in one diagonal step, counting the tie as half a win', () => {
    const roc = rocCurve([
      { score: 2, attack: true },
      { score: 2, attack: false },
      { score: 1, attack: false },
    ]);
    assert.ok(roc);
    assert.deepEqual(roc.points, [
      { fpr: 0, tpr: 0 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    // (2A vs 2B) tie = 0.5, (2A vs 1B) win = 1: 1.5 of 2.
    assert.equal(roc.auc, 0.75);
  });

  it('leaves out NaN scores and handles infinite ones', () => {
    const roc = rocCurve([
      { score: Number.POSITIVE_INFINITY, attack: true },
      { score: Number.NaN, attack: true },
      { score: 0, attack: false },
    ]);
    assert.ok(roc);
    assert.equal(roc.positives, 1);
    assert.equal(roc.auc, 1);
  });

  it('does not exist without both attack and benign intervals', () => {
    assert.equal(rocCurve([{ score: 1, attack: false }]), undefined);
    assert.equal(rocCurve([{ score: 1, attack: true }]), undefined);
    assert.equal(rocCurve([]), undefined);
  });
});
