import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { binomialUpperTail, wilsonInterval } from '../../src/evaluation/binomial.ts';

const close = (actual: number, expected: number, relative: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual}, expected ${expected}`);

describe('wilsonInterval', () => {
  it('matches the interval worked by hand from Wilson\'s formula', () => {
    // 4 in 41, z = 1.96: centre (4/41 + z²/82)/(1 + z²/41) = 0.13204, half-width
    // z/(1 + z²/41) · √(p(1 − p)/41 + z²/(4·41²)) = 0.09344 (worked out on paper, then to more
    // digits with exact arithmetic outside the project).
    const [lo, hi] = wilsonInterval(4, 41)!;
    close(lo, 0.03859708489808934, 1e-12, 'lower');
    close(hi, 0.22547681305523387, 1e-12, 'upper');
    const [lo14, hi14] = wilsonInterval(14, 135)!;
    close(lo14, 0.0627845011302634, 1e-12, 'lower, 14 in 135');
    close(hi14, 0.1665523200984415, 1e-12, 'upper, 14 in 135');
  });

  it('gives no false alarm in n intervals [0, z²/(n + z²)], not the normal interval\'s certainty of none', () => {
    const z2 = 1.959963984540054 ** 2;
    assert.deepEqual(wilsonInterval(0, 53)![0], 0);
    close(wilsonInterval(0, 53)![1], z2 / (53 + z2), 1e-12, 'upper at k = 0');
    // Symmetric: n of n is the mirror image.
    const [lo, hi] = wilsonInterval(53, 53)!;
    assert.equal(hi, 1);
    close(lo, 1 - z2 / (53 + z2), 1e-12, 'lower at k = n');
  });

  it('has nothing to say without trials, or of a count that is not one', () => {
    assert.equal(wilsonInterval(0, 0), null);
    assert.equal(wilsonInterval(3, 2), null);
    assert.equal(wilsonInterval(-1, 2), null);
  });
});

describe('binomialUpperTail', () => {
  it('matches exact sums of the binomial law (rational arithmetic, outside the project)', () => {
    close(binomialUpperTail(4, 41, 0.01), 0.0007537239966933182, 1e-9, 'P(X ≥ 4 | 41, 0.01)');
    // The calibration suite's bound on 135 intervals: 5 or more with probability 0.011.
    close(binomialUpperTail(5, 135, 0.01), 0.011895766118180322, 1e-9, 'P(X ≥ 5 | 135, 0.01)');
    close(binomialUpperTail(2, 53, 0.01), 0.0986910014697205, 1e-9, 'P(X ≥ 2 | 53, 0.01)');
    close(binomialUpperTail(14, 135, 0.01), 1.2296372105645082e-10, 1e-8, 'P(X ≥ 14 | 135, 0.01)');
  });

  it('keeps its digits where (1 − p)^n underflows: 60,000 intervals at 0.01', () => {
    // (0.99)^60000 = e^−603 is 0 in doubles; the tail from 700 (the mean is 600) is not.
    close(binomialUpperTail(700, 60_000, 0.01), 3.381749472476631e-5, 1e-8, 'P(X ≥ 700 | 60000, 0.01)');
  });

  it('agrees with its closed forms at the ends', () => {
    assert.equal(binomialUpperTail(0, 41, 0.01), 1);
    close(binomialUpperTail(1, 41, 0.01), 1 - 0.99 ** 41, 1e-12, 'P(X ≥ 1) = 1 − (1 − p)^n');
    close(binomialUpperTail(41, 41, 0.3), 0.3 ** 41, 1e-10, 'P(X ≥ n) = p^n');
    assert.equal(binomialUpperTail(42, 41, 0.3), 0);
    assert.equal(binomialUpperTail(3, 41, 0), 0);
    assert.equal(binomialUpperTail(3, 41, 1), 1);
  });
});
