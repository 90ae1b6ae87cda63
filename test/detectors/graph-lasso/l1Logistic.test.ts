// The L1-regularised logistic regression (glmnet's coordinate descent) against problems whose
// answers are known in closed form or checked by hand: the unregularised MLE of a 2×2 table, the
// λ at which a coefficient leaves zero (λ_max from the KKT conditions), and the KKT conditions
// of every solution, computed here from the data, not by the solver.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossValidatedLasso } from '../../../src/detectors/graph-lasso/crossValidatedLasso.ts';
import { l1Logistic, lambdaMax, type LogisticProblem } from '../../../src/detectors/graph-lasso/l1Logistic.ts';
import { assertClose } from '../../util.ts';

/** Convergence far past the default (1e-7), so that closed forms can be matched to 1e-6. */
const TIGHT = 1e-16;

/** A problem from rows of features (row-major here, as a person writes them). */
function problem(rows: number[][], y: number[], weights?: number[]): LogisticProblem {
  const n = rows.length;
  const p = rows[0]!.length;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[j * n + i] = rows[i]![j]!;
  return { rows: n, features: p, x, y: Float64Array.from(y), weights: Float64Array.from(weights ?? rows.map(() => 1)) };
}

/** Gradient of the mean log-likelihood per coefficient, Σ v_i x_ij (y_i − p_i), and of the intercept, at a fit. */
function gradient(rows: number[][], y: number[], intercept: number, beta: ArrayLike<number>): { g0: number; g: number[] } {
  const n = rows.length;
  let g0 = 0;
  const g = rows[0]!.map(() => 0);
  for (let i = 0; i < n; i++) {
    let eta = intercept;
    rows[i]!.forEach((xij, j) => (eta += beta[j]! * xij));
    const p = 1 / (1 + Math.exp(-eta));
    g0 += (y[i]! - p) / n;
    rows[i]!.forEach((xij, j) => (g[j]! += (xij * (y[i]! - p)) / n));
  }
  return { g0, g };
}

/** The KKT conditions of the lasso: g_j = λ·sign(β_j) where β_j ≠ 0, |g_j| ≤ λ where β_j = 0, and g₀ = 0. */
function assertKkt(rows: number[][], y: number[], lambda: number, intercept: number, beta: ArrayLike<number>, tolerance = 1e-6): void {
  const { g0, g } = gradient(rows, y, intercept, beta);
  assertClose(g0, 0, tolerance, 'intercept gradient');
  g.forEach((gj, j) => {
    if (beta[j] === 0) assert.ok(Math.abs(gj) <= lambda + tolerance, `β${j} = 0 but |g| = ${Math.abs(gj)} > λ = ${lambda}`);
    else assertClose(gj, lambda * Math.sign(beta[j]!), tolerance, `g${j} at β${j} = ${beta[j]}`);
  });
}

test('λ = 0 reproduces the closed-form MLE of a 2×2 table: intercept = logit(1/4), slope = logit(3/4) − logit(1/4) = 2 ln 3', () => {
  // x = 0: one positive of four (p = 1/4); x = 1: three of four (p = 3/4). A saturated model fits
  // each group's proportion exactly, so η(0) = ln(1/3) and η(1) = ln 3.
  const rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
  const y = [1, 0, 0, 0, 1, 1, 1, 0];
  const fit = l1Logistic(problem(rows, y), 0, undefined, TIGHT);
  assertClose(fit.intercept, Math.log(1 / 3), 1e-6, 'intercept');
  assertClose(fit.beta[0]!, 2 * Math.log(3), 1e-6, 'slope');
});

test('λ_max = max_j |x_jᵀ(y − ȳ)|/n: the coefficient is exactly 0 just above it and leaves 0 just below, meeting the KKT conditions', () => {
  // By hand: ȳ = 1/2, Σ x_i (y_i − 1/2) = (−2)(−½) + (−1)(−½) + 0 + 1(−½) + 2(½) + 3(½) = 3.5, so λ_max = 3.5/6.
  const rows = [[-2], [-1], [0], [1], [2], [3]];
  const y = [0, 0, 1, 0, 1, 1];
  const expected = 3.5 / 6;
  assertClose(lambdaMax(problem(rows, y)), expected, 1e-12, 'λ_max');
  const above = l1Logistic(problem(rows, y), expected * 1.001, undefined, TIGHT);
  assert.equal(above.beta[0], 0);
  assertClose(above.intercept, 0, 1e-9, 'intercept at λ > λ_max is logit(ȳ) = 0');
  const below = l1Logistic(problem(rows, y), expected * 0.9, undefined, TIGHT);
  assert.ok(below.beta[0]! > 0, `β just below λ_max: ${below.beta[0]}`);
  assertKkt(rows, y, expected * 0.9, below.intercept, below.beta);
});

test('a problem separable in one feature: the separating feature enters, a noise feature stays at 0, and the fit stays finite with the KKT conditions met', () => {
  // Feature 0 separates the classes (negatives ≤ −0.5 < 0.5 ≤ positives); feature 1 is
  // symmetric noise, uncorrelated with y by construction (its x_jᵀ(y − ȳ) is 0).
  const rows = [
    [-2, 1],
    [-1.5, -1],
    [-1, 1],
    [-0.5, -1],
    [0.5, 1],
    [1, -1],
    [1.5, 1],
    [2, -1],
  ];
  const y = [0, 0, 0, 0, 1, 1, 1, 1];
  const lambda = 0.05;
  const fit = l1Logistic(problem(rows, y), lambda, undefined, TIGHT);
  assert.ok(fit.beta[0]! > 0 && Number.isFinite(fit.beta[0]!), `separating β: ${fit.beta[0]}`);
  assert.equal(fit.beta[1], 0);
  assertKkt(rows, y, lambda, fit.intercept, fit.beta);
});

test('observation weights act as repeated rows: weight 2 on a row fits as that row given twice', () => {
  const rows = [[-1, 0.3], [0, -0.2], [1, 0.5], [2, -0.4], [0.5, 0.1]];
  const y = [0, 1, 0, 1, 1];
  const weighted = l1Logistic(problem(rows, y, [1, 2, 1, 1, 1]), 0.01, undefined, TIGHT);
  const repeated = l1Logistic(problem([...rows, rows[1]!], [...y, y[1]!]), 0.01, undefined, TIGHT);
  assertClose(weighted.intercept, repeated.intercept, 1e-7, 'intercept');
  for (let j = 0; j < 2; j++) assertClose(weighted.beta[j]!, repeated.beta[j]!, 1e-7, `β${j}`);
});

test('cross-validation picks a λ below λ_max on a problem with one informative feature among noise, and scores every row held out', () => {
  // 60 rows: y = 1 when 2·x0 + a deterministic wobble > 0; x1…x4 are fixed sequences unrelated to y.
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 60; i++) {
    const x0 = Math.sin(i * 0.7) * 2;
    rows.push([x0, Math.cos(i * 1.3), Math.sin(i * 2.9), Math.cos(i * 0.37 + 1), ((i * 7) % 11) / 5 - 1]);
    y.push(2 * x0 + Math.sin(i * 5.1) > 0 ? 1 : 0);
  }
  const data = problem(rows, y);
  const fold = Int32Array.from(rows.map((_, i) => i % 5));
  const cv = crossValidatedLasso(data, { lambdas: 20, minRatio: 0.01, fold, folds: 5 });
  assert.ok(cv.lambda < lambdaMax(data), `chosen λ ${cv.lambda} vs λ_max ${lambdaMax(data)}`);
  assert.ok(cv.model.beta[0]! > 0, `informative β: ${cv.model.beta[0]}`);
  const largestNoise = Math.max(...Array.from(cv.model.beta.slice(1), Math.abs));
  assert.ok(largestNoise < cv.model.beta[0]! / 3, `noise βs ${Array.from(cv.model.beta.slice(1))} vs ${cv.model.beta[0]}`);
  assert.equal(cv.outOfFold.length, 60);
  // Held-out η of the positives mostly above those of the negatives (the held-out fit separates).
  let right = 0;
  for (let i = 0; i < 60; i++) if ((cv.outOfFold[i]! > 0 ? 1 : 0) === y[i]) right++;
  assert.ok(right >= 48, `held-out accuracy ${right}/60`);
  // At the default tolerance the KKT conditions hold to ~1e-4 of the gradient.
  assertKkt(rows, y, cv.lambda, cv.model.intercept, cv.model.beta, 1e-4);
});
