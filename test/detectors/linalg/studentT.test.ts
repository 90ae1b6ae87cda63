// Student's t tail and its normal equivalent against closed forms: ν = 1 is the Cauchy law,
// P(T > t) = ½ − atan(t)/π; ν = 2 has P(T > t) = ½ − t / (2√(t² + 2)); I_x(a, 1) = x^a and
// I_x(1, b) = 1 − (1 − x)^b; and table values (Student's t table, two-sided 5 % and 1 %).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalQuantile, regularizedBeta, studentToNormal, studentUpperTail } from '../../../src/detectors/linalg/index.ts';
import { assertClose } from '../../util.ts';

test('studentUpperTail: the Cauchy law (ν = 1) and ν = 2 in closed form, over seven decades of t', () => {
  for (const t of [0, 0.1, 0.5, 1, 2, 5, 10, 100, 1e4, 1e6]) {
    const cauchy = 0.5 - Math.atan(t) / Math.PI;
    assertClose(studentUpperTail(t, 1), cauchy, 1e-12 * Math.max(1, cauchy) + 1e-13 * cauchy, `ν = 1, t = ${t}`);
    const two = 0.5 - t / (2 * Math.sqrt(t * t + 2));
    // Relative: far in the tail the closed form itself loses digits to cancellation, so compare at 1e-9.
    assert.ok(Math.abs(studentUpperTail(t, 2) - two) <= 1e-9 * two + 1e-15, `ν = 2, t = ${t}: ${studentUpperTail(t, 2)} vs ${two}`);
    assertClose(studentUpperTail(-t, 2), 1 - two, 1e-12, `ν = 2, t = ${-t}`);
  }
});

test('studentUpperTail: table values (t₀.₀₂₅ and t₀.₀₀₅ for 5, 10 and 30 degrees of freedom)', () => {
  // Student's t table: the upper 2.5 % and 0.5 % points.
  const table: [number, number, number][] = [
    [5, 2.571, 4.032],
    [10, 2.228, 3.169],
    [30, 2.042, 2.75],
  ];
  for (const [nu, t025, t005] of table) {
    // The table's three decimals move the tail by at most ~1 % of itself.
    assertClose(studentUpperTail(t025, nu), 0.025, 0.0003, `ν = ${nu}, t = ${t025}`);
    assertClose(studentUpperTail(t005, nu), 0.005, 0.0001, `ν = ${nu}, t = ${t005}`);
  }
});

test('regularizedBeta: I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b', () => {
  for (const x of [0.01, 0.2, 0.5, 0.8, 0.99]) {
    for (const a of [0.5, 1, 2.5, 7]) assertClose(regularizedBeta(x, a, 1), x ** a, 1e-12, `I_${x}(${a}, 1)`);
    for (const b of [0.5, 3, 10]) assertClose(regularizedBeta(x, 1, b), 1 - (1 - x) ** b, 1e-12, `I_${x}(1, ${b})`);
  }
  assert.equal(regularizedBeta(0, 2, 3), 0);
  assert.equal(regularizedBeta(1, 2, 3), 1);
});

test('studentToNormal: the deviate of the same tail (ν = 2 in closed form), odd, and the identity as ν grows', () => {
  for (const t of [0.3, 1, 3, 10, 50]) {
    const tail = 0.5 - t / (2 * Math.sqrt(t * t + 2));
    assertClose(studentToNormal(t, 2), -normalQuantile(tail), 1e-9, `ν = 2, t = ${t}`);
    assert.equal(studentToNormal(-t, 2), -studentToNormal(t, 2), 'odd');
  }
  assert.equal(studentToNormal(0, 3), 0);
  // A heavy-tailed t maps to a smaller deviate: t = 4.032 is the 0.5 % point of ν = 5, z = 2.576.
  assertClose(studentToNormal(4.032, 5), 2.5758, 0.002, 'ν = 5');
  // ν = 10⁶ is the normal law to within a few parts in 10⁶ at |t| ≤ 5.
  for (const t of [1, 2.5, 5]) assertClose(studentToNormal(t, 1e6), t, 1e-4, `ν = 1e6, t = ${t}`);
  // Far tails stay finite and ordered (a tail under the smallest double maps to the largest deviate).
  assert.ok(studentToNormal(1e10, 2) > studentToNormal(1e5, 2));
  assert.ok(Number.isFinite(studentToNormal(1e300, 1)));
  assert.ok(Number.isNaN(studentToNormal(Number.NaN, 3)));
  assert.ok(Number.isNaN(studentToNormal(1, 0)));
});

test("studentToNormal from 20 degrees of freedom (Hill's expansion): within 1e-4 of the deviate of the exact tail", () => {
  for (const nu of [20, 21, 50, 200, 5000]) {
    for (let t = 0.05; t < 40; t *= 1.3) {
      const exact = -normalQuantile(studentUpperTail(t, nu));
      assertClose(studentToNormal(t, nu), exact, 1e-4, `ν = ${nu}, t = ${t}`);
      assert.equal(studentToNormal(-t, nu), -studentToNormal(t, nu), 'odd');
    }
  }
});
