/**
 * A binary classification problem for the L1-regularised logistic regression: n rows, p
 * features stored column by column (x[j·n + i] is feature j of row i: coordinate descent walks
 * one column at a time), labels 0/1 and non-negative observation weights.
 */
export interface LogisticProblem {
  readonly rows: number;
  readonly features: number;
  /** Column-major, rows × features. */
  readonly x: Float64Array;
  /** 0 or 1 per row. */
  readonly y: Float64Array;
  /** Observation weights per row (any positive total; a 0 leaves the row out, as cross-validation does). */
  readonly weights: Float64Array;
}

/** A fitted model: η = intercept + βᵀx, P(y = 1) = 1/(1 + e^−η). */
export interface LogisticModel {
  intercept: number;
  readonly beta: Float64Array;
}

/** glmnet's bounds on fitted probabilities: beyond them a row's IRLS weight is held at the bound. */
const P_MIN = 1e-5;
/**
 * Default convergence tolerance, glmnet's default `thresh`: a coordinate-descent sweep (and a
 * whole IRLS step) has converged when no coefficient moved by more than this in weighted squares,
 * a_j·Δβ_j² (weights summing to 1): |Δβ| ≲ 1e-3 at typical curvatures, finer than a score needs
 * (1e-9 made the detector's fit at training end twice as slow for the same model to 3 digits).
 */
export const DEFAULT_TOLERANCE = 1e-7;
/** IRLS converges in a handful of steps from a warm start; the bound only stops a separable problem's slow drift. */
const MAX_OUTER = 30;
const MAX_INNER = 1000;

/** Weights scaled to sum to 1 (zero-weight rows stay out). */
function normalised(weights: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const v = new Float64Array(weights.length);
  if (!(total > 0)) return v;
  for (let i = 0; i < weights.length; i++) v[i] = weights[i]! / total;
  return v;
}

/**
 * The smallest λ at which every coefficient is zero: with the intercept alone the fit is
 * p = ȳ (the weighted mean of y), and the KKT conditions keep β_j at 0 exactly while
 * |Σ v_i x_ij (y_i − ȳ)| ≤ λ (v the weights scaled to sum 1; v_i = 1/n gives the textbook
 * max_j |x_jᵀ(y − ȳ)|/n).
 */
export function lambdaMax(problem: LogisticProblem): number {
  const { rows: n, features: p, x, y } = problem;
  const v = normalised(problem.weights);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]! * y[i]!;
  let best = 0;
  for (let j = 0; j < p; j++) {
    let g = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) g += v[i]! * x[o + i]! * (y[i]! - mean);
    if (Math.abs(g) > best) best = Math.abs(g);
  }
  return best;
}

/**
 * L1-regularised logistic regression by cyclic coordinate descent on IRLS's quadratic
 * approximations (Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear
 * models via coordinate descent", J. Stat. Softw. 33(1), 2010, §3): minimises
 *
 *   −Σ v_i [y_i η_i − ln(1 + e^{η_i})] + λ Σ_j |β_j|,   Σ v_i = 1,
 *
 * the intercept unpenalised. Each outer step replaces the log-likelihood by its quadratic
 * approximation at the current fit (row weights w_i = v_i p_i(1 − p_i), working residuals
 * (y_i − p_i)/(p_i(1 − p_i))), which coordinate descent then minimises with the soft-threshold
 * update β_j ← S(Σ w_i x_ij r_i + β_j Σ w_i x_ij², λ)/Σ w_i x_ij². As in glmnet, probabilities
 * are kept within [1e-5, 1 − 1e-5] in the curvature (the working residual keeps the exact
 * y − p, so a converged fit meets the exact KKT conditions; a separable problem with λ = 0
 * stops after MAX_OUTER steps at a large finite β), and sweeps after the first visit only the non-zero coefficients
 * until they settle, then check all once more (the active-set cycling of §2.6).
 *
 * `start` (warm start, e.g. the previous λ of a path) is updated in place and returned.
 * `tolerance`: see DEFAULT_TOLERANCE.
 */
export function l1Logistic(problem: LogisticProblem, lambda: number, start?: LogisticModel, tolerance = DEFAULT_TOLERANCE): LogisticModel {
  const { rows: n, features: p, x, y } = problem;
  const model = start ?? { intercept: 0, beta: new Float64Array(p) };
  const beta = model.beta;
  const v = normalised(problem.weights);
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  const xw2 = new Float64Array(p);
  const wx = weighedScratch(n * p);
  const active = new Uint8Array(p);
  for (let outer = 0; outer < MAX_OUTER; outer++) {
    // The quadratic approximation at the current fit.
    linearPredictors(problem, model, eta);
    for (let i = 0; i < n; i++) {
      const q = 1 / (1 + Math.exp(-eta[i]!));
      const bounded = q < P_MIN ? P_MIN : q > 1 - P_MIN ? 1 - P_MIN : q;
      const s = bounded * (1 - bounded);
      w[i] = v[i]! * s;
      // The exact gradient over the bounded curvature: w_i r_i = v_i (y_i − p_i), so a fixed
      // point meets the KKT conditions of the unbounded problem.
      r[i] = (y[i]! - q) / s;
    }
    let totalW = 0;
    for (let i = 0; i < n; i++) totalW += w[i]!;
    if (!(totalW > 0)) return model;
    for (let j = 0; j < p; j++) xw2[j] = weighColumn(w, x, j * n, n, wx);
    let outerChange = 0;
    // Full sweep; on no convergence, sweeps over the non-zero coefficients until they settle,
    // then a full sweep again to confirm (it ends the loop when nothing moved).
    let full = true;
    for (let inner = 0; inner < MAX_INNER; inner++) {
      let change = 0;
      // The intercept: an unpenalised coordinate, its exact minimiser is the weighted mean residual.
      const d0 = weightedSum(w, r, n) / totalW;
      if (d0 !== 0) {
        model.intercept += d0;
        for (let i = 0; i < n; i++) r[i]! -= d0;
        change = Math.max(change, totalW * d0 * d0);
        outerChange = Math.max(outerChange, totalW * d0 * d0);
      }
      // A coordinate's move is taken out of r in the same pass as the next coordinate's gradient
      // reads r (the same operations per row, in the same order: one pass over r instead of two).
      let pending = -1;
      let pendingMove = 0;
      for (let j = 0; j < p; j++) {
        if (!full && active[j] === 0) continue;
        const a = xw2[j]!;
        if (!(a > 0)) continue;
        const o = j * n;
        const g = pending < 0 ? gradient(wx, o, r, n) : moveThenGradient(r, x, pending, pendingMove, wx, o, n);
        pending = -1;
        const old = beta[j]!;
        const z = g + a * old;
        const next = z > lambda ? (z - lambda) / a : z < -lambda ? (z + lambda) / a : 0;
        const d = next - old;
        if (d === 0) continue;
        beta[j] = next;
        if (next !== 0) active[j] = 1;
        pending = o;
        pendingMove = d;
        change = Math.max(change, a * d * d);
        outerChange = Math.max(outerChange, a * d * d);
      }
      // A converged sweep ends the step, and the next step recomputes r from η: nothing left to take out.
      if (change < tolerance && full) break;
      if (pending >= 0) move(r, x, pending, pendingMove, n);
      full = change < tolerance;
    }
    // Converged when a whole IRLS step moved no coordinate more than a sweep may (glmnet's test).
    if (outerChange < tolerance) break;
  }
  return model;
}

/**
 * η = intercept + βᵀx of every row into `out`: per row the intercept, then each non-zero term in
 * feature order, walked column by column over the non-zero coefficients only (a sparse fit
 * touches a few columns, and each column is contiguous).
 */
export function linearPredictors(problem: LogisticProblem, model: LogisticModel, out: Float64Array): void {
  const { rows: n, features: p, x } = problem;
  out.fill(model.intercept, 0, n);
  for (let j = 0; j < p; j++) {
    const b = model.beta[j]!;
    if (b === 0) continue;
    const o = j * n;
    for (let i = 0; i < n; i++) out[i] = out[i]! + b * x[o + i]!;
  }
}

/**
 * w_i·x_ij, column-major as x: each gradient's first product, formed once per IRLS step. One
 * array for every call (a fit is synchronous): a cross-validated path makes ~100 calls, and a
 * fresh rows × features array each (1 MB on a connection log's training set) raised the peak
 * RSS by ~20 MB before the collector caught up.
 */
let weighed = new Float64Array(0);

function weighedScratch(length: number): Float64Array {
  if (weighed.length < length) weighed = new Float64Array(length);
  return weighed;
}

/** Σ w_i r_i. */
function weightedSum(w: Float64Array, r: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i]! * r[i]!;
  return s;
}

/** wx[o + i] = w_i·x_ij for the column at x[o, o + n); returns Σ w_i x_ij² (as (w_i·x_ij)·x_ij). */
function weighColumn(w: Float64Array, x: Float64Array, o: number, n: number, wx: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i]! * x[o + i]!;
    wx[o + i] = v;
    s += v * x[o + i]!;
  }
  return s;
}

/** Σ (w_i x_ij) r_i of the column at wx[o, o + n). */
function gradient(wx: Float64Array, o: number, r: Float64Array, n: number): number {
  let g = 0;
  for (let i = 0; i < n; i++) g += wx[o + i]! * r[i]!;
  return g;
}

/** r −= d·x_k (the column at x[k, k + n)). */
function move(r: Float64Array, x: Float64Array, k: number, d: number, n: number): void {
  for (let i = 0; i < n; i++) r[i]! -= d * x[k + i]!;
}

/** move(r, x, k, d) then gradient(wx, o, r), in one pass. */
function moveThenGradient(r: Float64Array, x: Float64Array, k: number, d: number, wx: Float64Array, o: number, n: number): number {
  let g = 0;
  for (let i = 0; i < n; i++) {
    const ri = r[i]! - d * x[k + i]!;
    r[i] = ri;
    g += wx[o + i]! * ri;
  }
  return g;
}
