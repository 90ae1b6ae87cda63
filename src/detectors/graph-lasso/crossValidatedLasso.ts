import { l1Logistic, lambdaMax, linearPredictors, type LogisticModel, type LogisticProblem } from './l1Logistic.ts';

export interface CrossValidationOptions {
  /** λ values on the path, log-spaced from λ_max down. */
  readonly lambdas: number;
  /** Smallest λ as a fraction of λ_max (glmnet's lambda.min.ratio). */
  readonly minRatio: number;
  /** Fold of each row, 0 … folds − 1 (rows that belong together, e.g. an interval and its injected copies, share one). */
  readonly fold: Int32Array;
  readonly folds: number;
}

export interface CrossValidatedLasso {
  /** The chosen λ: the largest within one standard error of the least held-out deviance (glmnet's lambda.1se). */
  readonly lambda: number;
  /** Fitted on every row at that λ. */
  readonly model: LogisticModel;
  /** Per row, η predicted by the model fitted without the row's fold, at the chosen λ. */
  readonly outOfFold: Float64Array;
  readonly lambdas: Float64Array;
  /** Mean held-out deviance per λ (weighted, per unit weight). */
  readonly deviance: Float64Array;
}

/** Training deviance, as a fraction of the null model's, at which a λ path stops (glmnet's fdev: 0.999 explained). */
const SATURATED = 1e-3;

/** Bernoulli deviance −2[y ln p + (1 − y) ln(1 − p)] of η, computed stably. */
function deviance(y: number, eta: number): number {
  // ln(1 + e^η) − yη, without overflow for large |η|.
  const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
  return 2 * (softplus - y * eta);
}

/**
 * λ by k-fold cross-validation, as cv.glmnet does (Friedman, Hastie & Tibshirani 2010, §7): one
 * λ path from λ_max down to minRatio·λ_max (log-spaced) computed on all rows; each fold's model is
 * fitted along it with warm starts on the other folds' rows (the held-out rows left out, see withoutZeroWeights) and
 * scores its held-out rows' deviance; the largest λ within one standard error of the least mean
 * deviance (lambda.1se) is refitted on every row.
 * The held-out η at that λ are kept: they are honest scores of the training rows (an in-sample
 * score is optimistically low, and a threshold set from it would over-alarm).
 */
export function crossValidatedLasso(problem: LogisticProblem, options: CrossValidationOptions): CrossValidatedLasso {
  const n = problem.rows;
  const top = lambdaMax(problem);
  const count = Math.max(1, options.lambdas);
  const lambdas = new Float64Array(count);
  for (let k = 0; k < count; k++) lambdas[k] = top * Math.pow(options.minRatio, count === 1 ? 0 : k / (count - 1));
  const held = new Float64Array(count * n);
  const sum = new Float64Array(count);
  /** Per fold and λ, the mean held-out deviance (for the standard error). */
  const perFold: Float64Array[] = [];
  /** η of every row under the model of the moment (each fit scores its rows once). */
  const eta = new Float64Array(n);
  let heldWeight = 0;
  for (let i = 0; i < n; i++) heldWeight += problem.weights[i]!;
  for (let f = 0; f < options.folds; f++) {
    const weights = new Float64Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (options.fold[i] === f) continue;
      weights[i] = problem.weights[i]!;
      any ||= weights[i]! > 0;
    }
    if (!any) continue;
    const train = withoutZeroWeights(problem, weights);
    const model: LogisticModel = { intercept: 0, beta: new Float64Array(problem.features) };
    let nullDeviance = Number.NaN;
    let saturated = false;
    let foldWeight = 0;
    for (let i = 0; i < n; i++) if (options.fold[i] === f) foldWeight += problem.weights[i]!;
    const mine = new Float64Array(count);
    perFold.push(mine);
    for (let k = 0; k < count; k++) {
      // As glmnet, the path stops once the fit explains 99.9 % of the deviance (a separable
      // problem): smaller λ only let the coefficients grow, at great cost; they keep this fit.
      if (!saturated) {
        l1Logistic(train, lambdas[k]!, model);
        linearPredictors(problem, model, eta);
        let fitted = 0;
        for (let i = 0; i < n; i++) if (weights[i]! > 0) fitted += weights[i]! * deviance(problem.y[i]!, eta[i]!);
        if (k === 0) nullDeviance = fitted;
        else if (fitted < SATURATED * nullDeviance) saturated = true;
      }
      for (let i = 0; i < n; i++) {
        if (options.fold[i] !== f) continue;
        held[k * n + i] = eta[i]!;
        const d = problem.weights[i]! * deviance(problem.y[i]!, eta[i]!);
        sum[k]! += d;
        if (foldWeight > 0) mine[k]! += d / foldWeight;
      }
    }
  }
  let least = 0;
  for (let k = 1; k < count; k++) if (sum[k]! < sum[least]!) least = k;
  // The one-standard-error rule (Breiman et al. 1984; glmnet's lambda.1se): the sparsest model
  // whose held-out deviance is within one standard error of the least. A sparser model carries
  // fewer noisy features into the score, so its benign spread, and with it the threshold, is lower.
  const folds = perFold.length;
  let se = 0;
  if (folds > 1) {
    let mean = 0;
    for (const d of perFold) mean += d[least]! / folds;
    let ss = 0;
    for (const d of perFold) ss += (d[least]! - mean) ** 2;
    se = Math.sqrt(ss / (folds - 1) / folds);
  }
  const bound = sum[least]! / (heldWeight || 1) + se;
  let best = least;
  for (let k = 0; k < least; k++) {
    if (sum[k]! / (heldWeight || 1) <= bound) {
      best = k;
      break;
    }
  }
  const model: LogisticModel = { intercept: 0, beta: new Float64Array(problem.features) };
  let nullDeviance = Number.NaN;
  for (let k = 0; k <= best; k++) {
    l1Logistic(problem, lambdas[k]!, model);
    linearPredictors(problem, model, eta);
    let fitted = 0;
    for (let i = 0; i < n; i++) fitted += problem.weights[i]! * deviance(problem.y[i]!, eta[i]!);
    if (k === 0) nullDeviance = fitted;
    else if (fitted < SATURATED * nullDeviance) break;
  }
  const meanDeviance = sum.map((s) => s / (heldWeight || 1));
  return { lambda: lambdas[best]!, model, outOfFold: held.slice(best * n, (best + 1) * n), lambdas, deviance: meanDeviance };
}

/**
 * The problem with `weights`, without its rows of weight 0 (a fold's held-out rows): they add
 * exactly 0 to every sum of the fit, so it is the same fit, in the same order, for less work.
 */
function withoutZeroWeights(problem: LogisticProblem, weights: Float64Array): LogisticProblem {
  const { rows: n, features: p } = problem;
  let m = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) m++;
  const keep = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) keep[m++] = i;
  const x = new Float64Array(m * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) x[j * m + k] = problem.x[j * n + keep[k]!]!;
  return { rows: m, features: p, x, y: Float64Array.from(keep, (i) => problem.y[i]!), weights: Float64Array.from(keep, (i) => weights[i]!) };
}
