export { path, pathOptionsSchema, type PathOptions, type PathOptionsInput } from './path.ts';
export { PathCore, type PathParameters } from './pathCore.ts';
export type { OnLimitAboveCeiling } from './clipCeiling.ts';
export { CandidatePathSet, type CandidatePathParameters, type TrainingEdges } from './candidatePathSet.ts';
export { candidatePaths, isDataStore, type CandidatePath } from './candidatePaths.ts';
