export { recordMesh, type RecordOptions, type RecordResult } from './recordMesh.ts';
