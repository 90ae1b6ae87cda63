import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityWindow } from '../../../src/detectors/eigenspace/eigenspaceWindow.ts';
import { assertClose } from '../../util.ts';

// r is the principal left singular vector of [u_1 … u_k]: by hand for vectors that share a
// direction, or are orthogonal with unequal lengths.

test('ActivityWindow.zeroRows: a zeroed row leaves the typical pattern of what remains (Gram refreshed where a vector changed)', () => {
  const window = new ActivityWindow(3);
  window.push(Float64Array.of(1, 0, 0));
  window.push(Float64Array.of(0.6, 0.8, 0));
  window.push(Float64Array.of(0, 0, 1)); // row 1 already zero here: its Gram entries stand
  // Before: r mixes rows 0 and 1 (columns e0 and (0.6, 0.8) dominate e2); not what is asserted below.
  assert.ok(window.typical(3)[1]! > 0.1);
  window.zeroRows([1]);
  // After: columns e0, 0.6·e0, e2, i.e. UUᵀ = diag(1.36, 0, 1): r = e0, λ = 1.36 > 1.
  const r = window.typical(3);
  assertClose(r[0]!, 1, 1e-12);
  assertClose(r[1]!, 0, 1e-15);
  assertClose(r[2]!, 0, 1e-12);
});

test('ActivityWindow.zeroRows: rows already zero everywhere change nothing', () => {
  const window = new ActivityWindow(2);
  window.push(Float64Array.of(3, 0, 4));
  window.push(Float64Array.of(3, 0, 4));
  window.zeroRows([1]);
  // Both columns (0.6, 0, 0.8)·5: r = (0.6, 0, 0.8).
  const r = window.typical(3);
  assertClose(r[0]!, 0.6, 1e-12);
  assertClose(r[1]!, 0, 1e-15);
  assertClose(r[2]!, 0.8, 1e-12);
});

test('ActivityWindow.clear: the window starts afresh, its typical pattern that of what is pushed after', () => {
  const window = new ActivityWindow(3);
  window.push(Float64Array.of(1, 0, 0));
  window.push(Float64Array.of(1, 0, 0));
  assertClose(window.typical(3)[0]!, 1, 1e-12);
  window.clear();
  assert.equal(window.size, 0);
  // Columns (0, 0.6, 0.8) and (0, 0.8, 0.6): r along their sum (0, 1.4, 1.4), i.e. (0, 1, 1)/√2; e0 is gone.
  window.push(Float64Array.of(0, 0.6, 0.8));
  window.push(Float64Array.of(0, 0.8, 0.6));
  const r = window.typical(3);
  assertClose(r[0]!, 0, 1e-15);
  assertClose(r[1]!, Math.SQRT1_2, 1e-9);
  assertClose(r[2]!, Math.SQRT1_2, 1e-9);
  // It fills again to its capacity: the fourth push after clear evicts the first.
  window.push(Float64Array.of(0, 0, 1));
  assert.equal(window.push(Float64Array.of(0, 0, 1))?.[1], 0.6);
});
