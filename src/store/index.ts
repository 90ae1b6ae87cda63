// Reading side (run-format.md): manifest, events, snapshots, and the line codec.
export { readManifest, RUN_FORMAT } from './readManifest.ts';
export { readEvents, checkEvent } from './readEvents.ts';
export { readSnapshots, type ReadProgress, type ReadSnapshotsOptions } from './readSnapshots.ts';
export { readLines, type Line, type ReadLinesOptions } from './readLines.ts';
export { timeOrderProblem, isFarJump, farJumpProblem, MAX_PLAUSIBLE_T } from './timeOrder.ts';
export { parseLineJson } from './parseLineJson.ts';
export { encodeSnapshot, decodeSnapshot, decodeSnapshotOrGap, snapshotToLine, type SnapshotLine, type SnapshotLineEdge, type DecodedSnapshot } from './snapshotCodec.ts';
// Writing side.
export { RunWriter, assertNoRun, assertRunWritable, nextRunName } from './RunWriter.ts';
export { readEventsFile } from './readEventsFile.ts';
export { describeFsError, isFsError, checkWritableDir } from './fsErrors.ts';
export { jsonSyntaxError, parseJsonFile } from './jsonSyntaxError.ts';
