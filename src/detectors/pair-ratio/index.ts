export { pairRatio, pairRatioOptionsSchema, type PairRatioOptions, type PairRatioOptionsInput } from './pairRatio.ts';
