import { log } from '../../logger.ts';
import type { LoadResiduals } from '../series/index.ts';
import { chooseRoutes, type RouteParameters } from './chooseRoutes.ts';
import { crossValidatedLasso } from './crossValidatedLasso.ts';
import { ExitRoutes } from './exitRoutes.ts';
import { GraphFeatures } from './graphFeatures.ts';
import type { RobustStandardizer } from './robustStandardizer.ts';
import { buildTrainingSet, type TrainingRow } from './trainingSet.ts';

export interface GraphLassoParameters extends RouteParameters {
  /** Injected sizes, in units of a route's median hop σ. */
  readonly injectSizes: readonly number[];
  /** Most injected training rows. */
  readonly maxInjectedRows: number;
  /** Cross-validation folds. */
  readonly folds: number;
  /** λ values on the regularisation path, and the smallest as a fraction of λ_max. */
  readonly lambdas: number;
  readonly lambdaMinRatio: number;
  /** Clean intervals needed before the model is fitted (collected on after training when short). */
  readonly minTrainingIntervals: number;
  /** Most clean intervals kept for the fit (the latest). */
  readonly maxTrainingIntervals: number;
  /** z is winsorised at ± this in the features. */
  readonly winsorizeAt: number;
  /** How the residual features are standardised (see GraphLassoOptions). */
  readonly residualFeatures: 'mod-z' | 'as-is';
}

/** The fitted model, for the report and tests. */
export interface GraphLassoModel {
  readonly lambda: number;
  readonly intercept: number;
  /** Every feature with a non-zero coefficient (on the standardised feature), largest |β| first. */
  readonly coefficients: readonly { readonly feature: string; readonly coefficient: number }[];
  readonly features: number;
  readonly trainingIntervals: number;
  readonly injectedRows: number;
  /** The routes exfiltrations were injected along (node names). */
  readonly routes: readonly (readonly string[])[];
}

export interface FittedGraphLasso {
  readonly features: GraphFeatures;
  /** The routes out through links first seen after training, which compete for the pooled path features (see ExitRoutes). */
  readonly exits: ExitRoutes;
  readonly standardizer: RobustStandardizer;
  readonly intercept: number;
  /** Non-zero coefficients only: feature index and β. */
  readonly index: Int32Array;
  readonly beta: Float64Array;
  readonly summary: GraphLassoModel;
}

/**
 * graph-lasso's model, fitted once from the clean intervals kept (see GraphLassoCore): routes and
 * features chosen from the edges that carried traffic (chooseRoutes, GraphFeatures), the training
 * set of clean intervals and injected copies (buildTrainingSet), λ by cross-validation
 * (crossValidatedLasso). Returns the model and the held-out scores (log odds) of the clean
 * intervals, from which the threshold starts.
 */
export function fitGraphLasso(
  rows: readonly TrainingRow[],
  list: readonly { readonly src: string; readonly dst: string }[],
  residuals: Pick<LoadResiduals, 'sigma' | 'outside'>,
  p: GraphLassoParameters,
): { fitted: FittedGraphLasso; heldOut: Float64Array } {
  const width = rows.reduce((w, r) => Math.max(w, r.n), 0);
  const totals = new Float64Array(width);
  const referenceLog = new Float64Array(width);
  for (const row of rows) {
    // An edge a sparse row does not list was idle: volume 0, log1p(0) = 0, nothing to add.
    const count = row.edges === undefined ? row.n : row.edges.length;
    for (let j = 0; j < count; j++) {
      const e = row.edges === undefined ? j : row.edges[j]!;
      const v = row.volume[j]!;
      totals[e]! += v;
      referenceLog[e]! += Math.log1p(v) / rows.length;
    }
  }
  const routes = chooseRoutes(list, totals, residuals.outside, p);
  const features = new GraphFeatures({
    edgeNames: (e) => `${list[e]!.src} → ${list[e]!.dst}`,
    edges: routes.edges,
    paths: routes.watched,
    allPaths: routes.all,
    nodeNames: routes.nodes,
    referenceLog,
    winsorizeAt: p.winsorizeAt,
  });
  features.extend(list, width);
  const set = buildTrainingSet(rows, features, routes.watched, (e) => residuals.sigma(e), {
    sizes: p.injectSizes,
    maxInjectedRows: p.maxInjectedRows,
    folds: p.folds,
    residuals: p.residualFeatures,
  });
  const cv = crossValidatedLasso(set.problem, { lambdas: p.lambdas, minRatio: p.lambdaMinRatio, fold: set.fold, folds: set.folds });
  const index: number[] = [];
  for (let j = 0; j < features.count; j++) if (cv.model.beta[j] !== 0) index.push(j);
  const coefficients = index.map((j) => ({ feature: features.names[j]!, coefficient: cv.model.beta[j]! })).sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
  const summary: GraphLassoModel = {
    lambda: cv.lambda,
    intercept: cv.model.intercept,
    coefficients,
    features: features.count,
    trainingIntervals: set.clean,
    injectedRows: set.problem.rows - set.clean,
    routes: routes.watched.map((r) => r.nodes),
  };
  log.debug(`graph-lasso: fitted on ${set.clean} intervals and ${summary.injectedRows} injected copies, ${features.count} features, λ = ${cv.lambda.toPrecision(3)}, ${index.length} non-zero`);
  const exits = new ExitRoutes(routes.all, routes.allNodes, routes.links, residuals.outside, p.maxPaths);
  exits.extend(list, list.length);
  const fitted = { features, exits, standardizer: set.standardizer, intercept: cv.model.intercept, index: Int32Array.from(index), beta: Float64Array.from(index, (j) => cv.model.beta[j]!), summary };
  return { fitted, heldOut: cv.outOfFold.slice(0, set.clean) };
}
