export { midas, midasOptionsSchema, MIDAS_METRICS, type MidasOptions, type MidasOptionsInput } from './midas.ts';
export { MidasR, type MidasParameters } from './midasCore.ts';
export { MidasCounts } from './midasCounts.ts';
export { CountMinSketch, hashPair, hashString, sketchPositions } from './countMinSketch.ts';
export { chiSquared, chiSquaredShare } from './chiSquared.ts';
