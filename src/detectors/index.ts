export { vectorize, type VectorizeOptions } from './vectorize.ts';
export { GrowingEdgeIndex } from './edgeIndex.ts';
export {
  detectorOperator,
  streamOptions,
  DEFAULT_TRAINING_SECONDS,
  type DetectorCore,
  type DetectorSetup,
  type DetectorStreamOptions,
  type Judgement,
} from './detector.ts';
export { createDetectors, DETECTOR_NAMES, type DetectorName, type NamedDetector } from './createDetectors.ts';
export { runDetectors } from './runDetectors.ts';
export { BYTE_METRICS, parseDetectorOptions } from './options.ts';
export { MAX_BLAMED } from './blame.ts';
export { FamilyLimit, type MultipleComparisons } from './familyLimit.ts';
export { controlChart, controlChartOptionsSchema, type ControlChartOptions, type ControlChartOptionsInput } from './controlChart.ts';
export { ewma, ewmaOptionsSchema, type EwmaOptions, type EwmaOptionsInput } from './ewma.ts';
export { pairRatio, pairRatioOptionsSchema, type PairRatioOptions, type PairRatioOptionsInput } from './pairRatio.ts';
export { threeTier, threeTierOptionsSchema, type ThreeTierOptions, type ThreeTierOptionsInput } from './threeTier.ts';
export { sockShopTierOf, TIERS, type Tier, type TierAssignment } from './tierSeries.ts';
export { newEdge, newEdgeOptionsSchema, type NewEdgeOptions, type NewEdgeOptionsInput } from './newEdge.ts';
export { EdgePolicy, readPolicyFile } from './edgePolicy.ts';
export { eigenspace, eigenspaceOptionsSchema, type EigenspaceOptions, type EigenspaceOptionsInput } from './eigenspace.ts';
export { pcaSubspace, pcaSubspaceOptionsSchema, type PcaSubspaceOptions, type PcaSubspaceOptionsInput } from './pcaSubspace.ts';
