import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gevFromLMoments, gevLSkewness, gevShapeFromLSkewness } from '../../../src/detectors/stats/gev.ts';
import { assertClose } from '../../util.ts';

// τ3 of a GEV of shape k, written out here from Hosking (1990), independently of gev.ts; the
// expm1 form for the bisection, whose root near k = 0 the plain form would blur (1 − 3^−k cancels).
const tau3 = (k: number) => (2 * (1 - 3 ** -k)) / (1 - 2 ** -k) - 3;
const tau3Accurate = (k: number) => (2 * Math.expm1(-k * Math.log(3))) / Math.expm1(-k * Math.LN2) - 3;

/** The root of tau3(k) = t on [−0.8, 0.15] by plain bisection, as gev.ts solved it before (60 halvings). */
function bisect(t: number): number {
  let lo = -0.8;
  let hi = 0.15;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (Math.abs(mid) < 1e-9 ? 2 * Math.log2(3) - 3 > t : tau3Accurate(mid) > t) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

test('gevShapeFromLSkewness: agrees with bisection to 1e-14 over the whole k range [−0.8, 0.15]', () => {
  let worst = 0;
  for (let i = 0; i <= 20_000; i++) {
    const k = -0.8 + (0.95 * i) / 20_000;
    for (const t of [tau3Accurate(k), tau3Accurate(k) + 1e-7, tau3Accurate(k) - 3e-9]) {
      if (!(t > tau3(0.15) && t < tau3(-0.8))) continue;
      worst = Math.max(worst, Math.abs(gevShapeFromLSkewness(t) - bisect(t)));
    }
  }
  assert.ok(worst < 1e-14, `largest |k Newton − k bisection| ${worst}`);
});

test('gevShapeFromLSkewness: closed forms, the k → 0 limit and the clamps', () => {
  // k = −1/2: τ3 = 2(1 − √3)/(1 − √2) − 3; k = 0: 2·log₂3 − 3 (Gumbel); k = 0.1 by the formula.
  assertClose(gevShapeFromLSkewness((2 * (1 - Math.sqrt(3))) / (1 - Math.SQRT2) - 3), -0.5, 1e-14);
  assert.ok(Math.abs(gevShapeFromLSkewness(2 * Math.log2(3) - 3)) < 1e-9);
  assertClose(gevShapeFromLSkewness(tau3(0.1)), 0.1, 1e-14);
  assertClose(gevShapeFromLSkewness(tau3(-0.79)), -0.79, 1e-14);
  // Beyond the range's τ3: the bounds themselves.
  assert.equal(gevShapeFromLSkewness(0.9), -0.8);
  assert.equal(gevShapeFromLSkewness(tau3(-0.8)), -0.8);
  assert.equal(gevShapeFromLSkewness(-0.5), 0.15);
  assert.equal(gevShapeFromLSkewness(tau3(0.15)), 0.15);
  // gevLSkewness is the same function.
  for (const k of [-0.8, -0.3, 0.05, 0.15]) assertClose(gevLSkewness(k), tau3(k), 1e-14);
});

test('gevFromLMoments: recovers ξ, α, k from the L-moments of a known GEV (Hosking et al. 1985)', () => {
  // λ1 = ξ + α(1 − Γ(1+k))/k, λ2 = α(1 − 2^−k)Γ(1+k)/k; Γ values from tables:
  // Γ(0.5) = √π, Γ(1.1) = 0.9513507698668732, Γ(0.2) = 4.590843711998803.
  for (const [k, gamma] of [[-0.5, Math.sqrt(Math.PI)], [0.1, 0.9513507698668732], [-0.8, 4.590843711998803]] as const) {
    const location = 3;
    const scale = 2;
    const l1 = location + (scale * (1 - gamma)) / k;
    const l2 = (scale * (1 - 2 ** -k) * gamma) / k;
    const gev = gevFromLMoments(l1, l2, tau3(k));
    assertClose(gev.shape, k, 1e-12);
    assertClose(gev.scale, scale, 1e-9);
    assertClose(gev.location, location, 1e-9);
  }
  // Gumbel: λ2 = α ln 2, λ1 = ξ + γα.
  const gumbel = gevFromLMoments(3 + 0.5772156649015329 * 2, 2 * Math.LN2, 2 * Math.log2(3) - 3);
  assert.equal(gumbel.shape, 0);
  assertClose(gumbel.scale, 2, 1e-12);
  assertClose(gumbel.location, 3, 1e-12);
});
