export { graphLasso, graphLassoOptionsSchema, type GraphLassoOptions, type GraphLassoOptionsInput } from './graphLasso.ts';
export { GraphLassoCore } from './graphLassoCore.ts';
export { fitGraphLasso, type FittedGraphLasso, type GraphLassoModel, type GraphLassoParameters } from './fitGraphLasso.ts';
export { l1Logistic, lambdaMax, type LogisticModel, type LogisticProblem } from './l1Logistic.ts';
export { crossValidatedLasso, type CrossValidatedLasso } from './crossValidatedLasso.ts';
export { GraphFeatures, type FeaturePath } from './graphFeatures.ts';
export { RobustStandardizer, MOD_Z_CLIP } from './robustStandardizer.ts';
