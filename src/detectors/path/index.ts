export { path, pathOptionsSchema, type PathOptions, type PathOptionsInput } from './path.ts';
export { PathCore, type PathParameters } from './pathCore.ts';
export { candidatePaths, isDataStore, type CandidatePath } from './candidatePaths.ts';
