// The shared binomial tail (replay's promise check, new-edge's novelty rule, TailThreshold's
// plausible stand-ins) against closed forms worked out here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialUpperTail } from '../../../src/detectors/stats/index.ts';

test('binomialUpperTail: P(Bin(n, p) ≥ k) against the closed forms', () => {
  // P(X ≥ 1) = 1 − (1 − p)^n; P(X ≥ 2) = 1 − (1 − p)^n − n·p·(1 − p)^(n−1); P(X ≥ n) = p^n.
  assert.ok(Math.abs(binomialUpperTail(1, 29, 0.01) - (1 - 0.99 ** 29)) < 1e-12);
  assert.ok(Math.abs(binomialUpperTail(2, 29, 0.01) - (1 - 0.99 ** 29 - 29 * 0.01 * 0.99 ** 28)) < 1e-12);
  assert.ok(Math.abs(binomialUpperTail(5, 5, 0.3) - 0.3 ** 5) < 1e-12);
  assert.equal(binomialUpperTail(0, 10, 0.01), 1);
  assert.equal(binomialUpperTail(11, 10, 0.01), 0);
});

