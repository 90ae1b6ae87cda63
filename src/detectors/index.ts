export { vectorize, type VectorizeOptions } from './vectorize.ts';
export { EDGE_FORGET_AFTER_SECONDS, GrowingEdgeIndex, type EdgeIndexOptions } from './edgeIndex.ts';
export {
  detectorOperator,
  streamOptions,
  DEFAULT_TRAINING_SECONDS,
  type DetectorCore,
  type DetectorSetup,
  type DetectorStreamOptions,
  type Judgement,
} from './detector.ts';
export { createDetectors, detectorFilesFrom, detectorOptionWarnings, DETECTOR_NAMES, type DetectorName, type NamedDetector } from './createDetectors.ts';
export { runDetectors } from './runDetectors.ts';
export { BYTE_METRICS, parseDetectorOptions } from './options.ts';
export { CalibratedLimit, FamilyLimit, LEARN_EVERY_EXCEEDANCE, MAX_BLAMED, type AlarmLimit, type MultipleComparisons } from './stats/index.ts';
export { controlChart, controlChartOptionsSchema, type ControlChartOptions, type ControlChartOptionsInput } from './control-chart/index.ts';
export { ewma, ewmaOptionsSchema, type EwmaOptions, type EwmaOptionsInput } from './ewma/index.ts';
export { pairRatio, pairRatioOptionsSchema, type PairRatioOptions, type PairRatioOptionsInput } from './pair-ratio/index.ts';
export {
  threeTier,
  threeTierOptionsSchema,
  sockShopTierOf,
  TIERS,
  type ThreeTierOptions,
  type ThreeTierOptionsInput,
  type Tier,
  type TierAssignment,
} from './three-tier/index.ts';
export { newEdge, newEdgeOptionsSchema, EdgePolicy, readPolicyFile, type NewEdgeOptions, type NewEdgeOptionsInput } from './new-edge/index.ts';
export { eigenspace, eigenspaceOptionsSchema, type EigenspaceOptions, type EigenspaceOptionsInput } from './eigenspace/index.ts';
export { pcaSubspace, pcaSubspaceOptionsSchema, type PcaSubspaceOptions, type PcaSubspaceOptionsInput } from './pca-subspace/index.ts';
export { cusum, cusumOptionsSchema, type CusumOptions, type CusumOptionsInput } from './cusum/index.ts';
export { path, pathOptionsSchema, candidatePaths, type PathOptions, type PathOptionsInput } from './path/index.ts';
export { LoadResiduals, loadResidualFields, type LoadResidualParameters } from './series/index.ts';
export { midas, midasOptionsSchema, type MidasOptions, type MidasOptionsInput } from './midas/index.ts';
export { graphLasso, graphLassoOptionsSchema, type GraphLassoModel, type GraphLassoOptions, type GraphLassoOptionsInput } from './graph-lasso/index.ts';
